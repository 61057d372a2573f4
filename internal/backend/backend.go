// Package backend defines the one interface every identity system implements,
// and the vendor-neutral types that travel between the resources and a backend.
//
// Resources depend on this package only: they ask a backend what it can do
// (Capabilities) at plan time and call its operations at apply time. Each
// identity system lives in its own sub-package and speaks HTTP only through
// internal/transport.
package backend

import (
	"context"
	"errors"
	"time"
)

// Backend is one identity system reached through one provider block.
type Backend interface {
	// Name is the human name used in diagnostics, e.g. "Entrust IDaaS".
	Name() string

	// Capabilities says what the identity system can do. It is static per
	// backend and transport (Zato REST and Zato CLI differ).
	Capabilities() Capabilities

	// ValidateUserID checks the form of a user id before any request is sent
	// (e.g. OCARIoT ids are 24 hex characters). It returns a user-facing
	// sentence on error, without the id's value where that could be a secret.
	ValidateUserID(userID string) error

	// SetPassword sets the user's long-lived password. With in.Generate the
	// identity system generates it (Capabilities.ServerGenerate) and returns
	// it in PasswordResult.Password.
	SetPassword(ctx context.Context, in SetPasswordInput) (PasswordResult, error)

	// ResetPassword asks the identity system for a server-side reset
	// (Capabilities.ServerReset): a temporary password or an email to the user.
	ResetPassword(ctx context.Context, in ResetInput) (ResetResult, error)

	// ReadUser reads the user and, where reported, its password metadata
	// (Capabilities.ReadUser). A user that does not exist yields an error for
	// which errors.Is(err, ErrNotFound) holds.
	ReadUser(ctx context.Context, userID string) (User, error)

	// ReadPassword reads what the refresh of identity_user_password needs:
	// whether the user exists and its password metadata (the Password*
	// fields of User; others may be nil), in as few requests as the identity
	// system allows: refresh sends it once per resource, so a backend whose
	// ReadUser takes two calls answers this with one where it can. Where
	// ReadUser is one call, ReadPassword is ReadUser. Errors are as
	// ReadUser's, ErrNotFound included.
	ReadPassword(ctx context.Context, userID string) (User, error)
}

// CredentialChecker is a backend that can check its credentials cheaply
// (one login, or none at all), for a plan to find wrong credentials where
// it has no user to read. A backend that reads users needs none: the read
// of a user checks them.
type CredentialChecker interface {
	// CheckCredentials checks the configured credentials; its error says
	// what was attempted and what to do, and holds no secret.
	CheckCredentials(ctx context.Context) error
}

// SetPasswordInput is what identity_user_password asks of a backend.
type SetPasswordInput struct {
	UserID string

	// Password is the chosen (or provider-generated) password. Empty with
	// Generate or BcryptHash.
	Password string

	// Generate asks the identity system to generate the password and return it.
	Generate bool

	// BcryptHash imports a bcrypt hash instead of a password (BcryptImport).
	BcryptHash string

	// ForceChange, when not nil, sets the must-change-at-next-login flag.
	ForceChange *bool

	// ExpiresAt, when not nil, is the requested expiry (ExpiryOnSet).
	ExpiresAt *time.Time

	// NotifyUser asks the identity system to email the new password (NotifyUser).
	NotifyUser bool

	// ClearHistory clears the password history first (ClearPasswordHistory).
	ClearHistory bool
}

// PasswordResult is what a backend reports after setting a password. Nil
// fields are not reported by that identity system.
type PasswordResult struct {
	// Password is the password the identity system generated (Generate only).
	Password string

	LastChangedAt        *time.Time
	ExpiresAt            *time.Time
	ExpiryNotificationAt *time.Time
	MustChange           *bool
}

// ResetInput is what identity_password_reset asks of a backend.
type ResetInput struct {
	UserID string

	// SendEmail asks the identity system to email the user (EmailReset).
	SendEmail bool

	// ForceChange, when not nil, sets the must-change flag (ForceChangeOnReset).
	ForceChange *bool

	// ValidForDays, when not nil, is the requested lifetime (ExpiryOnReset).
	ValidForDays *int64
}

// ResetResult is the outcome of a server-side reset.
type ResetResult struct {
	// TemporaryPassword is empty when the identity system emailed the user.
	TemporaryPassword string
	ResetAt           time.Time
	// ExpiresAt is nil where the identity system does not say.
	ExpiresAt *time.Time
}

// User is what a backend reports about a user. Nil fields are not reported.
type User struct {
	ID                    string
	Enabled               *bool
	PasswordLastChangedAt *time.Time
	PasswordExpiresAt     *time.Time
	PasswordMustChange    *bool
}

// Clock is now, or time.Now when now is nil: the clock a backend's Config
// may set (tests move it with the emulators'), and the real one otherwise.
func Clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// ErrNotFound reports a user the identity system does not know.
var ErrNotFound = errors.New("user not found")

// ErrNotSupported is returned by an operation the backend's capabilities do
// not offer. Resources check capabilities at plan time, so reaching it is a bug.
var ErrNotSupported = errors.New("operation not supported by this identity system")
