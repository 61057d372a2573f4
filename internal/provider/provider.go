// Package provider implements the identity provider: its configuration,
// resources and data sources. It knows nothing of any vendor: it talks to an
// identity system through backend.Backend, built from the one backend block
// of the provider configuration (see backends.go).
package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var (
	_ provider.Provider                       = (*identityProvider)(nil)
	_ provider.ProviderWithConfigValidators   = (*identityProvider)(nil)
	_ provider.ProviderWithValidateConfig     = (*identityProvider)(nil)
	_ provider.ProviderWithActions            = (*identityProvider)(nil)
	_ provider.ProviderWithListResources      = (*identityProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*identityProvider)(nil)
)

// New returns the provider factory for providerserver.Serve.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &identityProvider{version: version, now: time.Now}
	}
}

// identityProvider is the provider implementation.
type identityProvider struct {
	version string
	// now is the provider's clock, injected by tests to move time.
	now func() time.Time
	// observe, when set (by tests), is told each secret the provider makes
	// that no emulator sees: a password identity_password generates (kind
	// "generated password"), the hash of a password_wo kept in private state
	// ("password_wo hash"), so that tests can look for them in plans, state
	// and logs.
	observe func(kind, value string)
}

// identityProviderModel is the transport part of the provider block. The
// backend blocks are read separately (see backends.go), so that each lives
// beside its own schema.
type identityProviderModel struct {
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	CACertificatePEM  types.String  `tfsdk:"ca_certificate_pem"`
}

// providerData is what resources, data sources and actions receive in Configure.
type providerData struct {
	backend backend.Backend
	now     func() time.Time
	// checks is what this provider process has checked at plan time.
	checks planChecks
	// kind is the backend block's name and tenant the instance of the
	// identity system it reaches: with the user id, a resource's identity
	// (identity.go).
	kind, tenant string
	// observe: see identityProvider.
	observe func(kind, value string)
}

func (p *identityProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "identity"
	resp.Version = p.version
}

func (p *identityProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

// providerSchema is built once per process: the provider server asks for it
// on every RPC.
var providerSchema = sync.OnceValue(func() schema.Schema {
	blocks := map[string]schema.Block{}
	for _, b := range backendBlocks {
		blocks[b.name] = b.schema()
	}
	return schema.Schema{
		MarkdownDescription: "Manages user passwords in identity systems: set a chosen password, have one " +
			"generated, or trigger a reset and use the temporary password. One provider block talks to one " +
			"identity system through exactly one backend block; use `alias` for several.",
		Attributes: map[string]schema.Attribute{
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Retries of a request that failed with 429, 502, 503, 504 or a connection error, "+
					"with exponential backoff and jitter, honouring `Retry-After`. Default %d.", transport.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 50)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of each attempt, as a Go duration (`\"30s\"`, `\"2m\"`), and of each run of the " +
					"`zato` command with the Zato CLI transport. Default `\"30s\"`.",
				Optional:   true,
				Validators: []validator.String{durationValidator},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Requests per second to the identity system, shared by every resource of this provider " +
					"block (one token bucket), so that `-parallelism` cannot trip a rate limit. Default 0: no limit.",
				Optional:   true,
				Validators: []validator.Float64{nonNegativeFloat{}},
			},
			"ca_certificate_pem": schema.StringAttribute{
				MarkdownDescription: "An extra CA certificate (PEM) to trust, for private deployments and the sandbox.",
				Optional:            true,
				Validators:          []validator.String{pemCertificateValidator},
			},
		},
		Blocks: blocks,
	}
})

func (p *identityProvider) ConfigValidators(_ context.Context) []provider.ConfigValidator {
	var paths []path.Expression
	for _, b := range backendBlocks {
		paths = append(paths, path.MatchRoot(b.name))
	}
	return []provider.ConfigValidator{providervalidator.AtLeastOneOf(paths...)}
}

// ValidateConfig refuses more than one backend block. (providervalidator's
// ExactlyOneOf cannot be used: an absent single nested block reads as a
// null object but a present empty one must still count.)
func (p *identityProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var set []string
	for _, b := range backendBlocks {
		var obj types.Object
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(b.name), &obj)...)
		if !obj.IsNull() {
			set = append(set, b.name)
		}
	}
	if len(set) > 1 {
		resp.Diagnostics.AddAttributeError(path.Root(set[1]), "Several Backend Blocks",
			fmt.Sprintf("A provider block talks to one identity system, but this one has %q and %q. "+
				"Declare one provider block per identity system and tell them apart with alias.", set[0], set[1]))
	}
}

func (p *identityProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg identityProviderModel
	for name, dst := range map[string]any{
		"max_retries":         &cfg.MaxRetries,
		"request_timeout":     &cfg.RequestTimeout,
		"requests_per_second": &cfg.RequestsPerSecond,
		"ca_certificate_pem":  &cfg.CACertificatePEM,
	} {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), dst)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	tc := transport.Config{
		MaxRetries:     transport.DefaultMaxRetries,
		RequestTimeout: transport.DefaultRequestTimeout,
		UserAgent:      fmt.Sprintf("terraform-provider-identity/%s terraform/%s", p.version, req.TerraformVersion),
	}
	if !cfg.MaxRetries.IsNull() && !cfg.MaxRetries.IsUnknown() {
		tc.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if !cfg.RequestTimeout.IsNull() && !cfg.RequestTimeout.IsUnknown() {
		d, err := time.ParseDuration(cfg.RequestTimeout.ValueString())
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				"request_timeout must be a positive Go duration such as \"30s\".")
			return
		}
		tc.RequestTimeout = d
	}
	if !cfg.RequestsPerSecond.IsNull() && !cfg.RequestsPerSecond.IsUnknown() {
		tc.RequestsPerSecond = cfg.RequestsPerSecond.ValueFloat64()
	}
	if !cfg.CACertificatePEM.IsNull() && !cfg.CACertificatePEM.IsUnknown() {
		tc.CACertificatePEM = cfg.CACertificatePEM.ValueString()
	}

	for _, b := range backendBlocks {
		var obj types.Object
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(b.name), &obj)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if obj.IsNull() {
			continue
		}
		if obj.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(b.name), "Unknown Backend Configuration",
				"The "+b.name+" block depends on values known only after apply. Configure the provider with values known at plan time.")
			return
		}
		bc := b.config(obj)
		be := b.configure(ctx, bc, tc, p.now, &resp.Diagnostics)
		if resp.Diagnostics.HasError() || be == nil {
			return
		}
		warnHTTPSettings(be, &cfg, &resp.Diagnostics)
		data := &providerData{backend: be, now: p.now, observe: p.observe, kind: b.name, tenant: blockTenants[b.name](bc, be)}
		resp.ResourceData = data
		resp.DataSourceData = data
		resp.ActionData = data
		resp.ListResourceData = data
		resp.EphemeralResourceData = data
		return
	}
	resp.Diagnostics.AddError("No Backend Block",
		"The provider block needs exactly one backend block: "+backendBlockNames()+".")
}

func (p *identityProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewUserPasswordResource,
		NewPasswordResetResource,
	}
}

// Actions are offered to Terraform 1.14 and newer; older versions ignore them.
func (p *identityProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewSendPasswordResetAction,
		NewExpirePasswordAction,
	}
}

// ListResources are offered to Terraform 1.14 and newer (terraform query).
func (p *identityProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewUserPasswordListResource,
	}
}

// EphemeralResources are offered to Terraform 1.10 and newer (and OpenTofu 1.11).
func (p *identityProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewPasswordEphemeralResource,
	}
}

func (p *identityProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewUserDataSource,
	}
}

// warnHTTPSettings warns about transport settings that a backend sending no
// HTTP requests (the zato command) cannot honour.
func warnHTTPSettings(be backend.Backend, cfg *identityProviderModel, diags *diag.Diagnostics) {
	if !be.Capabilities().LocalCommand {
		return
	}
	for _, s := range []struct {
		name string
		v    attr.Value
	}{{"max_retries", cfg.MaxRetries}, {"requests_per_second", cfg.RequestsPerSecond}, {"ca_certificate_pem", cfg.CACertificatePEM}} {
		if name := s.name; !s.v.IsNull() {
			diags.AddAttributeWarning(path.Root(name), "Setting Has No Effect",
				fmt.Sprintf("%s runs the zato command on this host and sends no HTTP request, so %s has no effect with "+
					"this provider block (request_timeout bounds each run of the command). Remove %s.", be.Name(), name, name))
		}
	}
}
