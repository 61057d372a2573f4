package provider

import (
	"context"
	"errors"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	return schema.Schema{
		MarkdownDescription: "Reads one user and its password metadata, for `check` blocks in CI pipelines " +
			"(\"no managed password expires within 14 days\"). Each attribute is null where the backend does " +
			"not report it; a backend that cannot read users at all (OCARIoT) leaves every attribute null.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The backend's user id, as for `identity_user_password`.",
				Required:            true,
				Validators:          []validator.String{userIDValidator},
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
				MarkdownDescription: "When the password expires (RFC 3339).",
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
	m.Exists, m.Enabled, m.PasswordMustChange = types.BoolNull(), types.BoolNull(), types.BoolNull()
	m.PasswordLastChangedAt, m.PasswordExpiresAt = types.StringNull(), types.StringNull()
	if be.Capabilities().ReadUser {
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
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
