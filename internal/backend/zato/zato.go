// Package zato is the Zato SSO (Zato 3.x) backend, with its two transports:
// the SSO REST channels under /zato/sso (RESTBackend, users addressed by
// user_id) and the `zato sso` command on the server host (CLIBackend, users
// addressed by username). Wire facts: section 5 of /work/shared/spec/apis.md.
package zato

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Backend names, as diagnostics show them.
const (
	restName = "Zato SSO"
	cliName  = "Zato SSO (CLI)"
)

// Zato SSO status codes the backend knows: those Zato 3.x raises where
// the provider can meet them (zatosource/zato support/3.2,
// code/zato-sso/src/zato/sso/__init__.py:34-101). E001100, E005005 and
// E007002 are defined there but never raised by Zato 3.0-3.3: a missing
// user is E005001, a missing right E005001 or E008002, an expired session
// E007001.
const (
	codeRejectList    = "E003001"
	codeTooShort      = "E003002"
	codeTooLong       = "E003003"
	codeExpired       = "E003004"
	codeMustSendNew   = "E003007"
	codeComplexity    = "E003008"
	codeAppInvalid    = "E004001"
	codeNotAllowed    = "E005001"
	codeLocked        = "E005002"
	codeNotApproved   = "E005003"
	codeTOTPMissing   = "E005008"
	codeNoSession     = "E007001"
	codeInvalidInput  = "E008002"
	codeMissingInput  = "E008003"
	codeAboutToExpire = "W003005"
)

// zatoPasswordRules are the [password] rules of the sso.conf that Zato
// writes for a new server: min_length 8, max_length 256 and its reject_list.
var zatoPasswordRules = backend.PasswordRules{MinLength: 8, MaxLength: 256, Reject: backend.ZatoRejectList}

// codeInfo spells out each code and says what to do about it.
var codeInfo = map[string]struct{ meaning, hint string }{
	codeRejectList: {"password is on the reject list",
		"Choose a password without the common words and sequences of the server's reject list (sso.conf [password] reject_list, matched as substrings), or let the provider generate one"},
	codeTooShort: {"password too short",
		"Use a longer password: the server's minimum is 8 characters unless sso.conf [password] min_length says otherwise"},
	codeTooLong: {"password too long",
		"Use a shorter password: the server's maximum is 256 characters unless sso.conf [password] max_length says otherwise"},
	codeExpired: {"password expired",
		"The super-user's own password has expired: set a new one for it (zato sso change-user-password), then apply again"},
	codeMustSendNew: {"the super-user must change its password before logging in",
		"The provider's super-user has password_must_change set: log in once as it with a new password (or clear the flag), then apply again"},
	codeComplexity: {"password not complex enough",
		"Use a password that meets the server's complexity rule (sso.conf [password] min_complexity, a zxcvbn score), e.g. a longer generated one"},
	codeAppInvalid: {"current_app is not one of the server's apps",
		"current_app must be listed in the Zato server's sso.conf [apps] all, and in login_allowed to log in"},
	codeNotAllowed: {"not allowed (Zato masks many errors as this one)",
		"Zato answers this for many causes: check the provider's username and password, that the super-user is neither locked, expired nor unapproved, " +
			"and that the user exists"},
	codeLocked: {"the super-user is locked",
		"Unlock the provider's super-user (zato sso unlock-user), then apply again"},
	codeNotApproved: {"the super-user is not approved or its sign-up is not complete",
		"Approve the provider's super-user (its approval_status, through /zato/sso/user/approve as another super-user), then apply again"},
	codeTOTPMissing: {"the super-user has two-factor (TOTP) login enabled",
		"The provider cannot log in with a TOTP code: use a super-user without TOTP for the provider"},
	codeNoSession: {"no such session",
		"The session token was not accepted even after logging in again; check that every server of the cluster shares the SSO database, and apply again"},
	codeInvalidInput: {"invalid input (an attribute Zato does not allow here, or not to this caller)",
		"Check that the provider's username is a Zato SSO super-user (created with `zato sso create-super-user`)"},
	codeMissingInput: {"missing input",
		"Zato found nothing to change in the request; apply again, and report it if it persists"},
}

// newAPIError builds the vendor-neutral error from Zato sub_status codes.
func newAPIError(name, op string, status int, codes []string, cid string) *backend.APIError {
	// Codes and the cid come from the server: made fit for a diagnostic.
	e := &backend.APIError{Backend: name, Operation: op, StatusCode: status, RequestID: transport.SafeText(cid, 128)}
	var meanings []string
	for i, c := range codes {
		c = transport.SafeText(c, 64)
		codes[i] = c
		info, known := codeInfo[c]
		if !known {
			meanings = append(meanings, "unknown Zato status code "+c)
			continue
		}
		meanings = append(meanings, info.meaning)
		if e.Hint == "" {
			e.Hint = info.hint
		}
		switch c {
		case codeRejectList, codeTooShort, codeTooLong, codeComplexity:
			e.Refused = backend.FieldPassword
		case codeNoSession:
			e.Retryable = true
		}
	}
	e.Code = strings.Join(codes, ", ")
	e.Message = strings.Join(meanings, "; ")
	if e.Hint == "" {
		e.Hint = backend.HintForStatus(status)
	}
	return e
}

// checkSet checks a SetPassword input before anything is sent: the user id,
// then what Zato SSO does with a password over neither transport (import a
// bcrypt hash, email it, clear a history), generation where b cannot
// generate, and a missing password.
func checkSet(b backend.Backend, in backend.SetPasswordInput) error {
	if err := b.ValidateUserID(in.UserID); err != nil {
		return err
	}
	switch {
	case in.Generate && !b.Capabilities().ServerGenerate:
		return fmt.Errorf("%w: Zato SSO's REST API does not generate passwords; the provider generates one and sets it", backend.ErrNotSupported)
	case in.BcryptHash != "":
		return fmt.Errorf("%w: Zato SSO cannot import a bcrypt hash", backend.ErrNotSupported)
	case in.NotifyUser:
		return fmt.Errorf("%w: Zato SSO cannot email a new password", backend.ErrNotSupported)
	case in.ClearHistory:
		return fmt.Errorf("%w: Zato SSO keeps no password history to clear", backend.ErrNotSupported)
	case !in.Generate && in.Password == "":
		return fmt.Errorf("%s: no password to set", b.Name())
	}
	return nil
}

// expiryDays turns a requested expiry into Zato's whole days from now,
// rounded up so that the password lives at least until the requested time,
// and at least 1.
func expiryDays(at, now time.Time) int64 {
	const day = 24 * time.Hour
	d := at.Sub(now)
	days := int64(d / day)
	if d%day > 0 {
		days++
	}
	return max(days, 1)
}

// zatoTimeLayouts are the datetime forms Zato writes: Python's isoformat()
// of naive UTC datetimes (with or without microseconds), or with a zone.
var zatoTimeLayouts = []string{
	time.RFC3339Nano,                     // 2025-01-02T03:04:05.123456+00:00, ...Z
	"2006-01-02T15:04:05.999999999-0700", // a zone without a colon
	"2006-01-02T15:04:05.999999999",      // naive: taken as UTC
}

// parseZatoTime parses a Zato datetime. Zato stores naive datetimes in UTC
// and serialises them without a zone, so a zone-less value is taken as UTC.
// A space instead of the "T" (Python's str()) is accepted too.
func parseZatoTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range zatoTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 datetime", s)
}

// hasBadRune reports whitespace, control characters or any of extra.
func hasBadRune(s, extra string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(extra, r)
	})
}
