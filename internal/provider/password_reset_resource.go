package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
	resourceBase
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

func (r *passwordResetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan passwordResetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	recipients := parseEncryptTo(ctx, plan.EncryptTo, "No reset was done", &resp.Diagnostics)
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
	plan.EncryptedTemporaryPassword = types.StringNull()
	switch {
	case res.TemporaryPassword == "":
	case recipients != nil:
		ct, err := secretbox.Encrypt(res.TemporaryPassword, recipients)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("encrypt_to"), "Unable To Encrypt Temporary Password",
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
	notStored := "No reset was stored in state, so the next apply resets the password again."
	if plan.SendEmail.ValueBool() {
		notStored = be.Name() + " may have emailed the user a reset all the same; it was not asked twice, so " +
			"that the user gets no second email from this apply. " + notStored
	}
	expiryAt := path.Empty()
	if days != nil {
		expiryAt = path.Root("valid_for_days")
	}
	if caps.ServerReset {
		res, err := be.ResetPassword(ctx, backend.ResetInput{
			UserID:       plan.UserID.ValueString(),
			SendEmail:    plan.SendEmail.ValueBool(),
			ForceChange:  force,
			ValidForDays: days,
		})
		if err != nil {
			addChangeError(&diags, refusedAt(err, path.Empty(), expiryAt), "Unable To Reset Password", err, be.Name(), notStored)
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
		addChangeError(&diags, refusedAt(err, path.Empty(), expiryAt), "Unable To Reset Password", err, be.Name(), notStored)
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
	if imported, diags := getImported(ctx, req.Private); imported && r.data != nil && state.ResetAt.IsNull() {
		resp.Diagnostics.Append(diags...)
		if r.adoptImported(ctx, &state, &resp.Diagnostics) {
			resp.State.RemoveResource(ctx)
			return
		}
		if resp.Diagnostics.HasError() {
			return
		}
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

// Update only stores the plan: every input that shapes a reset forces a
// new one, except on the first plan after an import, which adopts them.
func (r *passwordResetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan passwordResetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setImported(ctx, resp.Private, false)...)
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
