package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/finspace"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

type finspaceModel struct {
	Region   types.String `tfsdk:"region"`
	Profile  types.String `tfsdk:"profile"`
	Endpoint types.String `tfsdk:"endpoint"`
}

func finspaceBlock() backendBlock {
	return backendBlock{
		name: "aws_finspace",
		schema: schema.SingleNestedBlock{
			MarkdownDescription: "AWS FinSpace Data, through its `ResetUserPassword` and `GetUser` operations. " +
				"**AWS has deprecated the FinSpace Data API** and says it will be discontinued; the provider supports it for " +
				"existing environments. FinSpace can only issue temporary passwords (valid 7 days, to be changed at first " +
				"login): it takes no chosen password. Credentials come from the standard AWS chain (environment variables " +
				"such as `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, shared config and credentials files, SSO, web identity, " +
				"container and EC2 instance metadata), as for the AWS CLI; they are never set in this block.",
			Attributes: map[string]schema.Attribute{
				"region": schema.StringAttribute{
					MarkdownDescription: "The AWS region of the FinSpace environment: one of `us-east-1`, `us-east-2`, `us-west-2`, " +
						"`ca-central-1`, `eu-west-1`. Default: the AWS chain's (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`).",
					Optional: true,
				},
				"profile": schema.StringAttribute{
					MarkdownDescription: "The shared config profile to take credentials and region from. Default: `AWS_PROFILE`, else `default`.",
					Optional:            true,
				},
				"endpoint": schema.StringAttribute{
					MarkdownDescription: "Overrides `https://finspace-api.{region}.amazonaws.com`, e.g. the FIPS endpoint " +
						"`https://finspace-api-fips.{region}.amazonaws.com`, a proxy, or the sandbox. With it, any region name is accepted.",
					Optional: true,
				},
			},
		},
		configure: configureFinSpace,
	}
}

func configureFinSpace(ctx context.Context, cfg tfsdk.Config, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend {
	root := path.Root("aws_finspace")
	var m finspaceModel
	diags.Append(cfg.GetAttribute(ctx, root, &m)...)
	if diags.HasError() {
		return nil
	}
	// Region and profile fall back to the AWS chain itself (AWS_REGION,
	// AWS_PROFILE, the shared files), not to variables of our own.
	c := finspace.Config{
		Region:   finspaceSetting(m.Region),
		Profile:  finspaceSetting(m.Profile),
		Endpoint: finspaceSetting(m.Endpoint),
		Now:      now,
	}
	if c.Endpoint != "" {
		if c.Endpoint = checkURL(diags, root.AtName("endpoint"), c.Endpoint); diags.HasError() {
			return nil
		}
	}
	be, err := finspace.New(ctx, c, tc)
	switch {
	case errors.Is(err, finspace.ErrRegion):
		diags.AddAttributeError(root.AtName("region"), "Invalid AWS FinSpace Region", err.Error())
		return nil
	case err != nil:
		diags.AddAttributeError(root, "Invalid AWS FinSpace Configuration", err.Error())
		return nil
	}
	// Credentials are resolved now (and cached), so that a block without any
	// fails at plan, before any resource sends a request.
	if err := be.CheckCredentials(ctx); err != nil {
		diags.AddAttributeError(root, "Missing AWS Credentials", err.Error()+
			". Set credentials for the AWS SDK's standard chain, or name a profile that has them (profile).")
		return nil
	}
	return be
}

// finspaceSetting is the configured value, or "" when null or unknown.
func finspaceSetting(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}
