package backend

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// APIError is an error answered by an identity system, in vendor-neutral
// form. Backends build it from their own error bodies; the provider turns it
// into a diagnostic that says what was attempted, what the service answered
// and what to do. None of its fields may hold a secret.
type APIError struct {
	// Backend is the identity system's name, e.g. "Entrust IDaaS".
	Backend string
	// Operation is what was attempted, e.g. "set the password of user 1234".
	Operation string
	// StatusCode is the HTTP status (0 for a CLI transport).
	StatusCode int
	// Code is the service's own error code (errorCode, error_code, sub_status, x-amzn-ErrorType).
	Code string
	// Message is the service's own message, as sent.
	Message string
	// RequestID is the service's request id, where it returns one.
	RequestID string
	// Hint says what to do next.
	Hint string
	// NotFound marks an unknown user, so that errors.Is(err, ErrNotFound) holds.
	NotFound bool
	// Retryable marks a failure that a later apply may not see (conflicts, throttling).
	Retryable bool
	// Refused says which part of the request the service refused, where it
	// says so: the provider points the diagnostic at the attribute that
	// part came from.
	Refused Field
}

// Field is a part of a request that an identity system can refuse.
type Field int

const (
	// FieldUnknown: the answer does not say, or concerns no one part.
	FieldUnknown Field = iota
	// FieldPassword: the password or hash set (a policy, history or
	// reject-list refusal).
	FieldPassword
	// FieldExpiry: the requested expiry.
	FieldExpiry
)

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: could not %s", e.Backend, e.Operation)
	var answer []string
	if e.StatusCode != 0 {
		answer = append(answer, fmt.Sprintf("HTTP %d", e.StatusCode))
	}
	// OCARIoT's body code repeats the HTTP status: "HTTP 429", not "HTTP 429 429".
	if e.Code != "" && e.Code != strconv.Itoa(e.StatusCode) {
		answer = append(answer, e.Code)
	}
	if len(answer) > 0 || e.Message != "" {
		fmt.Fprintf(&b, "; the service answered %s", strings.Join(answer, " "))
		if e.Message != "" {
			// Printable first: an escape sequence of %q could spell out
			// text that is not in the message (transport.Printable).
			fmt.Fprintf(&b, ": %q", transport.Printable(e.Message))
		}
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, ". %s", e.Hint)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) hold for a not-found APIError.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.NotFound
}

// statusHints is the default advice for an HTTP status.
var statusHints = map[int]string{
	http.StatusBadRequest:      "Check the attribute values against the identity system's rules and apply again",
	http.StatusUnauthorized:    "Check the provider credentials: the service did not accept them",
	http.StatusForbidden:       "Check that the provider's credentials have permission to manage user passwords",
	http.StatusNotFound:        "Check the user_id: the identity system does not know this user",
	http.StatusConflict:        "Another change was in progress; apply again",
	http.StatusTooManyRequests: "The service is rate limiting; lower requests_per_second or -parallelism, or raise max_retries",
}

// HintForStatus is the default advice for an HTTP status, used by backends
// whose service gives none of its own.
func HintForStatus(status int) string {
	if status >= 500 {
		return "The service failed; apply again later"
	}
	return statusHints[status]
}

// ErrPasswordMayHaveChanged marks a failed set or reset after which the
// identity system may have changed the password all the same: an attempt of
// the changing request got no usable answer (retries make this possible
// even when the last answer is a plain refusal), its answer could not be
// read, or a later step of the same operation failed after the change. It is
// the one signal of that case: every backend's SetPassword and
// ResetPassword return errors marked with it (PasswordMayHaveChanged,
// PasswordMayHaveChangedIf), and the provider then keeps no password for it
// in state, since the one it would keep may no longer be the user's.
var ErrPasswordMayHaveChanged = errors.New("the password may have been changed")

// PasswordMayHaveChanged wraps err so that errors.Is(err,
// ErrPasswordMayHaveChanged) holds; its message is err's own, and errors.As
// still finds the errors err wraps (an *APIError, say).
func PasswordMayHaveChanged(err error) error {
	if err == nil {
		return nil
	}
	return &mayHaveChangedError{err: err}
}

// PasswordMayHaveChangedIf is PasswordMayHaveChanged(err) when err is set
// and mayHaveActed, else err itself. Backends call it as their SetPassword
// and ResetPassword return, with what their transport recorded:
//
//	ctx, outcome := transport.WithOutcome(ctx)
//	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
func PasswordMayHaveChangedIf(err error, mayHaveActed bool) error {
	if err == nil || !mayHaveActed || errors.Is(err, ErrPasswordMayHaveChanged) {
		return err
	}
	return PasswordMayHaveChanged(err)
}

type mayHaveChangedError struct{ err error }

func (e *mayHaveChangedError) Error() string   { return e.err.Error() }
func (e *mayHaveChangedError) Unwrap() []error { return []error{e.err, ErrPasswordMayHaveChanged} }

// WithoutSecrets removes secrets the caller holds (the password it is
// setting, say) from err, should a service ever have echoed one where the
// backend could not expect it: in an answer to a login made on the way,
// for instance. Secrets are removed as transport.Redactor does (short ones
// are left). It returns err itself when its message holds none.
// Otherwise the result's message has each secret replaced with "REDACTED",
// errors.As finds a scrubbed copy of the *APIError (the provider quotes
// its fields), and errors.Is still sees the original chain. The original
// is never changed: an authentication error may be shared by concurrent
// callers, each with its own secrets.
func WithoutSecrets(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	r := transport.NewRedactor(secrets...)
	msg := r.Redact(err.Error())
	if msg == err.Error() {
		return err
	}
	out := &scrubbedError{msg: msg, err: err}
	var ae *APIError
	if errors.As(err, &ae) {
		c := *ae
		for _, f := range []*string{&c.Operation, &c.Code, &c.Message, &c.RequestID, &c.Hint} {
			*f = r.Redact(*f)
		}
		out.api = &c
	}
	return out
}

// scrubbedError is an error whose message had secrets removed.
type scrubbedError struct {
	msg string
	err error
	api *APIError // the scrubbed copy of err's *APIError, if any
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// As gives errors.As the scrubbed *APIError before it can reach the original.
func (e *scrubbedError) As(target any) bool {
	if t, ok := target.(**APIError); ok && e.api != nil {
		*t = e.api
		return true
	}
	return false
}

// Marked is an error that reads msg and is marked with mark:
// errors.Is(err, mark) holds, so that the provider can attach a
// configuration error to its attribute while the message stays the
// backend's own sentence.
func Marked(mark error, msg string) error {
	return &markedError{msg: msg, mark: mark}
}

type markedError struct {
	msg  string
	mark error
}

func (e *markedError) Error() string { return e.msg }
func (e *markedError) Unwrap() error { return e.mark }
