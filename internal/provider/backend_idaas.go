package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/idaas"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

func idaasBlock() backendBlock {
	return backendBlock{
		name:        "entrust_idaas",
		description: "Entrust Identity as a Service (IDaaS), through its Administration API.",
		settings: []blockSetting{
			{name: "url", description: "The tenant URL, e.g. `https://acme.us.trustedauth.com`.", env: "ENTRUST_IDAAS_URL"},
			{name: "application_id", description: "The Administration API application id.", env: "ENTRUST_IDAAS_APPLICATION_ID"},
			{name: "shared_secret", description: "The Administration API shared secret.", env: "ENTRUST_IDAAS_SHARED_SECRET", sensitive: true},
		},
		configure: configureIDaaS,
	}
}

func configureIDaaS(_ context.Context, b blockConfig, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	c := idaas.Config{URL: b.value("url"), ApplicationID: b.value("application_id"), SharedSecret: b.value("shared_secret"), Now: now}
	b.require(diags, "url", c.URL, "the IDaaS tenant URL")
	b.require(diags, "application_id", c.ApplicationID, "an Administration API application id")
	b.require(diags, "shared_secret", c.SharedSecret, "an Administration API shared secret")
	return b.build(diags, "Entrust IDaaS", "url", &c.URL, func() (backend.Backend, error) { return idaas.New(c, tc) })
}
