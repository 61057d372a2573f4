package zato

import (
	"context"
	"errors"
	"net/http"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// The REST transport can expire a password; the CLI cannot: no `zato sso`
// command sets the must-change flag without setting a password
// (zato-cli/src/zato/cli/sso.py on support/3.2: change-user-password needs
// --password, reset-user-password sets a random one).
var _ backend.Expirer = (*RESTBackend)(nil)

// ExpireMethod implements backend.Expirer.
func (b *RESTBackend) ExpireMethod() string {
	return "sets password_must_change (PATCH /zato/sso/user)"
}

// expireTargetHints are checkTarget's hints for ExpirePassword.
var expireTargetHints = targetHints{
	missing: "Check user_id: it must be the user_id (zusr...) of an existing Zato SSO user, not its username",
	self: "Expiring it would make Zato refuse the provider's next login (E003007): expire it through another " +
		"super-user, or change its password with `zato sso change-user-password`",
}

// ExpirePassword implements backend.Expirer: PATCH /zato/sso/user with
// password_must_change = true, as a super-user. Zato 3.2's User service
// (zato-server .../service/internal/sso/user.py:230-283) passes the
// update attributes on to UserAPI._update_user (zato-sso
// src/zato/sso/user.py:971-1089), which checks password_must_change is a
// boolean (update.boolean_attrs, :162) that only a super-user may set
// (update.super_user_attrs, :150) and runs one UPDATE of that column: the
// password, its expiry and last-set time are left as they are. Zato then
// refuses the next login with E003007 until a new password is sent
// (zato-sso src/zato/sso/session.py:252-390).
//
// The super-user search comes first (checkTarget): for a user_id nobody has,
// the UPDATE matches no row and the read that follows answers 403 E005001,
// the code of many refusals; and the provider's own super-user must not be
// expired, or its next login would fail.
//
// Setting the flag twice is harmless, but the request is sent at most once
// past the point where Zato may have acted (transport.AtMostOnce), as for
// the provider's other actions: a lost answer is reported as such rather
// than repeated.
func (b *RESTBackend) ExpirePassword(ctx context.Context, userID string) (err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	if err := b.ValidateUserID(userID); err != nil {
		return err
	}
	ctx = transport.MaskSecrets(ctx, b.password)
	op := "set the must-change flag of user " + userID + " (expire the password)"
	if err := b.checkTarget(ctx, userID, op, expireTargetHints); err != nil {
		return err
	}
	tflog.Debug(ctx, "setting a Zato SSO user's must-change flag (expiring the password)", map[string]any{"user_id": userID})
	_, err = b.call(transport.AtMostOnce(ctx), http.MethodPatch, userPath, op,
		map[string]any{"user_id": userID, "password_must_change": true})
	var ae *backend.APIError
	if errors.As(err, &ae) && ae.StatusCode/100 == 2 && ae.Code == "" {
		// Answered with success, but not in a form that can be read.
		return backend.PasswordMayHaveChanged(err)
	}
	// A user deleted since the search: E005001, told from a refusal.
	return b.explainNotAllowed(ctx, userID, op, err)
}
