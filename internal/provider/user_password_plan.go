package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// ValidateConfig checks what needs no backend: the generate policy and the
// combinations the schema validators cannot express.
func (r *userPasswordResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg userPasswordModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateGeneratePolicy(cfg.Generate, path.Root("generate"), &resp.Diagnostics)
	validateUserPasswordCombinations(&cfg, &resp.Diagnostics)
}

// validateUserPasswordCombinations reports password_wo without its version
// (and the reverse) and notify_user with bcrypt_hash.
func validateUserPasswordCombinations(cfg *userPasswordModel, diags *diag.Diagnostics) {
	detect := cfg.PasswordWODetectChange.ValueBool()
	switch {
	case !cfg.PasswordWO.IsNull() && cfg.PasswordWOVersion.IsNull() && !detect && !cfg.PasswordWODetectChange.IsUnknown():
		diags.AddAttributeError(path.Root("password_wo_version"), "Missing Password Version",
			"password_wo is set, so password_wo_version is required: Terraform keeps no copy of a write-only value "+
				"and cannot see it change, so the provider sets password_wo when password_wo_version changes. Set "+
				"password_wo_version to any value (e.g. 1) and change it whenever password_wo should be applied again, "+
				"or set password_wo_detect_change = true to have the provider compare password_wo with a hash of the "+
				"password it last set.")
	case detect && cfg.PasswordWO.IsNull():
		diags.AddAttributeError(path.Root("password_wo_detect_change"), "Change Detection Without Password",
			"password_wo_detect_change compares password_wo with the password last set, and password_wo is not set. "+
				"Set password_wo, or remove password_wo_detect_change.")
	case cfg.PasswordWO.IsNull() && !cfg.PasswordWOVersion.IsNull():
		diags.AddAttributeError(path.Root("password_wo_version"), "Password Version Without Password",
			"password_wo_version only says when to apply password_wo, which is not set. Set password_wo, or remove "+
				"password_wo_version.")
	}
	if !cfg.BcryptHash.IsNull() && !cfg.NotifyUser.IsUnknown() && cfg.NotifyUser.ValueBool() {
		diags.AddAttributeError(path.Root("notify_user"), "Invalid Attribute Combination",
			"notify_user must be false with bcrypt_hash: the identity system does not know the clear-text password "+
				"of an imported hash, so it cannot email it. Remove notify_user, or remove bcrypt_hash.")
	}
}

// ModifyPlan checks the configuration against the backend's capabilities
// (so that nothing is sent that the identity system cannot do) and decides
// whether the apply sets the password: only then are the computed results
// unknown.
func (r *userPasswordResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or a provider configured only at apply
	}
	var cfg, plan userPasswordModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *userPasswordModel
	if !req.State.Raw.IsNull() {
		state = &userPasswordModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	be := r.data.backend
	checkUserPasswordCapabilities(be, &cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var prior priorPrivate
	if state != nil {
		var diags diag.Diagnostics
		prior.drift, diags = getPasswordDrift(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		prior.imported, diags = getImported(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	woChanged, why, diags := passwordWOChanged(ctx, req.Config, req.Private, state, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if woChanged {
		prior.woChanged = true
		resp.Diagnostics.AddAttributeWarning(path.Root("password_wo_detect_change"), "Password Changed In Configuration",
			fmt.Sprintf("User %s: %s (password_wo_detect_change); this plan sets password_wo.", plan.UserID.ValueString(), why))
	}
	planUserPassword(be, r.data.now(), state, &cfg, &plan, prior, &resp.Diagnostics)
	if state == nil || !state.UserID.Equal(cfg.UserID) {
		r.data.checkNewUser(ctx, cfg.UserID, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// priorPrivate is what the private state of a resource in state tells its plan.
type priorPrivate struct {
	// drift is a change made outside Terraform, or a lost set.
	drift *passwordDrift
	// imported: the password was imported and has not been set since.
	imported bool
	// woChanged: password_wo_detect_change found a password_wo other than
	// the one last set (passwordWOChanged).
	woChanged bool
}

// planUserPassword fills in the plan: generated_by, and either the results
// of the last set (nothing to set) or unknown results (a set). It adds the
// plan's warnings: a chosen password stored in state, a rotation that is
// due, a change made outside Terraform.
func planUserPassword(be backend.Backend, now time.Time, state, cfg, plan *userPasswordModel, prior priorPrivate, diags *diag.Diagnostics) {
	drift := prior.drift
	mode := modeOf(cfg)
	if mode == modeChosen {
		// On the resource, not on the password attribute: Terraform prints
		// the source line an attribute diagnostic points at, and that line
		// would put a literal password in every plan's output and CI log.
		diags.AddWarning("Password Stored In Plan And State",
			"The password attribute is stored in clear text in the plan and in the state, where anyone who can read them can "+
				"read it. With Terraform 1.11 or newer, the write-only alternative password_wo (with "+
				"password_wo_version) keeps the password out of plan and state; see the guide \"Keeping passwords "+
				"out of state\".")
	}
	if mode == modeGenerated {
		if cfg.GeneratedBy.IsNull() {
			plan.GeneratedBy = types.StringValue(defaultGeneratedBy(be.Capabilities()))
		}
		if plan.GeneratedBy.ValueString() == generatedByServer && !cfg.Generate.IsNull() {
			diags.AddAttributeWarning(path.Root("generate"), "Generate Policy Ignored",
				be.Name()+" generates this password itself, following its own password policy, so the generate "+
					"policy has no effect. Set generated_by = \"provider\" to use it, or remove the generate block.")
		}
	} else {
		plan.GeneratedBy = types.StringNull()
	}

	ageDays, rotate := rotationDue(state, cfg, now)
	if rotate {
		diags.AddAttributeWarning(path.Root("rotation_days"), "Password Rotation Due",
			fmt.Sprintf("User %s: password is %d days old; rotation_days = %d. This plan issues a new password.",
				plan.UserID.ValueString(), ageDays, cfg.RotationDays.ValueInt64()))
	}
	if drift != nil {
		action := "this plan issues a new one"
		switch mode {
		case modeChosen:
			action = "this plan sets it back to password"
		case modeWriteOnly:
			action = "this plan sets it back to password_wo"
		case modeBcrypt:
			action = "this plan imports bcrypt_hash again"
		}
		summary := "Password Changed Outside Terraform"
		detail := fmt.Sprintf("The password of user %s was changed outside Terraform at %s, after the provider set it at %s; %s.",
			plan.UserID.ValueString(), drift.ChangedAt, drift.SetAt, action)
		if drift.Lost {
			summary = "Password Not Known"
			detail = fmt.Sprintf("An apply at %s may have changed the password of user %s, but the answer of %s was lost "+
				"or could not be read, so the state holds no password for it; %s.", drift.ChangedAt, plan.UserID.ValueString(), be.Name(),
				strings.Replace(action, "sets it back to", "sets it again to", 1))
		}
		if (mode == modeChosen || mode == modeWriteOnly) && be.Capabilities().ClearPasswordHistory && !cfg.ClearPasswordHistory.ValueBool() {
			detail += " If " + be.Name() + " refuses it as a recently used password, set clear_password_history = true."
		}
		diags.AddWarning(summary, detail)
	}

	encrypted := mode == modeGenerated && !cfg.EncryptTo.IsNull()
	set := setNeeded(state, cfg, plan, rotate, drift != nil || prior.woChanged, prior.imported)
	if set {
		checkFutureExpiry(cfg.ExpiresAt, now, diags)
		warnExpiryInDays(be, cfg.ExpiresAt, now, diags)
	} else if mode == modeGenerated && !cfg.RotationDays.IsNull() && state.LastChangedAt.IsNull() {
		diags.AddAttributeWarning(path.Root("rotation_days"), "Password Age Unknown",
			fmt.Sprintf("User %s: the password's last change is not known (it was imported, and %s does not report when "+
				"a password last changed), so rotation_days counts from the next time the provider sets it. Change "+
				"triggers to issue a new password now.", plan.UserID.ValueString(), be.Name()))
	}
	if set {
		switch {
		case mode == modeChosen:
			// plan.Password is the configured value.
		case mode == modeGenerated && !encrypted:
			plan.Password = types.StringUnknown()
		default:
			plan.Password = types.StringNull()
		}
		plan.EncryptedPassword = types.StringNull()
		if encrypted {
			plan.EncryptedPassword = types.StringUnknown()
		}
		plan.LastChangedAt = types.StringUnknown()
		plan.ExpiryNotificationAt = types.StringUnknown()
		if cfg.ExpiresAt.IsNull() {
			plan.ExpiresAt = types.StringUnknown()
		}
	} else {
		// Nothing to set: the results of the last set stand.
		if mode != modeChosen {
			plan.Password = state.Password
		}
		plan.EncryptedPassword = state.EncryptedPassword
		plan.LastChangedAt = state.LastChangedAt
		plan.ExpiryNotificationAt = state.ExpiryNotificationAt
		if cfg.ExpiresAt.IsNull() {
			plan.ExpiresAt = state.ExpiresAt
		}
	}
	plan.PasswordWO = types.StringNull() // write-only: never planned
	plan.ID = plan.UserID
}

// setNeeded says whether the apply must set the password: at create, when
// anything that shapes the password changed, when a rotation is due and
// when the password was changed outside Terraform. It reads the
// configuration, not the plan: the framework marks computed attributes
// unknown on any update. (plan is read for generated_by and generate, whose
// defaults the configuration lacks.) imported says that the password was
// imported and not set since.
func setNeeded(state, cfg, plan *userPasswordModel, rotationDue, drifted, imported bool) bool {
	if state == nil || rotationDue || drifted {
		return true
	}
	changed := func(a, b attr.Value) bool { return !a.Equal(b) }
	switch modeOf(cfg) {
	case modeBcrypt:
		// From any other mode, state's bcrypt_hash is null.
		if changed(cfg.BcryptHash, state.BcryptHash) {
			return true
		}
	case modeWriteOnly:
		// Only the version says that password_wo changed; from any other
		// mode, state's version is null.
		if cfg.PasswordWOVersion.IsUnknown() || changed(cfg.PasswordWOVersion, state.PasswordWOVersion) {
			return true
		}
	case modeChosen:
		if cfg.Password.IsUnknown() || changed(cfg.Password, state.Password) {
			return true // a chosen password known only at apply, or another one
		}
	default:
		switch {
		case state.GeneratedBy.IsNull():
			return true // from a chosen, write-only or bcrypt password to a generated one
		case changed(plan.GeneratedBy, state.GeneratedBy):
			return true
		case plan.GeneratedBy.ValueString() == generatedByProvider && !samePolicy(plan.Generate, state.Generate):
			return true
		case changed(cfg.EncryptTo, state.EncryptTo) && (!state.Password.IsNull() || !state.EncryptedPassword.IsNull()):
			// The password in state (clear or encrypted to the old
			// recipients) cannot be re-encrypted: a new one is issued. An
			// imported password, unknown to state, is left alone.
			return true
		}
	}
	// An imported password adopts the configured triggers: only a later
	// change of them sets it. (State imported by an earlier version of the
	// provider has no mark: no password and no last set time tell it.)
	imported = imported || state.LastChangedAt.IsNull() && state.Password.IsNull() && state.EncryptedPassword.IsNull()
	triggersChanged := changed(plan.Triggers, state.Triggers) && (!imported || !state.Triggers.IsNull())
	return triggersChanged ||
		changed(plan.ForceChangeOnNextLogin, state.ForceChangeOnNextLogin) ||
		(!cfg.ExpiresAt.IsNull() && changed(cfg.ExpiresAt, state.ExpiresAt))
}

// rotationDue says whether a generated password is at least rotation_days
// old on the provider's clock, and its age in whole days.
func rotationDue(state, cfg *userPasswordModel, now time.Time) (int64, bool) {
	if state == nil || cfg.RotationDays.IsNull() || cfg.RotationDays.IsUnknown() || modeOf(cfg) != modeGenerated {
		return 0, false
	}
	last, err := parseTimeValue(state.LastChangedAt)
	if err != nil || last == nil {
		return 0, false // imported: the age is unknown
	}
	// In whole days, which cannot overflow as a Duration of rotation_days could.
	ageDays := int64(now.Sub(*last) / (24 * time.Hour))
	return ageDays, ageDays >= cfg.RotationDays.ValueInt64()
}

// checkUserPasswordCapabilities refuses, at plan time, what the backend cannot do.
func checkUserPasswordCapabilities(be backend.Backend, cfg *userPasswordModel, diags *diag.Diagnostics) {
	caps, name := be.Capabilities(), be.Name()
	checkUserID(be, cfg.UserID, diags)
	if !cfg.Password.IsNull() && !caps.SetChosen {
		addUnsupported(diags, path.Root("password"), name, "set a chosen password",
			"Remove password to have the identity system issue one.")
	}
	if !cfg.PasswordWO.IsNull() && !caps.SetChosen {
		addUnsupported(diags, path.Root("password_wo"), name, "set a chosen password",
			"Remove password_wo and password_wo_version to have the identity system issue one.")
	}
	if !cfg.BcryptHash.IsNull() && !caps.BcryptImport {
		addUnsupported(diags, path.Root("bcrypt_hash"), name, "import a bcrypt hash",
			"Set the password itself with password_wo, or have one generated.")
	}
	if modeOf(cfg) == modeGenerated && !cfg.GeneratedBy.IsNull() && !cfg.GeneratedBy.IsUnknown() {
		switch cfg.GeneratedBy.ValueString() {
		case generatedByServer:
			if !caps.ServerGenerate {
				addUnsupported(diags, path.Root("generated_by"), name, "generate a password itself",
					"Use generated_by = \"provider\".")
			}
		case generatedByProvider:
			if !caps.SetChosen {
				addUnsupported(diags, path.Root("generated_by"), name, "set a password generated by the provider",
					"Use generated_by = \"server\".")
			}
		}
	}
	if !cfg.ForceChangeOnNextLogin.IsNull() && !caps.ForceChangeOnSet {
		addUnsupported(diags, path.Root("force_change_on_next_login"), name, "set a must-change flag with a password", "Remove force_change_on_next_login.")
	}
	if !cfg.ExpiresAt.IsNull() && caps.ExpiryOnSet == backend.ExpiryNone {
		addUnsupported(diags, path.Root("expires_at"), name, "take a requested password expiry",
			noExpiryAdvice(caps, "Remove expires_at; the expiry the backend reports, if any, is read into it."))
	}
	if cfg.NotifyUser.ValueBool() && !caps.NotifyUser {
		addUnsupported(diags, path.Root("notify_user"), name, "email a new password to the user", "Remove notify_user.")
	}
	if cfg.ClearPasswordHistory.ValueBool() && !caps.ClearPasswordHistory {
		addUnsupported(diags, path.Root("clear_password_history"), name, "clear a user's password history", "Remove clear_password_history.")
	}
}

// defaultGeneratedBy is the server where the backend can generate, else the provider.
func defaultGeneratedBy(caps backend.Capabilities) string {
	if caps.ServerGenerate {
		return generatedByServer
	}
	return generatedByProvider
}

// warnExpiryInDays warns, where the identity system takes a password
// expiry in whole days from the set (Zato SSO), that a requested expires_at
// is rounded up to the next whole day.
func warnExpiryInDays(be backend.Backend, expiresAt types.String, now time.Time, diags *diag.Diagnostics) {
	t, err := parseTimeValue(expiresAt)
	if err != nil || t == nil || !t.After(now) || be.Capabilities().ExpiryOnSet != backend.ExpiryDays {
		return
	}
	const day = 24 * time.Hour
	days := int64((t.Sub(now) + day - 1) / day)
	diags.AddAttributeWarning(path.Root("expires_at"), "Expiry Rounded Up To Whole Days",
		fmt.Sprintf("%s takes a password expiry as a number of days from the moment the password is set, not as a time: "+
			"expires_at becomes %d days, so the password expires around %s, up to a day after the time asked for. "+
			"expires_at in state keeps the time asked for.", be.Name(), days, now.Add(time.Duration(days)*day).UTC().Format(time.RFC3339)))
}
