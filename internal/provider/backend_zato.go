package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/zato"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

type zatoModel struct {
	URL         types.String `tfsdk:"url"`
	Username    types.String `tfsdk:"username"`
	Password    types.String `tfsdk:"password"`
	CurrentApp  types.String `tfsdk:"current_app"`
	ServerPath  types.String `tfsdk:"server_path"`
	ZatoCommand types.String `tfsdk:"zato_command"`
}

func zatoBlock() backendBlock {
	return backendBlock{
		name: "zato_sso",
		schema: schema.SingleNestedBlock{
			MarkdownDescription: "Zato SSO (Zato 3.x), through its SSO REST API (`url`, users addressed by `user_id`) " +
				"or through the `zato` command on the server host (`server_path`, users addressed by username). " +
				"Set exactly one of `url` and `server_path`.",
			Attributes: map[string]schema.Attribute{
				"url": schema.StringAttribute{
					MarkdownDescription: "REST transport: the server's base URL, e.g. `https://zato.example:17010`. Environment: `ZATO_SSO_URL`.",
					Optional:            true,
				},
				"username": schema.StringAttribute{
					MarkdownDescription: "REST transport: a Zato SSO super-user's name. Environment: `ZATO_SSO_USERNAME`.",
					Optional:            true,
				},
				"password": schema.StringAttribute{
					MarkdownDescription: "REST transport: the super-user's password. Environment: `ZATO_SSO_PASSWORD`.",
					Optional:            true,
					Sensitive:           true,
				},
				"current_app": schema.StringAttribute{
					MarkdownDescription: "REST transport: the `current_app` sent with every call, one of the apps in the server's `sso.conf`. " +
						"Environment: `ZATO_SSO_CURRENT_APP`.",
					Optional: true,
				},
				"server_path": schema.StringAttribute{
					MarkdownDescription: "CLI transport, when Terraform runs on the Zato server host: the server's directory, " +
						"e.g. `/opt/zato/env/server1`. A chosen password is passed to `zato sso change-user-password --password`, " +
						"where other users of the host can see it while the command runs.",
					Optional: true,
				},
				"zato_command": schema.StringAttribute{
					MarkdownDescription: "CLI transport: the `zato` command, a name looked up on `PATH` or a path. Default `\"zato\"`.",
					Optional:            true,
				},
			},
		},
		configure: configureZato,
	}
}

// configureZato picks the transport: url (HCL or ZATO_SSO_URL) for REST,
// server_path for the CLI. A server_path set in HCL wins over a URL that only
// comes from the environment (HCL is explicit, the environment ambient);
// url and server_path both in HCL is an error, as are settings of the other
// transport set in HCL.
func configureZato(ctx context.Context, cfg tfsdk.Config, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	root := path.Root("zato_sso")
	var m zatoModel
	diags.Append(cfg.GetAttribute(ctx, root, &m)...)
	if diags.HasError() {
		return nil
	}
	inHCL := func(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

	if inHCL(m.ServerPath) {
		if inHCL(m.URL) {
			diags.AddAttributeError(root.AtName("server_path"), "Conflicting Zato Transports",
				"The zato_sso block sets both url (the REST API) and server_path (the zato command). Set one of them.")
			return nil
		}
		for _, a := range []struct {
			name string
			v    types.String
		}{{"username", m.Username}, {"password", m.Password}, {"current_app", m.CurrentApp}} {
			if inHCL(a.v) {
				diags.AddAttributeError(root.AtName(a.name), "Unused Zato Setting",
					a.name+" applies to the REST transport (url) only, but this block uses the zato command (server_path). Remove it.")
			}
		}
		if diags.HasError() {
			return nil
		}
		be, err := zato.NewCLI(zato.CLIConfig{ServerPath: m.ServerPath.ValueString(), Command: m.ZatoCommand.ValueString(), Now: now})
		if err != nil {
			p := root.AtName("server_path")
			var ce *zato.CLIConfigError
			if errors.As(err, &ce) && ce.Setting == "zato_command" {
				p = root.AtName("zato_command")
			}
			diags.AddAttributeError(p, "Invalid Zato CLI Configuration", err.Error())
			return nil
		}
		return be
	}

	c := zato.RESTConfig{
		URL:        fromEnv(m.URL, "ZATO_SSO_URL"),
		Username:   fromEnv(m.Username, "ZATO_SSO_USERNAME"),
		Password:   fromEnv(m.Password, "ZATO_SSO_PASSWORD"),
		CurrentApp: fromEnv(m.CurrentApp, "ZATO_SSO_CURRENT_APP"),
		Now:        now,
	}
	if strings.TrimSpace(c.URL) == "" {
		diags.AddAttributeError(root.AtName("url"), "Missing Provider Setting",
			"The zato_sso block needs a transport: set url (or the environment variable ZATO_SSO_URL) to use the Zato SSO REST API, "+
				"or server_path to run the zato command on this host.")
		return nil
	}
	if inHCL(m.ZatoCommand) {
		diags.AddAttributeError(root.AtName("zato_command"), "Unused Zato Setting",
			"zato_command applies to the CLI transport (server_path) only, but this block uses the REST API (url). Remove it.")
		return nil
	}
	requireSetting(diags, root.AtName("username"), c.Username, "ZATO_SSO_USERNAME", "a Zato SSO super-user's name")
	requireSetting(diags, root.AtName("password"), c.Password, "ZATO_SSO_PASSWORD", "the Zato SSO super-user's password")
	requireSetting(diags, root.AtName("current_app"), c.CurrentApp, "ZATO_SSO_CURRENT_APP", "a current_app (one of the apps in the server's sso.conf)")
	if diags.HasError() {
		return nil
	}
	if c.URL = checkURL(diags, root.AtName("url"), c.URL); diags.HasError() {
		return nil
	}
	be, err := zato.NewREST(c, tc)
	if err != nil {
		diags.AddAttributeError(root, "Invalid Zato SSO Configuration", err.Error())
		return nil
	}
	return be
}
