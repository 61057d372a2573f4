package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

var _ datasource.DataSourceWithConfigure = (*userDataSource)(nil)

// NewUserDataSource is the identity_user factory.
func NewUserDataSource() datasource.DataSource {
	return &userDataSource{}
}

// userDataSource reads one user, for check blocks.
type userDataSource struct {
	dataSourceBase
}

type userDataSourceModel struct {
	UserID                types.String `tfsdk:"user_id"`
	RequireKnown          types.Set    `tfsdk:"require_known"`
	KnownAttributes       types.Set    `tfsdk:"known_attributes"`
	Exists                types.Bool   `tfsdk:"exists"`
	Enabled               types.Bool   `tfsdk:"enabled"`
	PasswordLastChangedAt types.String `tfsdk:"password_last_changed_at"`
	PasswordExpiresAt     types.String `tfsdk:"password_expires_at"`
	PasswordMustChange    types.Bool   `tfsdk:"password_must_change"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = userDataSourceSchema()
}

var userDataSourceSchema = sync.OnceValue(func() schema.Schema {
	names := "`" + strings.Join(userAttributeNames(), "`, `") + "`"
	return schema.Schema{
		MarkdownDescription: "Reads one user and its password metadata, for `check` blocks in CI pipelines " +
			"(\"no managed password expires within 14 days\"). Not every backend reports every attribute: one it " +
			"cannot report is null, like one that has no value (a password that never expires), and " +
			"`known_attributes` tells them apart. List the attributes a check relies on in `require_known`, so that " +
			"on a backend that cannot report one the read fails instead of the check passing on null. A backend " +
			"that cannot read users at all (OCARIoT, Zato over its CLI) reports nothing, with a warning.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The backend's user id, as for `identity_user_password`.",
				Required:            true,
				Validators:          []validator.String{userIDValidator},
			},
			"require_known": schema.SetAttribute{
				MarkdownDescription: "Attributes of this data source that the configuration relies on, among " + names +
					". The read fails, naming the attribute and the backend, where the backend cannot report one of " +
					"them (see the capability matrix). (In a `check` block's own `data` block, Terraform reports a " +
					"failed read as a warning of the check.)",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(userAttributeNames()...))},
			},
			"known_attributes": schema.SetAttribute{
				MarkdownDescription: "The attributes, among " + names + ", that this backend reports for a user that " +
					"exists: any other is null because the backend cannot tell, not because it has no value. Empty " +
					"where the backend cannot read users.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"exists": schema.BoolAttribute{
				MarkdownDescription: "Whether the identity system knows the user.",
				Computed:            true,
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the user is enabled (active and not locked).",
				Computed:            true,
			},
			"password_last_changed_at": schema.StringAttribute{
				MarkdownDescription: "When the password last changed (RFC 3339).",
				Computed:            true,
			},
			"password_expires_at": schema.StringAttribute{
				MarkdownDescription: "When the password expires (RFC 3339); null for a password that does not expire.",
				Computed:            true,
			},
			"password_must_change": schema.BoolAttribute{
				MarkdownDescription: "Whether the user must change the password at the next login.",
				Computed:            true,
			},
		},
	}
})

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m userDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The identity provider must be configured before identity_user can be read.")
		return
	}
	be := d.data.backend
	if checkUserID(be, m.UserID, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	known := knownUserAttributes(be.Capabilities())
	if checkRequireKnown(ctx, be, m.RequireKnown, known, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	elems := make([]attr.Value, len(known))
	for i, name := range known {
		elems[i] = types.StringValue(name)
	}
	m.KnownAttributes = types.SetValueMust(types.StringType, elems)
	m.Exists, m.Enabled, m.PasswordMustChange = types.BoolNull(), types.BoolNull(), types.BoolNull()
	m.PasswordLastChangedAt, m.PasswordExpiresAt = types.StringNull(), types.StringNull()
	if !be.Capabilities().ReadUser {
		resp.Diagnostics.AddWarning("Nothing Read From "+be.Name(),
			be.Name()+" cannot read users, so every attribute of identity_user is null and known_attributes is empty: "+
				"a check on them proves nothing. Use require_known to make the read fail instead, or check with a "+
				"backend that reads users.")
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}
	u, err := be.ReadUser(ctx, m.UserID.ValueString())
	switch {
	case errors.Is(err, backend.ErrNotFound):
		m.Exists = types.BoolValue(false)
	case err != nil:
		addBackendError(&resp.Diagnostics, "Unable To Read User", err)
		return
	default:
		m.Exists = types.BoolValue(true)
		m.Enabled = types.BoolPointerValue(u.Enabled)
		m.PasswordMustChange = types.BoolPointerValue(u.PasswordMustChange)
		m.PasswordLastChangedAt = timeValue(u.PasswordLastChangedAt)
		m.PasswordExpiresAt = timeValue(u.PasswordExpiresAt)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// checkRequireKnown adds an error on require_known for each attribute the
// configuration relies on that the backend cannot report.
func checkRequireKnown(ctx context.Context, be backend.Backend, require types.Set, known []string, diags *diag.Diagnostics) {
	if require.IsNull() || require.IsUnknown() {
		return
	}
	var names []string
	if diags.Append(require.ElementsAs(ctx, &names, false)...); diags.HasError() {
		return
	}
	for _, name := range names {
		if slices.Contains(known, name) {
			continue
		}
		reads := "it reports " + strings.Join(known, ", ")
		if len(known) == 0 {
			reads = "it cannot read users at all"
		}
		diags.AddAttributeError(path.Root("require_known").AtSetValue(types.StringValue(name)), "Not Reported By "+be.Name(),
			fmt.Sprintf("%s cannot report %s (%s), so identity_user.%s would be null whatever the user's password, and a "+
				"check on it would pass without proving anything. Check it with a backend that reports it, or remove "+
				"%q from require_known.", be.Name(), name, reads, name, name))
	}
}
