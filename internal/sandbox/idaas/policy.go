package idaas

import (
	"fmt"
	"unicode"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Policy is the tenant's password policy, as far as the emulator models it.
type Policy struct {
	// MinLength is the minimum number of characters of a password.
	MinLength int
	// RequireUpper, RequireLower, RequireDigit and RequireSpecial each ask
	// for at least one character of that class.
	RequireUpper, RequireLower, RequireDigit, RequireSpecial bool
	// HistoryDepth is how many of the last passwords (the current one
	// included) may not be set again; 0 keeps no history.
	HistoryDepth int
	// ExpiryDays is the lifetime of a password set without expiryTime;
	// 0 means passwords do not expire.
	ExpiryDays int
	// NotificationDays is how long before expiry the user is warned
	// (expiryNotificationDate = expiryTime − NotificationDays).
	NotificationDays int
}

// DefaultPolicy is the policy of a new emulator: at least 8 characters with
// upper case, lower case and a digit, a history of 5, expiry after 90 days
// with a warning 14 days before.
func DefaultPolicy() Policy {
	return Policy{
		MinLength:        8,
		RequireUpper:     true,
		RequireLower:     true,
		RequireDigit:     true,
		HistoryDepth:     5,
		ExpiryDays:       90,
		NotificationDays: 14,
	}
}

// violations lists what pw lacks, as phrases for an error message (never
// containing the password).
func (p Policy) violations(pw string) []string {
	var out []string
	if n := len([]rune(pw)); n < p.MinLength {
		out = append(out, fmt.Sprintf("at least %d characters", p.MinLength))
	}
	var upper, lower, digit, special bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			special = true
		}
	}
	if p.RequireUpper && !upper {
		out = append(out, "an upper-case letter")
	}
	if p.RequireLower && !lower {
		out = append(out, "a lower-case letter")
	}
	if p.RequireDigit && !digit {
		out = append(out, "a digit")
	}
	if p.RequireSpecial && !special {
		out = append(out, "a special character")
	}
	return out
}

// generate returns a password satisfying the policy: at least 16
// characters, one of every class.
func (p Policy) generate() string {
	return emu.PasswordRule{Length: max(16, p.MinLength), Classes: []string{emu.Upper, emu.Lower, emu.Digits, "!#$%*+-=?@_"}}.Generate()
}
