package backend

// ExpiryKind says how an identity system takes a requested password expiry.
type ExpiryKind int

const (
	// ExpiryNone: no requested expiry is accepted.
	ExpiryNone ExpiryKind = iota
	// ExpiryTimestamp: an absolute time (Entrust IDaaS expiryTime).
	ExpiryTimestamp
	// ExpiryDays: a number of days from now (Zato password_expiry).
	ExpiryDays
)

// Capabilities is the declared feature set of a backend. Resources check it
// at plan time so that a configuration the identity system cannot honour fails
// before any request is sent, with an error naming the attribute and backend.
type Capabilities struct {
	// SetChosen: the identity system accepts a password chosen by the caller.
	// Provider-side generation needs it too.
	SetChosen bool
	// ServerGenerate: the identity system generates a password and returns it
	// (identity_user_password with generated_by = "server").
	ServerGenerate bool
	// ServerGenerateTemporary: the server-generated password is temporary and
	// expires after TemporaryLifetimeDays (FinSpace, Huawei OTP).
	ServerGenerateTemporary bool
	// ServerReset: a server-side reset that returns a temporary password
	// (or emails the user). Without it, identity_password_reset sets a freshly
	// provider-generated password through SetPassword.
	ServerReset bool
	// EmailReset: the identity system can email the user a reset.
	EmailReset bool
	// NotifyUser: the identity system can email a newly set password.
	NotifyUser bool
	// ExpiryOnSet: how a requested expiry is taken when setting a password.
	ExpiryOnSet ExpiryKind
	// ExpiryOnReset: the reset takes a lifetime in days (valid_for_days).
	ExpiryOnReset bool
	// NoExpiryWhy, where set, says why a requested expiry (expires_at,
	// valid_for_days) is refused although the identity system has one, and
	// what to do instead: the plan-time error quotes it.
	NoExpiryWhy string
	// ForceChangeOnSet: the must-change flag can be set with a password.
	ForceChangeOnSet bool
	// ForceChangeOnReset: the must-change flag can be set with a reset.
	ForceChangeOnReset bool
	// ClearPasswordHistory: the history can be cleared before setting.
	ClearPasswordHistory bool
	// BcryptImport: a bcrypt hash can be imported instead of a password.
	BcryptImport bool
	// ReadUser: users can be read (refresh, data source, import checks).
	ReadUser bool
	// ReadPasswordChangedAt: the user read reports when the password last
	// changed, which is what drift detection compares.
	ReadPasswordChangedAt bool
	// ReadEnabled: the user read reports whether the user is enabled.
	ReadEnabled bool
	// ReadPasswordExpiry: the user read reports when the password expires,
	// as do the answers of a set or reset.
	ReadPasswordExpiry bool
	// ReadPasswordMustChange: the user read reports the must-change flag.
	ReadPasswordMustChange bool
	// LocalCommand: the backend runs a command on this host instead of
	// sending HTTP requests, so max_retries, requests_per_second and
	// ca_certificate_pem do not apply (request_timeout bounds the command).
	LocalCommand bool
	// TemporaryLifetimeDays is the lifetime of a server-issued temporary
	// password where the service documents one and does not return it (0: unknown).
	TemporaryLifetimeDays int
	// ProviderGenerateDefaultLength is the default length of a
	// provider-generated password for this backend (0: the contract default, 32).
	ProviderGenerateDefaultLength int
	// UserIDDescription names the id the backend expects, for diagnostics.
	UserIDDescription string
}
