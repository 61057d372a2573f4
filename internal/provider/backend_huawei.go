package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/huawei"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// envHuaweiEndpoint is the endpoint's environment variable, named like the
// block's other HW_ variables (those of the Huawei Cloud Terraform provider).
const envHuaweiEndpoint = "HW_IDENTITY_CENTER_ENDPOINT"

func huaweiBlock() backendBlock {
	return backendBlock{
		name: "huawei_identity_center",
		description: "Huawei Cloud IAM Identity Center, through its identity store API. " +
			"It issues one-time passwords and emails reset links; it cannot take a chosen password. " +
			"The credentials must be those of the organization's management account or of a delegated administrator.",
		settings: []blockSetting{
			{name: "region", env: "HW_REGION_NAME", description: "The region of the identity store, e.g. `ap-southeast-1`; it names the endpoint " +
				"`https://identitystore.{region}.myhuaweicloud.com`. Not needed with `endpoint`."},
			{name: "identity_store_id", env: "HW_IDENTITY_STORE_ID", description: "The identity store id, `d-` followed by 10 letters or digits (e.g. `d-1234567890`)."},
			{name: "access_key", env: "HW_ACCESS_KEY", description: "The access key (AK) that signs requests."},
			{name: "secret_key", env: "HW_SECRET_KEY", sensitive: true, description: "The secret key (SK)."},
			{name: "security_token", env: "HW_SECURITY_TOKEN", sensitive: true, description: "The security token of temporary credentials (sent as `X-Security-Token`); " +
				"leave unset with permanent credentials."},
			{name: "endpoint", env: envHuaweiEndpoint, description: "Overrides the endpoint `https://identitystore.{region}.myhuaweicloud.com` " +
				"(private access, proxies, the sandbox)."},
		},
		configure: configureHuawei,
	}
}

func configureHuawei(_ context.Context, b blockConfig, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	c := huawei.Config{
		Region:          strings.TrimSpace(b.value("region")),
		IdentityStoreID: strings.TrimSpace(b.value("identity_store_id")),
		AccessKey:       strings.TrimSpace(b.value("access_key")),
		SecretKey:       b.value("secret_key"),
		SecurityToken:   b.value("security_token"),
		Endpoint:        b.value("endpoint"),
		Now:             now,
	}
	if c.Endpoint == "" {
		b.require(diags, "region", c.Region, "the Huawei Cloud region of the identity store (or an endpoint)")
	}
	b.require(diags, "identity_store_id", c.IdentityStoreID, "the IAM Identity Center identity store id")
	b.require(diags, "access_key", c.AccessKey, "a Huawei Cloud access key")
	b.require(diags, "secret_key", c.SecretKey, "a Huawei Cloud secret key")
	if diags.HasError() {
		return nil
	}
	if err := huawei.ValidateIdentityStoreID(c.IdentityStoreID); err != nil {
		diags.AddAttributeError(b.path("identity_store_id"), "Invalid Identity Store ID", err.Error())
	}
	if c.Endpoint == "" {
		if err := huawei.ValidateRegion(c.Region); err != nil {
			diags.AddAttributeError(b.path("region"), "Invalid Region", err.Error())
		}
	} else {
		c.Endpoint = b.checkURL(diags, "endpoint", c.Endpoint)
	}
	return b.build(diags, "Huawei Cloud IAM Identity Center", "", nil, func() (backend.Backend, error) { return huawei.New(c, tc) })
}
