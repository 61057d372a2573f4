package backend

import "context"

// Expirer is implemented by a Backend whose identity system can make a user
// change the password at the next login without setting a new one: the
// identity_expire_password action asks for it. A Backend that does not
// implement it cannot, and the action says so at plan time. (Setting a new
// password with a must-change flag is SetPassword's ForceChange, which every
// backend with ForceChangeOnSet offers; that is not this.)
type Expirer interface {
	// ExpirePassword marks the user's current password as one that must be
	// changed at the next login, leaving the password itself as it is. The
	// request is sent at most once past the point where the identity system
	// may have acted (transport.AtMostOnce): when it may have acted without
	// its answer being known, errors.Is(err, ErrPasswordMayHaveChanged)
	// holds, meaning here that the password may have been expired. A user
	// the identity system does not know yields an error.
	ExpirePassword(ctx context.Context, userID string) error

	// ExpireMethod says, for diagnostics and docs, what ExpirePassword asks
	// of the identity system, e.g. "sets password_must_change (PATCH /zato/sso/user)".
	ExpireMethod() string
}
