package zato

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Zato SSO sub_status codes the emulator and the fake CLI answer with
// (section 5 of the spec).
const (
	CodePasswordRejected   = "E003001" // the password holds an entry of the reject list
	CodePasswordTooShort   = "E003002"
	CodePasswordTooLong    = "E003003"
	CodePasswordComplexity = "E003008" // not produced: the default sso.conf has no complexity rules
	CodeNotAllowed         = "E005001" // generic: Zato masks many errors as this one
	CodeSuperUserRequired  = "E005005"
	CodeNoSuchSession      = "E007001"
	CodeSessionExpired     = "E007002"
	CodeInvalidUserID      = "E001100"
)

// Server password rules, as in the shipped sso.conf: 8 to 256 characters and
// a reject list of common substrings, compared case-insensitively.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// RejectList is the emulated [password] reject_list of sso.conf. A password
// containing any of these (ignoring case) is refused with CodePasswordRejected.
var RejectList = []string{"password", "qwerty", "123456", "111111", "abc123", "letmein", "zato"}

// DefaultPasswordExpiryDays is the lifetime of a password set without an
// expiry: 730 days in the shipped sso.conf (older docs say 760).
const DefaultPasswordExpiryDays = 730

// SessionLifetime is how long a UST is accepted after login, on the
// emulator clock (Zato's default).
const SessionLifetime = 60 * time.Minute

// CheckPassword applies the server password rules and returns the
// sub_status codes of every rule pw breaks (nil when it is acceptable).
// Length is counted in characters, as Zato (Python) counts it.
func CheckPassword(pw string) []string {
	var codes []string
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		codes = append(codes, CodePasswordTooShort)
	case n > MaxPasswordLength:
		codes = append(codes, CodePasswordTooLong)
	}
	lower := strings.ToLower(pw)
	for _, bad := range RejectList {
		if strings.Contains(lower, bad) {
			codes = append(codes, CodePasswordRejected)
			break
		}
	}
	return codes
}

// pyISO writes t the way Zato serialises its naive UTC datetimes (Python's
// datetime.isoformat()): no zone, microseconds only when not zero.
func pyISO(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format("2006-01-02T15:04:05.000000")
}

// zatoTime truncates t to what Zato stores: UTC, microseconds.
func zatoTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}
