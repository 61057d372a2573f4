package idaas

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// opKind says which kind of call failed, for the permission named in a 403
// hint and for hints that only make sense for one kind of call.
type opKind int

const (
	opAuthenticate opKind = iota
	opSetPassword
	opSetBcrypt
	opResetPassword
	opReadPassword
	opReadUser
)

// errorBody is the documented error shape: the Administration API's
// ErrorInfo {errorCode, errorMessage, parameters: [object]}
// (administration.json #/components/schemas/ErrorInfo, Administration API
// v5.46, maccuaa/intellitrust-js-sdk openapi/administration.json). No
// error-code list is published, so the code below also copes with other
// bodies (a proxy's, say).
type errorBody struct {
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	Parameters   []any  `json:"parameters"`
}

// requestIDHeaders are headers that may carry a request id. IDaaS documents
// none (unconfirmed); these are the common ones.
var requestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"}

// apiError maps a non-2xx answer to a *backend.APIError. secrets are
// removed from the service's message should it ever echo one.
func (b *Backend) apiError(op string, kind opKind, resp *transport.Response, secrets ...string) *backend.APIError {
	e := &backend.APIError{Backend: Name, Operation: op, StatusCode: resp.StatusCode}
	// Secrets are removed before a header value, a code or the body is cut
	// to length, so that a cut leaves none in part.
	r := transport.NewRedactor(secrets...)
	for _, h := range requestIDHeaders {
		if v := resp.Header.Get(h); v != "" {
			e.RequestID = r.Text(v, 128) // header values may be any bytes
			break
		}
	}
	var eb errorBody
	documented := json.Unmarshal(resp.Body, &eb) == nil && (eb.ErrorCode != "" || eb.ErrorMessage != "")
	if documented {
		e.Code, e.Message = r.Text(eb.ErrorCode, 128), r.Redact(eb.ErrorMessage)
	} else if p := r.Preview(resp.Body); p != "" {
		// Error bodies carry no secrets of ours, but a proxy's page is not the
		// service's message: say what it is.
		e.Message = "unexpected answer: " + p
	}
	e.Hint = hint(kind, resp.StatusCode, eb, documented)
	e.Refused = refusedField(resp.StatusCode, eb)
	// A 404 is a missing user only when IDaaS itself says so: a 404 page from
	// a wrong url must not make refresh drop every resource from state.
	e.NotFound = resp.StatusCode == http.StatusNotFound && documented && kind != opAuthenticate
	e.Retryable = resp.StatusCode == http.StatusConflict || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return e
}

// hint says what to do about an answer. The Administration API's error codes
// are unconfirmed, so the code and the message are both searched for a few
// telling words before falling back on the status.
func hint(kind opKind, status int, eb errorBody, documented bool) string {
	text := strings.ToLower(eb.ErrorCode + " " + eb.ErrorMessage)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(text, w) {
				return true
			}
		}
		return false
	}
	switch status {
	case http.StatusBadRequest, http.StatusConflict:
		switch {
		case has("history", "recently used", "previously used"):
			return "Choose a password not used recently, or set clear_password_history = true. " +
				"If an earlier attempt was interrupted, the password may already be set: clear_password_history = true applies it again"
		case kind == opSetBcrypt || has("bcrypt"):
			return "bcrypt_hash must be a complete bcrypt hash ($2a$, $2b$ or $2y$, 60 characters), the user must be a local IDaaS user " +
				"(not synchronised from a directory), and notify_user must be false"
		case has("current_password", "currentpassword", "current password", "directory", "synchroni"):
			return "The user's password is managed by a directory (e.g. Active Directory) synchronised into IDaaS; change it there"
		case has("policy", "complexity", "strength", "too short", "length"):
			return "The password does not satisfy the tenant's password policy: use a longer password with more kinds of characters, " +
				"or let IDaaS generate one (generated_by = \"server\")"
		case has("expir"):
			return "expires_at (or valid_for_days) must give a future time that the tenant's password policy allows"
		}
	case http.StatusUnauthorized:
		if kind == opAuthenticate {
			return "Check application_id and shared_secret (or ENTRUST_IDAAS_APPLICATION_ID and ENTRUST_IDAAS_SHARED_SECRET): " +
				"IDaaS did not accept them, or the Administration API application is disabled"
		}
		return "IDaaS refused a freshly issued token; check that the Administration API application is still enabled and apply again"
	case http.StatusForbidden:
		return "The Administration API application lacks the permission " + permission(kind) +
			"; grant it to the application's role in the IDaaS administration portal"
	case http.StatusNotFound:
		if kind == opAuthenticate || !documented {
			return "Check url: it should be the IDaaS tenant URL, e.g. https://acme.us.trustedauth.com"
		}
		return "Check user_id: IDaaS knows no user with this UUID"
	}
	return backend.HintForStatus(status)
}

// permission is what a call needs.
func permission(kind opKind) string {
	switch kind {
	case opReadPassword:
		return "USERPASSWORDS:VIEW"
	case opReadUser:
		return "USERS:VIEW"
	case opAuthenticate:
		return "to use the Administration API"
	}
	return "USERPASSWORDS:EDIT"
}

// refusedField says which part of a set or reset a 400 or 409 refused,
// from the same telling words as hint.
func refusedField(status int, eb errorBody) backend.Field {
	if status != http.StatusBadRequest && status != http.StatusConflict {
		return backend.FieldUnknown
	}
	text := strings.ToLower(eb.ErrorCode + " " + eb.ErrorMessage)
	for _, w := range []string{"history", "recently used", "previously used", "policy", "complexity", "strength", "too short", "bcrypt"} {
		if strings.Contains(text, w) {
			return backend.FieldPassword
		}
	}
	if strings.Contains(text, "expir") {
		return backend.FieldExpiry
	}
	return backend.FieldUnknown
}
