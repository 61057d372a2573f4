package provider

import (
	"context"

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
