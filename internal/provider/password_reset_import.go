package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

var _ resource.ResourceWithImportState = (*passwordResetResource)(nil)

// resetImportable says whether a backend reports what an imported reset
// needs: when the password last changed (reset_at) and when it expires
// (expires_at, which reset_when_expired acts on).
func resetImportable(c backend.Capabilities) bool {
	return c.ReadUser && c.ReadPasswordChangedAt && c.ReadPasswordExpiry
}

// ImportState takes a user id and adopts the user's current password as a
// reset done when the identity system says it last changed, expiring when
// it says it expires (the read that follows fills both in). No password
// comes into state, and the first plan adopts the configuration instead
// of resetting again: only a change of it afterwards, or reset_when_expired
// once expires_at has passed, resets.
func (r *passwordResetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The provider must be configured to import identity_password_reset.")
		return
	}
	be := r.data.backend
	if err := be.ValidateUserID(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", "The import id must be the user id: "+userIDProblem(be, err))
		return
	}
	if !resetImportable(be.Capabilities()) {
		resp.Diagnostics.AddError("Import Not Supported By "+be.Name(),
			be.Name()+" does not report when a user's password last changed and when it expires, so there is nothing "+
				"an imported identity_password_reset could hold. Create the resource instead: that resets the password.")
		return
	}
	id, err := newResetID()
	if err != nil {
		resp.Diagnostics.AddError("Unable To Make An ID", "No id could be drawn from crypto/rand: "+err.Error())
		return
	}
	state := passwordResetModel{
		ID:                         types.StringValue(id),
		UserID:                     types.StringValue(req.ID),
		SendEmail:                  types.BoolValue(false),
		ForceChangeOnNextLogin:     types.BoolNull(),
		ValidForDays:               types.Int64Null(),
		Triggers:                   types.MapNull(types.StringType),
		ResetWhenExpired:           types.BoolValue(false),
		EncryptTo:                  types.ListNull(types.StringType),
		TemporaryPassword:          types.StringNull(),
		EncryptedTemporaryPassword: types.StringNull(),
		ResetAt:                    types.StringNull(),
		ExpiresAt:                  types.StringNull(),
	}
	resp.Diagnostics.Append(setImported(ctx, resp.Private, true)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// adoptImported fills in a reset just imported from the user's password
// metadata. It reports whether the user is gone (the import then fails as
// Terraform's import of a missing object does).
func (r *passwordResetResource) adoptImported(ctx context.Context, state *passwordResetModel, diags *diag.Diagnostics) (gone bool) {
	u, err := r.data.backend.ReadPassword(ctx, state.UserID.ValueString())
	if errors.Is(err, backend.ErrNotFound) {
		return true
	}
	if err != nil {
		addBackendError(diags, "Unable To Read User", err)
		return false
	}
	state.ResetAt = timeValue(u.PasswordLastChangedAt)
	state.ExpiresAt = timeValue(u.PasswordExpiresAt)
	state.ForceChangeOnNextLogin = types.BoolPointerValue(u.PasswordMustChange)
	return false
}
