package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/passgen"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var (
	_ resource.ResourceWithConfigure  = (*passwordResetResource)(nil)
	_ resource.ResourceWithModifyPlan = (*passwordResetResource)(nil)
)

// NewPasswordResetResource is the identity_password_reset factory.
func NewPasswordResetResource() resource.Resource {
	return &passwordResetResource{}
}

// passwordResetResource is one reset, done at create, whose result lives in
// state so that it can be used and is not repeated on every apply.
type passwordResetResource struct {
	data *providerData
}

// passwordResetModel is the resource's state and plan.
type passwordResetModel struct {
	ID                     types.String `tfsdk:"id"`
	UserID                 types.String `tfsdk:"user_id"`
	SendEmail              types.Bool   `tfsdk:"send_email"`
	ForceChangeOnNextLogin types.Bool   `tfsdk:"force_change_on_next_login"`
	ValidForDays           types.Int64  `tfsdk:"valid_for_days"`
	Triggers               types.Map    `tfsdk:"triggers"`
	TemporaryPassword      types.String `tfsdk:"temporary_password"`
	ResetAt                types.String `tfsdk:"reset_at"`
	ExpiresAt              types.String `tfsdk:"expires_at"`
}

func (r *passwordResetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_password_reset"
}

func (r *passwordResetResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = passwordResetSchema()
}

var passwordResetSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "One password reset, done at create. Its result (a temporary password and its expiry) " +
			"lives in state so that it can be handed to the next step of a pipeline and is not repeated on every " +
			"apply. Change `triggers` to reset again. Destroy removes it from state only: a reset cannot be undone. " +
			"Backends without a server-side reset (OCARIoT, Zato over REST) reset by setting a freshly generated password.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Unique per reset.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The backend's user id, as for `identity_user_password`. Changing it resets again.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{userIDValidator{}},
			},
			"send_email": schema.BoolAttribute{
				MarkdownDescription: "The identity system emails the user (IDaaS `emailPassword`, Huawei `EMAIL`); " +
					"nothing secret is returned. Default `false`.",
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(false),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"force_change_on_next_login": schema.BoolAttribute{
				MarkdownDescription: "The user must change the temporary password at the next login, where the " +
					"backend takes it (default `true` there; null elsewhere).",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplaceIfConfigured(), boolplanmodifier.UseStateForUnknown()},
			},
			"valid_for_days": schema.Int64Attribute{
				MarkdownDescription: "Requested lifetime in days, where the backend takes one (IDaaS `expiryTime`, Zato expiry).",
				Optional:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:          []validator.Int64{int64validator.Between(1, 3650)},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; change them to reset again.",
				ElementType:         types.StringType,
				Optional:            true,
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"temporary_password": schema.StringAttribute{
				MarkdownDescription: "The temporary password the reset produced (null with `send_email`).",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"reset_at": schema.StringAttribute{
				MarkdownDescription: "When the reset was done (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the temporary password expires (RFC 3339), where known: FinSpace `reset_at` + 7 " +
					"days, IDaaS `expiryTime`, Zato the server's expiry or `reset_at` + days; null where the backend does not say.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
})

func (r *passwordResetResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return
	}
	r.data = data
}

// ModifyPlan refuses, at plan time, what the backend cannot do, and plans
// the backend's default for force_change_on_next_login.
func (r *passwordResetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var cfg, plan passwordResetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	be := r.data.backend
	caps, name := be.Capabilities(), be.Name()
	if !cfg.UserID.IsNull() && !cfg.UserID.IsUnknown() {
		if err := be.ValidateUserID(cfg.UserID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Invalid User ID", fmt.Sprintf("%s expects %s: %s.", name, caps.UserIDDescription, err))
		}
	}
	if cfg.SendEmail.ValueBool() && !caps.EmailReset {
		addUnsupported(&resp.Diagnostics, path.Root("send_email"), name, "email the user a password reset", "Remove send_email to receive a temporary password instead.")
	}
	takesExpiry := caps.ExpiryOnSet != backend.ExpiryNone
	takesForce := caps.ForceChangeOnSet
	if caps.ServerReset {
		takesExpiry, takesForce = caps.ExpiryOnReset, caps.ForceChangeOnReset
	}
	if !cfg.ValidForDays.IsNull() && !takesExpiry {
		addUnsupported(&resp.Diagnostics, path.Root("valid_for_days"), name, "take a lifetime for a reset password", "Remove valid_for_days.")
	}
	if !cfg.ForceChangeOnNextLogin.IsNull() && !takesForce {
		addUnsupported(&resp.Diagnostics, path.Root("force_change_on_next_login"), name, "set a must-change flag with a reset", "Remove force_change_on_next_login.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.ForceChangeOnNextLogin.IsNull() && plan.ForceChangeOnNextLogin.IsUnknown() {
		if takesForce {
			plan.ForceChangeOnNextLogin = types.BoolValue(true)
		} else {
			plan.ForceChangeOnNextLogin = types.BoolNull()
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	}
}

func (r *passwordResetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan passwordResetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, diags := r.reset(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = transport.MaskSecrets(ctx, res.TemporaryPassword)
	id, err := newResetID()
	if err != nil {
		resp.Diagnostics.AddError("Unable To Make An ID", "The reset was done but no id could be drawn from crypto/rand: "+err.Error())
		return
	}
	plan.ID = types.StringValue(id)
	plan.TemporaryPassword = types.StringNull()
	if res.TemporaryPassword != "" {
		plan.TemporaryPassword = types.StringValue(res.TemporaryPassword)
	}
	plan.ResetAt = timeValue(&res.ResetAt)
	plan.ExpiresAt = timeValue(res.ExpiresAt)
	tflog.Info(ctx, "password reset", map[string]any{"user_id": plan.UserID.ValueString(), "emailed": plan.SendEmail.ValueBool()})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// reset does the reset: server-side where the backend has one, else by
// setting a freshly generated password.
func (r *passwordResetResource) reset(ctx context.Context, plan *passwordResetModel) (backend.ResetResult, diag.Diagnostics) {
	var diags diag.Diagnostics
	be := r.data.backend
	caps := be.Capabilities()
	var force *bool
	if !plan.ForceChangeOnNextLogin.IsNull() && !plan.ForceChangeOnNextLogin.IsUnknown() {
		v := plan.ForceChangeOnNextLogin.ValueBool()
		force = &v
	}
	var days *int64
	if !plan.ValidForDays.IsNull() {
		v := plan.ValidForDays.ValueInt64()
		days = &v
	}
	if caps.ServerReset {
		res, err := be.ResetPassword(ctx, backend.ResetInput{
			UserID:       plan.UserID.ValueString(),
			SendEmail:    plan.SendEmail.ValueBool(),
			ForceChange:  force,
			ValidForDays: days,
		})
		if err != nil {
			addBackendError(&diags, "Unable To Reset Password", err)
		}
		return res, diags
	}

	policy := passgen.DefaultPolicy()
	if caps.ProviderGenerateDefaultLength > 0 {
		policy.Length = int64(caps.ProviderGenerateDefaultLength)
	}
	pw, err := passgen.Generate(policy)
	if err != nil {
		diags.AddError("Unable To Generate Password", err.Error())
		return backend.ResetResult{}, diags
	}
	ctx = transport.MaskSecrets(ctx, pw)
	now := r.data.now().UTC()
	in := backend.SetPasswordInput{UserID: plan.UserID.ValueString(), Password: pw, ForceChange: force}
	if days != nil {
		t := now.Add(time.Duration(*days) * 24 * time.Hour)
		in.ExpiresAt = &t
	}
	set, err := be.SetPassword(ctx, in)
	if err != nil {
		addBackendError(&diags, "Unable To Reset Password", err)
		return backend.ResetResult{}, diags
	}
	res := backend.ResetResult{TemporaryPassword: pw, ResetAt: now, ExpiresAt: set.ExpiresAt}
	if set.LastChangedAt != nil {
		res.ResetAt = *set.LastChangedAt
	}
	if res.ExpiresAt == nil && in.ExpiresAt != nil {
		res.ExpiresAt = in.ExpiresAt
	}
	return res, diags
}

// Read keeps the reset as it is: the identity system has no record of a
// reset to compare with.
func (r *passwordResetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state passwordResetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only stores the plan: every input that shapes a reset forces a new one.
func (r *passwordResetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan passwordResetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete removes the reset from state only: a reset cannot be undone.
func (r *passwordResetResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Debug(ctx, "identity_password_reset removed from state; the reset itself cannot be undone")
}

// newResetID draws a random id for one reset.
func newResetID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
