package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/finspace"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

func finspaceBlock() backendBlock {
	return backendBlock{
		name: "aws_finspace",
		description: "AWS FinSpace Data, through its `ResetUserPassword` and `GetUser` operations. " +
			"**AWS has deprecated the FinSpace Data API** and says it will be discontinued; the provider supports it for " +
			"existing environments. FinSpace can only issue temporary passwords (valid 7 days, to be changed at first " +
			"login): it takes no chosen password. Credentials come from the standard AWS chain (environment variables " +
			"such as `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, shared config and credentials files, SSO, web identity, " +
			"container and EC2 instance metadata), as for the AWS CLI; they are never set in this block.",
		// Region and profile fall back to the AWS chain itself (AWS_REGION,
		// AWS_PROFILE, the shared files), not to variables of our own.
		settings: []blockSetting{
			{name: "region", description: "The AWS region of the FinSpace environment: one of `us-east-1`, `us-east-2`, `us-west-2`, " +
				"`ca-central-1`, `eu-west-1`. Default: the AWS chain's (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`)."},
			{name: "profile", description: "The shared config profile to take credentials and region from. Default: `AWS_PROFILE`, else `default`."},
			{name: "endpoint", description: "Overrides `https://finspace-api.{region}.amazonaws.com`, e.g. the FIPS endpoint " +
				"`https://finspace-api-fips.{region}.amazonaws.com`, a proxy, or the sandbox. With it, any region name is accepted. " +
				"Default: the endpoint the AWS configuration sets for the service, as the AWS SDKs read it: `" + finspace.EndpointEnv +
				"` (the service id `finspace data`), else `AWS_ENDPOINT_URL`, or the profile's `services` section or `endpoint_url` " +
				"(none with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`)."},
		},
		configure: configureFinSpace,
	}
}

func configureFinSpace(ctx context.Context, b blockConfig, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	c := finspace.Config{Region: b.value("region"), Profile: b.value("profile"), Endpoint: b.value("endpoint"), Now: now}
	if c.Endpoint != "" {
		if c.Endpoint = b.checkURL(diags, "endpoint", c.Endpoint); diags.HasError() {
			return nil
		}
	}
	be, err := finspace.New(ctx, c, tc)
	if errors.Is(err, finspace.ErrRegion) {
		diags.AddAttributeError(b.path("region"), "Invalid AWS FinSpace Region", err.Error())
		return nil
	}
	if errors.Is(err, finspace.ErrEndpoint) {
		diags.AddAttributeError(b.path("endpoint"), "Invalid URL", err.Error())
		return nil
	}
	if err != nil {
		diags.AddAttributeError(b.root, "Invalid AWS FinSpace Configuration", err.Error())
		return nil
	}
	// Credentials are resolved now (and cached), so that a block without any
	// fails at plan, before any resource sends a request.
	if err := be.CheckCredentials(ctx); err != nil {
		diags.AddAttributeError(b.root, "Missing AWS Credentials", err.Error()+
			". Set credentials for the AWS SDK's standard chain, or name a profile that has them (profile).")
		return nil
	}
	return be
}
