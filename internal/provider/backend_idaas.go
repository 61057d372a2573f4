package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/idaas"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

type idaasModel struct {
	URL           types.String `tfsdk:"url"`
	ApplicationID types.String `tfsdk:"application_id"`
	SharedSecret  types.String `tfsdk:"shared_secret"`
}

func idaasBlock() backendBlock {
	return backendBlock{
		name: "entrust_idaas",
		schema: schema.SingleNestedBlock{
			MarkdownDescription: "Entrust Identity as a Service (IDaaS), through its Administration API.",
			Attributes: map[string]schema.Attribute{
				"url": schema.StringAttribute{
					MarkdownDescription: "The tenant URL, e.g. `https://acme.us.trustedauth.com`. Environment: `ENTRUST_IDAAS_URL`.",
					Optional:            true,
				},
				"application_id": schema.StringAttribute{
					MarkdownDescription: "The Administration API application id. Environment: `ENTRUST_IDAAS_APPLICATION_ID`.",
					Optional:            true,
				},
				"shared_secret": schema.StringAttribute{
					MarkdownDescription: "The Administration API shared secret. Environment: `ENTRUST_IDAAS_SHARED_SECRET`.",
					Optional:            true,
					Sensitive:           true,
				},
			},
		},
		configure: configureIDaaS,
	}
}

func configureIDaaS(ctx context.Context, cfg tfsdk.Config, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	root := path.Root("entrust_idaas")
	var m idaasModel
	diags.Append(cfg.GetAttribute(ctx, root, &m)...)
	if diags.HasError() {
		return nil
	}
	c := idaas.Config{
		URL:           fromEnv(m.URL, "ENTRUST_IDAAS_URL"),
		ApplicationID: fromEnv(m.ApplicationID, "ENTRUST_IDAAS_APPLICATION_ID"),
		SharedSecret:  fromEnv(m.SharedSecret, "ENTRUST_IDAAS_SHARED_SECRET"),
		Now:           now,
	}
	requireSetting(diags, root.AtName("url"), c.URL, "ENTRUST_IDAAS_URL", "the IDaaS tenant URL")
	requireSetting(diags, root.AtName("application_id"), c.ApplicationID, "ENTRUST_IDAAS_APPLICATION_ID", "an Administration API application id")
	requireSetting(diags, root.AtName("shared_secret"), c.SharedSecret, "ENTRUST_IDAAS_SHARED_SECRET", "an Administration API shared secret")
	if diags.HasError() {
		return nil
	}
	if c.URL = checkURL(diags, root.AtName("url"), c.URL); diags.HasError() {
		return nil
	}
	be, err := idaas.New(c, tc)
	if err != nil {
		diags.AddAttributeError(root, "Invalid Entrust IDaaS Configuration", err.Error())
		return nil
	}
	return be
}
