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
	"github.com/identityops/terraform-provider-identity/internal/backend/huawei"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

type huaweiModel struct {
	Region          types.String `tfsdk:"region"`
	IdentityStoreID types.String `tfsdk:"identity_store_id"`
	AccessKey       types.String `tfsdk:"access_key"`
	SecretKey       types.String `tfsdk:"secret_key"`
	SecurityToken   types.String `tfsdk:"security_token"`
	Endpoint        types.String `tfsdk:"endpoint"`
}

func huaweiBlock() backendBlock {
	return backendBlock{
		name: "huawei_identity_center",
		schema: schema.SingleNestedBlock{
			MarkdownDescription: "Huawei Cloud IAM Identity Center, through its identity store API. " +
				"It issues one-time passwords and emails reset links; it cannot take a chosen password. " +
				"The credentials must be those of the organization's management account or of a delegated administrator.",
			Attributes: map[string]schema.Attribute{
				"region": schema.StringAttribute{
					MarkdownDescription: "The region of the identity store, e.g. `ap-southeast-1`; it names the endpoint " +
						"`https://identitystore.{region}.myhuaweicloud.com`. Not needed with `endpoint`. Environment: `HW_REGION_NAME`.",
					Optional: true,
				},
				"identity_store_id": schema.StringAttribute{
					MarkdownDescription: "The identity store id, `d-` followed by 10 letters or digits (e.g. `d-1234567890`). Environment: `HW_IDENTITY_STORE_ID`.",
					Optional:            true,
				},
				"access_key": schema.StringAttribute{
					MarkdownDescription: "The access key (AK) that signs requests. Environment: `HW_ACCESS_KEY`.",
					Optional:            true,
				},
				"secret_key": schema.StringAttribute{
					MarkdownDescription: "The secret key (SK). Environment: `HW_SECRET_KEY`.",
					Optional:            true,
					Sensitive:           true,
				},
				"security_token": schema.StringAttribute{
					MarkdownDescription: "The security token of temporary credentials (sent as `X-Security-Token`); " +
						"leave unset with permanent credentials. Environment: `HW_SECURITY_TOKEN`.",
					Optional:  true,
					Sensitive: true,
				},
				"endpoint": schema.StringAttribute{
					MarkdownDescription: "Overrides the endpoint (private access, proxies, the sandbox).",
					Optional:            true,
				},
			},
		},
		configure: configureHuawei,
	}
}

func configureHuawei(ctx context.Context, cfg tfsdk.Config, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	root := path.Root("huawei_identity_center")
	var m huaweiModel
	diags.Append(cfg.GetAttribute(ctx, root, &m)...)
	if diags.HasError() {
		return nil
	}
	c := huawei.Config{
		Region:          strings.TrimSpace(fromEnv(m.Region, "HW_REGION_NAME")),
		IdentityStoreID: strings.TrimSpace(fromEnv(m.IdentityStoreID, "HW_IDENTITY_STORE_ID")),
		AccessKey:       strings.TrimSpace(fromEnv(m.AccessKey, "HW_ACCESS_KEY")),
		SecretKey:       fromEnv(m.SecretKey, "HW_SECRET_KEY"),
		SecurityToken:   fromEnv(m.SecurityToken, "HW_SECURITY_TOKEN"),
		Now:             now,
	}
	if !m.Endpoint.IsNull() && !m.Endpoint.IsUnknown() {
		c.Endpoint = m.Endpoint.ValueString()
	}
	if c.Endpoint == "" {
		requireSetting(diags, root.AtName("region"), c.Region, "HW_REGION_NAME", "the Huawei Cloud region of the identity store (or an endpoint)")
	}
	requireSetting(diags, root.AtName("identity_store_id"), c.IdentityStoreID, "HW_IDENTITY_STORE_ID", "the IAM Identity Center identity store id")
	requireSetting(diags, root.AtName("access_key"), c.AccessKey, "HW_ACCESS_KEY", "a Huawei Cloud access key")
	requireSetting(diags, root.AtName("secret_key"), c.SecretKey, "HW_SECRET_KEY", "a Huawei Cloud secret key")
	if diags.HasError() {
		return nil
	}
	if err := huawei.ValidateIdentityStoreID(c.IdentityStoreID); err != nil {
		diags.AddAttributeError(root.AtName("identity_store_id"), "Invalid Identity Store ID", err.Error())
	}
	if c.Endpoint == "" {
		if err := huawei.ValidateRegion(c.Region); err != nil {
			diags.AddAttributeError(root.AtName("region"), "Invalid Region", err.Error())
		}
	} else {
		c.Endpoint = checkURL(diags, root.AtName("endpoint"), c.Endpoint)
	}
	if diags.HasError() {
		return nil
	}
	be, err := huawei.New(c, tc)
	if err != nil {
		diags.AddAttributeError(root, "Invalid Huawei Cloud IAM Identity Center Configuration", err.Error())
		return nil
	}
	return be
}
