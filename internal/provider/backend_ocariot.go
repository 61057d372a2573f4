package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

type ocariotModel struct {
	URL         types.String `tfsdk:"url"`
	Username    types.String `tfsdk:"username"`
	Password    types.String `tfsdk:"password"`
	AccessToken types.String `tfsdk:"access_token"`
}

func ocariotBlock() backendBlock {
	return backendBlock{
		name: "ocariot",
		schema: schema.SingleNestedBlock{
			MarkdownDescription: "The OCARIoT account service, through the OCARIoT API gateway. Authenticate with " +
				"`username` and `password` (the provider logs in and renews the one-day access token itself), or " +
				"with an `access_token` used as is. The token's scope must include `users:resetPassword`. OCARIoT " +
				"cannot generate, reset or read passwords: the provider generates passwords itself, and there is no " +
				"drift detection for this backend.",
			Attributes: map[string]schema.Attribute{
				"url": schema.StringAttribute{
					MarkdownDescription: "The API gateway's base URL, e.g. `https://api.ocariot.example`. Environment: `" + envOCARIoTURL + "`.",
					Optional:            true,
				},
				"username": schema.StringAttribute{
					MarkdownDescription: "The user to log in as (`POST /v1/auth`), with `password`. Environment: `" + envOCARIoTUsername + "`.",
					Optional:            true,
				},
				"password": schema.StringAttribute{
					MarkdownDescription: "The password of `username`. Environment: `" + envOCARIoTPassword + "`.",
					Optional:            true,
					Sensitive:           true,
				},
				"access_token": schema.StringAttribute{
					MarkdownDescription: "An access token (JWT) to use instead of `username` and `password`. It is not " +
						"renewed: once it expires (after one day), calls fail until a new one is configured. " +
						"Environment: `" + envOCARIoTAccessToken + "`.",
					Optional:  true,
					Sensitive: true,
				},
			},
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
func configureOCARIoT(ctx context.Context, cfg tfsdk.Config, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	root := path.Root("ocariot")
	var m ocariotModel
	diags.Append(cfg.GetAttribute(ctx, root, &m)...)
	if diags.HasError() {
		return nil
	}
	for _, a := range []struct {
		name  string
		value types.String
	}{{"url", m.URL}, {"username", m.Username}, {"password", m.Password}, {"access_token", m.AccessToken}} {
		if a.value.IsUnknown() {
			diags.AddAttributeError(root.AtName(a.name), "Unknown Provider Setting",
				"ocariot."+a.name+" depends on values known only after apply. Configure the provider with values known at plan time.")
		}
	}
	notBlank := func(s string) bool { return strings.TrimSpace(s) != "" }
	isSet := func(v types.String) bool { return !v.IsNull() && notBlank(v.ValueString()) }
	if diags.HasError() {
		return nil
	}

	c := ocariot.Config{URL: fromEnv(m.URL, envOCARIoTURL), Now: now}
	requireSetting(diags, root.AtName("url"), c.URL, envOCARIoTURL, "the OCARIoT API gateway URL")

	tokenPath, userPath, passwordPath := root.AtName("access_token"), root.AtName("username"), root.AtName("password")
	hclToken, hclLogin := isSet(m.AccessToken), isSet(m.Username) || isSet(m.Password)
	switch {
	case hclToken && hclLogin:
		diags.AddAttributeError(tokenPath, "Conflicting OCARIoT Credentials",
			"Set either access_token, or username and password, not both. With username and password the provider "+
				"logs in and renews the access token itself.")
	case hclToken:
		c.AccessToken = m.AccessToken.ValueString()
	case hclLogin:
		c.Username = fromEnv(m.Username, envOCARIoTUsername)
		c.Password = fromEnv(m.Password, envOCARIoTPassword)
	default:
		c.AccessToken = fromEnv(m.AccessToken, envOCARIoTAccessToken)
		c.Username = fromEnv(m.Username, envOCARIoTUsername)
		c.Password = fromEnv(m.Password, envOCARIoTPassword)
		if notBlank(c.AccessToken) && (notBlank(c.Username) || notBlank(c.Password)) {
			diags.AddAttributeError(tokenPath, "Conflicting OCARIoT Credentials",
				"The environment sets both "+envOCARIoTAccessToken+" and "+envOCARIoTUsername+"/"+envOCARIoTPassword+
					". Unset one of them, or choose in the ocariot block with access_token, or with username and password.")
		}
		if !notBlank(c.AccessToken) && !notBlank(c.Username) && !notBlank(c.Password) {
			diags.AddAttributeError(root, "Missing OCARIoT Credentials",
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
		requireSetting(diags, userPath, c.Username, envOCARIoTUsername, "the OCARIoT user to log in as")
		requireSetting(diags, passwordPath, c.Password, envOCARIoTPassword, "the password of the OCARIoT user")
	}
	if diags.HasError() {
		return nil
	}
	if c.URL = checkURL(diags, root.AtName("url"), c.URL); diags.HasError() {
		return nil
	}
	be, err := ocariot.New(c, tc)
	if err != nil {
		diags.AddAttributeError(root, "Invalid OCARIoT Configuration", err.Error())
		return nil
	}
	return be
}
