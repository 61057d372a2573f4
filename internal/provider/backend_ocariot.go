package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/ocariot"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Environment variables of the ocariot block.
const (
	envOCARIoTURL         = "OCARIOT_URL"
	envOCARIoTUsername    = "OCARIOT_USERNAME"
	envOCARIoTPassword    = "OCARIOT_PASSWORD"
	envOCARIoTAccessToken = "OCARIOT_ACCESS_TOKEN" //nolint:gosec // G101: the name of an environment variable, not a credential
)

func ocariotBlock() backendBlock {
	return backendBlock{
		name: "ocariot",
		description: "The OCARIoT account service, through the OCARIoT API gateway. Authenticate with " +
			"`username` and `password` (the provider logs in and renews the one-day access token itself), or " +
			"with an `access_token` used as is. The token's scope must include `users:resetPassword`. OCARIoT " +
			"cannot generate, reset or read passwords: the provider generates passwords itself, and there is no " +
			"drift detection for this backend.",
		settings: []blockSetting{
			{name: "url", env: envOCARIoTURL, description: "The API gateway's base URL, e.g. `https://api.ocariot.example`."},
			{name: "username", env: envOCARIoTUsername, description: "The user to log in as (`POST /v1/auth`), with `password`."},
			{name: "password", env: envOCARIoTPassword, sensitive: true, description: "The password of `username`."},
			{name: "access_token", env: envOCARIoTAccessToken, sensitive: true, description: "An access token (JWT) to use instead of " +
				"`username` and `password`. It is not renewed: once it expires (after one day), calls fail until a new one is configured."},
		},
		configure: configureOCARIoT,
	}
}

// configureOCARIoT reads the block. Credentials are either an access token
// or a username and password. Credentials written in HCL win over the
// environment as a whole: an access_token in HCL ignores OCARIOT_USERNAME and
// OCARIOT_PASSWORD, and a username or password in HCL ignores
// OCARIOT_ACCESS_TOKEN, so that a variable left in a CI environment cannot
// conflict with the configuration.
func configureOCARIoT(_ context.Context, b blockConfig, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	for _, name := range []string{"url", "username", "password", "access_token"} {
		if b.hcl(name).IsUnknown() {
			diags.AddAttributeError(b.path(name), "Unknown Provider Setting",
				"ocariot."+name+" depends on values known only after apply. Configure the provider with values known at plan time.")
		}
	}
	notBlank := func(s string) bool { return strings.TrimSpace(s) != "" }
	isSet := func(name string) bool { return !b.hcl(name).IsNull() && notBlank(b.hcl(name).ValueString()) }
	if diags.HasError() {
		return nil
	}

	c := ocariot.Config{URL: b.value("url"), Now: now}
	b.require(diags, "url", c.URL, "the OCARIoT API gateway URL")

	hclToken, hclLogin := isSet("access_token"), isSet("username") || isSet("password")
	switch {
	case hclToken && hclLogin:
		diags.AddAttributeError(b.path("access_token"), "Conflicting OCARIoT Credentials",
			"Set either access_token, or username and password, not both. With username and password the provider "+
				"logs in and renews the access token itself.")
	case hclToken:
		c.AccessToken = b.hcl("access_token").ValueString()
	case hclLogin:
		c.Username, c.Password = b.value("username"), b.value("password")
	default:
		c.AccessToken, c.Username, c.Password = b.value("access_token"), b.value("username"), b.value("password")
		if notBlank(c.AccessToken) && (notBlank(c.Username) || notBlank(c.Password)) {
			diags.AddAttributeError(b.path("access_token"), "Conflicting OCARIoT Credentials",
				"The environment sets both "+envOCARIoTAccessToken+" and "+envOCARIoTUsername+"/"+envOCARIoTPassword+
					". Unset one of them, or choose in the ocariot block with access_token, or with username and password.")
		}
		if !notBlank(c.AccessToken) && !notBlank(c.Username) && !notBlank(c.Password) {
			diags.AddAttributeError(b.root, "Missing OCARIoT Credentials",
				"The provider needs either an access token (set access_token or the environment variable "+
					envOCARIoTAccessToken+") or a username and password (set username and password, or the "+
					"environment variables "+envOCARIoTUsername+" and "+envOCARIoTPassword+").")
		}
	}
	if diags.HasError() {
		return nil
	}
	// A JWT holds no whitespace; a token read from a file often ends in a newline.
	c.AccessToken = strings.TrimSpace(c.AccessToken)
	if c.AccessToken == "" {
		b.require(diags, "username", c.Username, "the OCARIoT user to log in as")
		b.require(diags, "password", c.Password, "the password of the OCARIoT user")
	}
	return b.build(diags, "OCARIoT", "url", &c.URL, func() (backend.Backend, error) { return ocariot.New(c, tc) })
}
