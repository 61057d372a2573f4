package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/passgen"
	"github.com/identityops/terraform-provider-identity/internal/secretbox"
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
	ID                         types.String `tfsdk:"id"`
	UserID                     types.String `tfsdk:"user_id"`
	SendEmail                  types.Bool   `tfsdk:"send_email"`
	ForceChangeOnNextLogin     types.Bool   `tfsdk:"force_change_on_next_login"`
	ValidForDays               types.Int64  `tfsdk:"valid_for_days"`
	Triggers                   types.Map    `tfsdk:"triggers"`
	ResetWhenExpired           types.Bool   `tfsdk:"reset_when_expired"`
	EncryptTo                  types.List   `tfsdk:"encrypt_to"`
	TemporaryPassword          types.String `tfsdk:"temporary_password"`
	EncryptedTemporaryPassword types.String `tfsdk:"encrypted_temporary_password"`
	ResetAt                    types.String `tfsdk:"reset_at"`
	ExpiresAt                  types.String `tfsdk:"expires_at"`
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
			"apply. Change `triggers` to reset again, or set `reset_when_expired` to reset again once the temporary " +
			"password has expired. Set `encrypt_to` to keep the temporary password out of state in clear text. Destroy removes it from state only: a reset cannot be undone. " +
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
			"reset_when_expired": schema.BoolAttribute{
				MarkdownDescription: "Once `expires_at` has passed (by the clock of the machine running Terraform), " +
					"refresh removes the reset from state, so that the next plan creates it again: a new reset. " +
					"Nothing happens without a refresh (`-refresh=false`), and a reset whose `expires_at` is null " +
					"never expires. The provider does not check whether the user has replaced the temporary password " +
					"in the meantime: use it for accounts that keep it (test and service accounts), not for people " +
					"who will change it. Changing it does not reset. Default `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"encrypt_to": schema.ListAttribute{
				MarkdownDescription: "[age](https://age-encryption.org) recipients: X25519 `age1...` (from `age-keygen`) or post-quantum `age1pq1...`; SSH keys are not accepted. " +
					"With it the temporary password is stored only as `encrypted_temporary_password`, encrypted to " +
					"every recipient, and `temporary_password` stays null. Checked at plan time. Changing it resets again.",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				Validators:    []validator.List{listvalidator.SizeAtLeast(1), ageRecipientsValidator{}},
			},
			"encrypted_temporary_password": schema.StringAttribute{
				MarkdownDescription: "With `encrypt_to`: the temporary password as an ASCII-armoured age file " +
					"(`-----BEGIN AGE ENCRYPTED FILE-----`), to be decrypted with `age -d -i key.txt`. Not sensitive: " +
					"it can be handed on as a plain output. Null without `encrypt_to` and with `send_email`.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"temporary_password": schema.StringAttribute{
				MarkdownDescription: "The temporary password the reset produced (null with `send_email` and with `encrypt_to`). " +
					"Stored in state in clear text.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
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

// ModifyPlan refuses, at plan time, what the backend cannot do, plans the
// backend's default for force_change_on_next_login, and plans as null the
// secret attribute a new reset will not fill.
func (r *passwordResetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var cfg, plan passwordResetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() && planSecretOutputs(&plan) {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if r.data == nil {
		return
	}
	be := r.data.backend
	caps, name := be.Capabilities(), be.Name()
	if !cfg.UserID.IsNull() && !cfg.UserID.IsUnknown() {
		if err := be.ValidateUserID(cfg.UserID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Invalid User ID", fmt.Sprintf("%s expects %s: %s.", name, caps.UserIDDescription, err))
		}
	}
	if req.State.Raw.IsNull() && cfg.SendEmail.ValueBool() && !cfg.EncryptTo.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("encrypt_to"), "Nothing To Encrypt",
			"With send_email the identity system emails the user and returns no password, so encrypt_to has no effect "+
				"and encrypted_temporary_password stays null.")
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

// planSecretOutputs plans, for a new reset, the secret attribute that will
// stay null: temporary_password with encrypt_to, encrypted_temporary_password
// without it, both with send_email. It reports whether it changed the plan.
func planSecretOutputs(plan *passwordResetModel) bool {
	changed := false
	setNull := func(v *types.String) {
		if v.IsUnknown() {
			*v = types.StringNull()
			changed = true
		}
	}
	if !plan.SendEmail.IsUnknown() && plan.SendEmail.ValueBool() {
		setNull(&plan.TemporaryPassword)
		setNull(&plan.EncryptedTemporaryPassword)
		return changed
	}
	switch {
	case plan.EncryptTo.IsUnknown():
	case plan.EncryptTo.IsNull():
		setNull(&plan.EncryptedTemporaryPassword)
	default:
		setNull(&plan.TemporaryPassword)
	}
	return changed
}

func (r *passwordResetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan passwordResetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The recipients are parsed before the reset, so that a bad one cannot
	// leave a reset done and its password lost.
	var recipients []age.Recipient
	if !plan.EncryptTo.IsNull() {
		var list []string
		resp.Diagnostics.Append(plan.EncryptTo.ElementsAs(ctx, &list, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
		rs, err := secretbox.ParseRecipients(list)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("encrypt_to"), "Invalid Age Recipient",
				"No reset was done: "+err.Error()+".")
			return
		}
		recipients = rs
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
	plan.EncryptedTemporaryPassword = types.StringNull()
	switch {
	case res.TemporaryPassword == "":
	case recipients != nil:
		ct, err := secretbox.Encrypt(res.TemporaryPassword, recipients)
		if err != nil {
			resp.Diagnostics.AddError("Unable To Encrypt Temporary Password",
				"The reset was done, but its temporary password could not be encrypted to encrypt_to ("+err.Error()+"), "+
					"so it is not kept. Apply again to reset again.")
			return
		}
		plan.EncryptedTemporaryPassword = types.StringValue(ct)
	default:
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
	// Nothing of a failed reset is stored in state (Create returns none), so
	// the next apply resets again; the error says whether the password may
	// have been reset all the same.
	const notStored = "No reset was stored in state, so the next apply resets the password again."
	if caps.ServerReset {
		res, err := be.ResetPassword(ctx, backend.ResetInput{
			UserID:       plan.UserID.ValueString(),
			SendEmail:    plan.SendEmail.ValueBool(),
			ForceChange:  force,
			ValidForDays: days,
		})
		if err != nil {
			addChangeError(&diags, "Unable To Reset Password", err, be.Name(), notStored)
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
		addChangeError(&diags, "Unable To Reset Password", err, be.Name(), notStored)
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

// Read keeps the reset as it is (the identity system has no record of a
// reset to compare with), except that with reset_when_expired an expired
// reset leaves state, as time_rotating does, so that the next plan creates
// it again.
func (r *passwordResetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state passwordResetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	now := time.Now
	if r.data != nil && r.data.now != nil {
		now = r.data.now
	}
	expired, err := resetExpired(state, now())
	if err != nil {
		resp.Diagnostics.AddAttributeWarning(path.Root("expires_at"), "Unreadable Expiry",
			fmt.Sprintf("expires_at in state is not an RFC 3339 time (%s), so reset_when_expired cannot act on it.", err))
	}
	if expired {
		tflog.Info(ctx, "identity_password_reset: the temporary password has expired; removing the reset from state so that the next apply resets again",
			map[string]any{"user_id": state.UserID.ValueString(), "expires_at": state.ExpiresAt.ValueString()})
		resp.Diagnostics.AddWarning("Temporary Password Expired",
			fmt.Sprintf("The temporary password of the reset for user %s expired at %s. With reset_when_expired the reset "+
				"leaves state, and the next apply resets the password again.", state.UserID.ValueString(), state.ExpiresAt.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if state.ResetWhenExpired.IsNull() {
		// State written before reset_when_expired existed: its default,
		// so that upgrading plans no change.
		state.ResetWhenExpired = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// resetExpired reports whether a reset with reset_when_expired has reached
// its expires_at. A null expires_at never expires.
func resetExpired(state passwordResetModel, now time.Time) (bool, error) {
	if !state.ResetWhenExpired.ValueBool() {
		return false, nil
	}
	exp, err := parseTimeValue(state.ExpiresAt)
	if err != nil || exp == nil {
		return false, err
	}
	return !now.Before(*exp), nil
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
