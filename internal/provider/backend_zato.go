package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/zato"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

func zatoBlock() backendBlock {
	return backendBlock{
		name: "zato_sso",
		description: "Zato SSO (Zato 3.x), through its SSO REST API (`url`, users addressed by `user_id`) " +
			"or through the `zato` command on the server host (`server_path`, users addressed by username). " +
			"Set exactly one of `url` and `server_path`.",
		settings: []blockSetting{
			{name: "url", env: "ZATO_SSO_URL", description: "REST transport: the server's base URL, e.g. `https://zato.example:17010`."},
			{name: "username", env: "ZATO_SSO_USERNAME", description: "REST transport: a Zato SSO super-user's name."},
			{name: "password", env: "ZATO_SSO_PASSWORD", sensitive: true, description: "REST transport: the super-user's password."},
			{name: "current_app", env: "ZATO_SSO_CURRENT_APP", description: "REST transport: the `current_app` sent with every call, " +
				"one of the apps in the server's `sso.conf`."},
			{name: "server_path", description: "CLI transport, when Terraform runs on the Zato server host: the server's directory, " +
				"e.g. `/opt/zato/env/server1`. A chosen password is passed to `zato sso change-user-password --password`, " +
				"where other users of the host can see it while the command runs."},
			{name: "zato_command", description: "CLI transport: the `zato` command, a name looked up on `PATH` or a path. Default `\"zato\"`. " +
				"Each run is bounded by `request_timeout`; `max_retries`, `requests_per_second` and `ca_certificate_pem` do not apply " +
				"(a warning says so)."},
		},
		configure: configureZato,
	}
}

// configureZato picks the transport: url (HCL or ZATO_SSO_URL) for REST,
// server_path for the CLI. A server_path set in HCL wins over a URL that only
// comes from the environment (HCL is explicit, the environment ambient);
// url and server_path both in HCL is an error, as are settings of the other
// transport set in HCL.
func configureZato(_ context.Context, b blockConfig, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	if b.inHCL("server_path") {
		if b.inHCL("url") {
			diags.AddAttributeError(b.path("server_path"), "Conflicting Zato Transports",
				"The zato_sso block sets both url (the REST API) and server_path (the zato command). Set one of them.")
			return nil
		}
		for _, name := range []string{"username", "password", "current_app"} {
			if b.inHCL(name) {
				diags.AddAttributeError(b.path(name), "Unused Zato Setting",
					name+" applies to the REST transport (url) only, but this block uses the zato command (server_path). Remove it.")
			}
		}
		if diags.HasError() {
			return nil
		}
		be, err := zato.NewCLI(zato.CLIConfig{ServerPath: b.value("server_path"), Command: b.value("zato_command"), Now: now, Timeout: tc.RequestTimeout})
		if err != nil {
			p := b.path("server_path")
			var ce *zato.CLIConfigError
			if errors.As(err, &ce) && ce.Setting == "zato_command" {
				p = b.path("zato_command")
			}
			diags.AddAttributeError(p, "Invalid Zato CLI Configuration", err.Error())
			return nil
		}
		return be
	}

	c := zato.RESTConfig{URL: b.value("url"), Username: b.value("username"), Password: b.value("password"), CurrentApp: b.value("current_app"), Now: now}
	if strings.TrimSpace(c.URL) == "" {
		diags.AddAttributeError(b.path("url"), "Missing Provider Setting",
			"The zato_sso block needs a transport: set url (or the environment variable ZATO_SSO_URL) to use the Zato SSO REST API, "+
				"or server_path to run the zato command on this host.")
		return nil
	}
	if b.inHCL("zato_command") {
		diags.AddAttributeError(b.path("zato_command"), "Unused Zato Setting",
			"zato_command applies to the CLI transport (server_path) only, but this block uses the REST API (url). Remove it.")
		return nil
	}
	b.require(diags, "username", c.Username, "a Zato SSO super-user's name")
	b.require(diags, "password", c.Password, "the Zato SSO super-user's password")
	b.require(diags, "current_app", c.CurrentApp, "a current_app (one of the apps in the server's sso.conf)")
	return b.build(diags, "Zato SSO", "url", &c.URL, func() (backend.Backend, error) { return zato.NewREST(c, tc) })
}
