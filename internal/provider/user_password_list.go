package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

var (
	_ list.ListResourceWithConfigure      = (*userPasswordListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*userPasswordListResource)(nil)
)

// Values of status.
const (
	listStatusEnabled  = "enabled"
	listStatusDisabled = "disabled"
)

// NewUserPasswordListResource is the factory of the identity_user_password
// list resource. Terraform requires a list resource to bear the type name of
// a managed resource with identity, whose blocks `terraform query
// -generate-config-out` then writes: so it is identity_user_password, not
// identity_user (the data source of one user).
func NewUserPasswordListResource() list.ListResource {
	return &userPasswordListResource{}
}

// userPasswordListResource lists the users of the configured identity system,
// each as the identity_user_password that would adopt it.
type userPasswordListResource struct {
	configured
}

// userPasswordListModel is the list block's config.
type userPasswordListModel struct {
	NamePrefix  types.String `tfsdk:"name_prefix"`
	EmailPrefix types.String `tfsdk:"email_prefix"`
	Status      types.String `tfsdk:"status"`
}

func (l *userPasswordListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_password"
}

func (l *userPasswordListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	filter := func(desc string) listschema.StringAttribute {
		return listschema.StringAttribute{
			MarkdownDescription: desc + " Applied by the identity system (server-side); a backend whose listing " +
				"cannot filter so refuses it at plan time (see the capability matrix). Empty: no filter.",
			Optional: true,
		}
	}
	// status is checked by lister, not by a validator: Terraform 1.15
	// resolves an attribute path of a list block from the list block, so a
	// validator's error (its path relative to config) points at the block.
	status := filter("Only users in this state: `\"" + listStatusEnabled + "\"` or `\"" + listStatusDisabled + "\"`.")
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the users of the identity system for `terraform query` (Terraform 1.14+), " +
			"each with the identity of its `identity_user_password` and, with `include_resource = true`, the " +
			"resource that adopts it: `terraform query -generate-config-out=users.tf` writes an " +
			"`identity_user_password` block and an `import` block per user, and applying them adopts the users " +
			"**without setting or resetting any password** (as an import by user id). The list resource bears " +
			"the name of that managed resource, not `identity_user`, because Terraform requires a list resource's " +
			"type to be that of a managed resource with identity: the type of the blocks it generates. " +
			"The provider pages through the listing the way the identity system's API does, and stops at the " +
			"list block's `limit`.",
		Attributes: map[string]listschema.Attribute{
			"name_prefix":  filter("Only users whose name (login name, user name) starts with this."),
			"email_prefix": filter("Only users whose email address starts with this."),
			"status":       status,
		},
	}
}

func (l *userPasswordListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.configure(req.ProviderData, &resp.Diagnostics)
}

// ValidateListResourceConfig refuses, once the provider is configured, a
// backend that cannot list and a filter its listing does not apply (the
// schema's validators check the values before).
func (l *userPasswordListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var cfg userPasswordListModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...); resp.Diagnostics.HasError() {
		return
	}
	l.lister(cfg, &resp.Diagnostics)
}

func (l *userPasswordListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg userPasswordListModel
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, &cfg)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.data == nil {
		diags.AddError("Provider Not Configured", "The provider must be configured to list users.")
	}
	lister, in := l.lister(cfg, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	be := l.data.backend
	caps := be.Capabilities()
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		defer func() { tflog.Debug(ctx, "users listed", map[string]any{"count": n, "limit": req.Limit}) }()
		for u, err := range lister.ListUsers(ctx, in) {
			if err != nil {
				var r list.ListResult
				addBackendError(&r.Diagnostics, "Unable To List Users", err)
				push(r)
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = listedName(u)
			result.Diagnostics.Append(result.Identity.Set(ctx, l.data.identityOf(types.StringValue(u.ID)))...)
			if req.IncludeResource {
				state := importedUserPassword(u.ID, caps)
				result.Diagnostics.Append(result.Resource.Set(ctx, &state)...)
			}
			n++
			if !push(result) || (req.Limit > 0 && n >= req.Limit) {
				return
			}
		}
	}
}

// lister is the backend's Lister and the input the configuration asks for.
// It adds an error naming the backend when it cannot list, and one on each
// filter its listing does not apply; nothing before the provider is
// configured (the values were validated already).
func (l *userPasswordListResource) lister(cfg userPasswordListModel, diags *diag.Diagnostics) (backend.Lister, backend.ListInput) {
	in := backend.ListInput{
		NamePrefix:  cfg.NamePrefix.ValueString(),
		EmailPrefix: cfg.EmailPrefix.ValueString(),
		Status:      cfg.Status.ValueString(),
	}
	if in.Status != "" && in.Status != listStatusEnabled && in.Status != listStatusDisabled {
		diags.AddAttributeError(listConfigPath("status"), "Invalid Status",
			fmt.Sprintf("status must be %q or %q, or unset to list users in any state.", listStatusEnabled, listStatusDisabled))
	}
	if l.data == nil {
		return nil, in
	}
	be := l.data.backend
	lister, ok := be.(backend.Lister)
	if !ok || !lister.ListFilters().Supported {
		diags.AddError("Listing Not Supported By "+be.Name(),
			be.Name()+" cannot list its users through this provider block, so the identity_user_password list "+
				"resource (terraform query) cannot be used with it (see the capability matrix). Adopt its users one "+
				"by one instead, with import blocks by user id.")
		return nil, in
	}
	filters := lister.ListFilters()
	for _, f := range []struct {
		name, value string
		supported   bool
	}{
		{"name_prefix", in.NamePrefix, filters.NamePrefix},
		{"email_prefix", in.EmailPrefix, filters.EmailPrefix},
		{"status", in.Status, filters.Status},
	} {
		if f.value != "" && !f.supported {
			diags.AddAttributeError(listConfigPath(f.name), "Filter Not Supported By "+be.Name(),
				fmt.Sprintf("%s's user listing cannot filter by %s server-side, so the provider would have to fetch "+
					"every user to filter them itself. Remove %s (filters %s applies: %s).",
					be.Name(), f.name, f.name, be.Name(), supportedFilters(filters)))
		}
	}
	// Values the API cannot express (OCARIoT: a name prefix with a comma
	// or an asterisk), where the backend says so before any request.
	var fe *backend.FilterError
	if v, ok := lister.(backend.ListInputValidator); ok && !diags.HasError() && errors.As(v.ValidateListInput(in), &fe) {
		attr := map[string]string{"NamePrefix": "name_prefix", "EmailPrefix": "email_prefix", "Status": "status"}[fe.Filter]
		if attr == "" {
			diags.AddError("Invalid Filter For "+be.Name(), fe.Msg+".")
		} else {
			diags.AddAttributeError(listConfigPath(attr), "Invalid Filter For "+be.Name(), fe.Msg+".")
		}
	}
	return lister, in
}

// listConfigPath is the path of an attribute of the list block's config:
// Terraform resolves the path of a list resource's diagnostic from the list
// block, so that config is its first step.
func listConfigPath(name string) path.Path { return path.Root("config").AtName(name) }

// supportedFilters names the filters a listing applies.
func supportedFilters(f backend.ListFilters) string {
	var names []string
	for _, x := range []struct {
		name string
		ok   bool
	}{{"name_prefix", f.NamePrefix}, {"email_prefix", f.EmailPrefix}, {"status", f.Status}} {
		if x.ok {
			names = append(names, x.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// listedName is a listed user's display name: name, email and state where
// the identity system reports them, else the id.
func listedName(u backend.ListedUser) string {
	name := u.Name
	if name == "" {
		name = u.ID
	}
	if u.Email != "" {
		name += " <" + u.Email + ">"
	}
	if u.Enabled != nil && !*u.Enabled {
		name += " (disabled or locked)"
	}
	return name
}
