package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

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
	if !req.State.Raw.IsNull() {
		r.replaceExpiredImport(ctx, req, &cfg, resp)
	}
	be := r.data.backend
	caps, name := be.Capabilities(), be.Name()
	checkUserID(be, cfg.UserID, &resp.Diagnostics)
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
		addUnsupported(&resp.Diagnostics, path.Root("valid_for_days"), name, "take a lifetime for a reset password",
			noExpiryAdvice(caps, "Remove valid_for_days."))
	}
	if !cfg.ForceChangeOnNextLogin.IsNull() && !takesForce {
		addUnsupported(&resp.Diagnostics, path.Root("force_change_on_next_login"), name, "set a must-change flag with a reset", "Remove force_change_on_next_login.")
	}
	checkResetWhenExpired(be, &cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	stateUser := types.StringNull()
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("user_id"), &stateUser)...)
		warnNeverExpires(ctx, req, &cfg, &resp.Diagnostics)
	}
	if !stateUser.Equal(cfg.UserID) {
		r.data.checkNewUser(ctx, cfg.UserID, &resp.Diagnostics) // a new reset, for a user not checked yet
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

// replaceExpiredImport replaces an imported reset whose password has
// expired when the configuration asks for reset_when_expired: the reset in
// state does not have it yet (the first plan after an import adopts it), so
// refresh could not drop it.
func (r *passwordResetResource) replaceExpiredImport(ctx context.Context, req resource.ModifyPlanRequest, cfg *passwordResetModel, resp *resource.ModifyPlanResponse) {
	imported, diags := getImported(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if !imported || !cfg.ResetWhenExpired.ValueBool() {
		return
	}
	var state passwordResetModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &state)...); resp.Diagnostics.HasError() {
		return
	}
	state.ResetWhenExpired = cfg.ResetWhenExpired
	if expired, _ := resetExpired(state, r.data.now()); expired {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("reset_when_expired"))
	}
}

// checkResetWhenExpired refuses reset_when_expired where the backend never
// says when a reset expires (it would never act), or says so only for a
// requested lifetime that is not given.
func checkResetWhenExpired(be backend.Backend, cfg *passwordResetModel, diags *diag.Diagnostics) {
	if !cfg.ResetWhenExpired.ValueBool() {
		return
	}
	switch resetExpiryOf(be.Capabilities()) {
	case expiryUnknown:
		addUnsupported(diags, path.Root("reset_when_expired"), be.Name(), "say when a reset's temporary password expires",
			"Remove reset_when_expired: expires_at stays null, so it would never act. Change triggers to reset again.")
	case expiryIfRequested:
		if cfg.ValidForDays.IsNull() {
			diags.AddAttributeError(path.Root("reset_when_expired"), "Not Supported By "+be.Name(),
				be.Name()+" says when a reset's temporary password expires only when it is given a lifetime, so without "+
					"valid_for_days expires_at stays null and reset_when_expired would never act. Set valid_for_days, or "+
					"remove reset_when_expired.")
		}
	}
}

// warnNeverExpires warns that reset_when_expired cannot act on a reset in
// state that has no expiry (the identity system gave it none, e.g. an
// IDaaS tenant whose policy sets no expiry, and no valid_for_days).
func warnNeverExpires(ctx context.Context, req resource.ModifyPlanRequest, cfg *passwordResetModel, diags *diag.Diagnostics) {
	if !cfg.ResetWhenExpired.ValueBool() {
		return
	}
	var expiresAt types.String
	if diags.Append(req.State.GetAttribute(ctx, path.Root("expires_at"), &expiresAt)...); diags.HasError() || !expiresAt.IsNull() {
		return
	}
	diags.AddAttributeWarning(path.Root("reset_when_expired"), "Reset Never Expires",
		"The reset in state has no expires_at: the identity system gave its temporary password no expiry, so "+
			"reset_when_expired will not act on it. Set valid_for_days (which resets again), or change triggers.")
}
