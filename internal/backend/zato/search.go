package zato

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// Zato SSO 3.x answers some questions about a user ambiguously
// (zatosource/zato support/3.2, under code/zato-sso/src/zato/sso/):
//   - GET /zato/sso/user of a user_id nobody has is HTTP 403 E005001
//     (user.py:642-646), the code it also answers for many refusals;
//   - PATCH /zato/sso/user/password for one is "ok" and changes nothing
//     (user.py:1235-1242 runs an UPDATE that matches no row, util.py:198-204).
//
// The super-user search, /zato/sso/user/search with user_id, answers
// without ambiguity: total 0 or 1 (user.py:1557-1559; Zato's own tests
// check a delete this way, zato-sso/test/zato/test_user.py:627-634).

// searchUser is the part of a search result the backend reads.
type searchUser struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
}

// findUser asks the super-user search for user_id. It returns the user, or
// nil when Zato has none. The search is sent as a POST: the channel takes
// any method (create_cluster.py:966-970) and a proxy keeps a POST's body.
func (b *RESTBackend) findUser(ctx context.Context, userID, op string) (*searchUser, error) {
	raw, err := b.call(ctx, http.MethodPost, searchPath, op, map[string]any{"user_id": userID})
	if err != nil {
		return nil, err
	}
	var out struct {
		Total  *int         `json:"total"`
		Result []searchUser `json:"result"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Total == nil {
		return nil, fmt.Errorf("%s: could not %s: the search answer has no total", restName, op)
	}
	for _, u := range out.Result {
		if u.UserID == userID {
			return &u, nil
		}
	}
	if *out.Total != 0 {
		return nil, fmt.Errorf("%s: could not %s: the search found %d users but not this user_id", restName, op, *out.Total)
	}
	return nil, nil
}

// checkTarget refuses, before a password is set, a user Zato does not have
// (Zato would answer "ok" and change nothing) and the provider's own
// super-user (Zato wants the old password for one's own, even a
// super-user's: user.py:1244-1249).
func (b *RESTBackend) checkTarget(ctx context.Context, userID, op string) error {
	u, err := b.findUser(ctx, userID, op+": check that the user exists (super-user search)")
	switch {
	case err != nil:
		return err
	case u == nil:
		return &backend.APIError{Backend: restName, Operation: op, NotFound: true,
			Message: "Zato SSO has no user with this user_id (its super-user search found none); nothing was changed",
			Hint: "Check user_id: it must be the user_id (zusr...) of an existing Zato SSO user, not its username. " +
				"Zato would answer a password change for a missing user with success and change nothing, so the provider checks first"}
	case u.Username == b.username:
		return &backend.APIError{Backend: restName, Operation: op,
			Message: fmt.Sprintf("user %s is the provider's own super-user (%s)", userID, b.username),
			Hint: "Zato changes one's own password only with the old one, which the provider does not send: " +
				"change the super-user's password with `zato sso change-user-password`, or manage it through another super-user"}
	}
	return nil
}

// explainNotAllowed turns err, when it is Zato's E005001 to op (a request
// about userID, not the login made on the way), into a not-found error if the super-user search finds no such
// user, and otherwise keeps it, saying that the user exists: a refusal
// (the super-user demoted, locked or expired) stays an error. Other errors
// are returned as they are.
func (b *RESTBackend) explainNotAllowed(ctx context.Context, userID, op string, err error) error {
	var ae *backend.APIError
	if !errors.As(err, &ae) || ae.Code != codeNotAllowed || ae.Operation != op {
		return err
	}
	u, serr := b.findUser(ctx, userID, "tell a missing user from a refusal (super-user search)")
	explained := *ae
	switch {
	case serr != nil:
		explained.Hint = "Zato answers E005001 both for a user that does not exist and for a refusal, and the super-user search " +
			"that tells them apart failed too (" + serr.Error() + "). Check that username is a Zato SSO super-user, neither locked nor expired"
	case u == nil:
		explained.NotFound = true
		explained.Message = "no such user: Zato answered E005001, and its super-user search finds no user with this user_id"
		explained.Hint = "Check user_id: the user may have been deleted outside Terraform"
	default:
		explained.Message = "not allowed: the user exists (the super-user search finds it), yet Zato refused to read it"
		explained.Hint = "Check that username is still a Zato SSO super-user, that it is neither locked nor expired, and current_app"
	}
	return &explained
}
