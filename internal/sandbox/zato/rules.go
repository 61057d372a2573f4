package zato

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Zato SSO status codes the emulator and the fake CLI answer with, as Zato
// 3.2 raises them (zato-sso/src/zato/sso/__init__.py:34-101). Zato 3.0-3.3
// never raise E001100 (invalid user id), E005005 (super-user required) or
// E007002 (session expired): a missing user is E005001, a missing right
// E005001 or E008002, an expired session E007001.
const (
	CodePasswordRejected   = "E003001" // the password holds an entry of the reject list
	CodePasswordTooShort   = "E003002"
	CodePasswordTooLong    = "E003003"
	CodeMustSendNew        = "E003007" // login: password_must_change and no new_password
	CodePasswordComplexity = "E003008" // zxcvbn score below [password] min_complexity
	CodeAppInvalid         = "E004001" // current_app not in [apps] all (HTTP 200) or login_allowed (403)
	CodeNotAllowed         = "E005001" // generic: Zato masks many errors as this one
	CodeLocked             = "E005002" // login of a locked user ([login] inform_if_locked)
	CodeNoSuchSession      = "E007001" // unknown or expired UST
	CodeInvalidInput       = "E008002" // an attribute not allowed, or not allowed to this caller
	CodeMissingInput       = "E008003" // nothing to update
	CodeAboutToExpire      = "W003005" // login warning: the password expires within the threshold
)

// Server password rules of the shipped sso.conf
// (zato-cli/src/zato/cli/create_server.py:447-483).
const (
	MinPasswordLength = 8   // [password] min_length, l.454
	MaxPasswordLength = 256 // [password] max_length, l.455
)

// RejectList is [password] reject_list of the shipped sso.conf
// (create_server.py:458-483), lower-cased. A password containing any of
// these, ignoring case, is refused with CodePasswordRejected
// (zato-sso/src/zato/sso/util.py:113-118: `if elem in password`).
var RejectList = []string{
	"111111", "123123", "123321", "123456", "123qwe", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t",
	"222222", "333333", "444444", "555555", "654321", "666666", "777777", "888888", "999999",
	"987654321", "google", "letmein", "mynoob", "password", "qwerty", "zxcvbnm",
}

// DefaultPasswordExpiryDays is the lifetime of a password set without an
// expiry, or with 0 or a negative one: [password] expiry=730
// (create_server.py:447; zato-sso util.py:181 `password_expiry or
// sso_conf.password.expiry`).
const DefaultPasswordExpiryDays = 730

// AboutToExpireDays is [password] about_to_expire_threshold: a login within
// this many days of the expiry answers W003005 (create_server.py:452,
// zato-sso util.py:405-425).
const AboutToExpireDays = 30

// SessionLifetime is how long a UST is accepted after login, on the
// emulator clock: [session] expiry=60 minutes (create_server.py:443). Calls
// do not extend it (zato-sso session.py:606-613, renew=False).
const SessionLifetime = 60 * time.Minute

// Search page sizes: [search] default_page_size and max_page_size
// (create_server.py:517-518).
const (
	DefaultSearchPageSize = 50
	MaxSearchPageSize     = 100
)

// CheckPassword applies the server password rules and returns the one
// status code of the first rule pw breaks ("" when it is acceptable), in
// Zato's order (zato-sso util.py:91-118): complexity (min_complexity is 0 in
// the shipped sso.conf, so skipped), too short, too long, the reject list.
// Length is counted in characters, as Python counts it.
func CheckPassword(pw string) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		return CodePasswordTooShort
	case n > MaxPasswordLength:
		return CodePasswordTooLong
	}
	lower := strings.ToLower(pw)
	for _, bad := range RejectList {
		if strings.Contains(lower, bad) {
			return CodePasswordRejected
		}
	}
	return ""
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
