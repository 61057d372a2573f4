// Package backendtest holds what the backends' tests share: the checks
// every error must pass whatever the service answered, the mapping of a
// fuzzed integer to an HTTP status, and servers for the tests (an emulator
// over TLS, a server answering with fuzz input, one recording what reached
// the wire). Only tests import it.
package backendtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// maxErrorBytes bounds an error message: the text taken from an answer is
// cut to a preview, so a longer one means a body or header went in whole.
const maxErrorBytes = 8192

// CheckError is what every error of a backend must satisfy, whatever the
// service answered: no secret in it, valid UTF-8 without control characters
// (a diagnostic must cross Terraform's protocol and reach a terminal), a
// bounded length and, as a *backend.APIError, a consistent mapping: the
// backend's name and an operation, and NotFound only where notFound (the
// backend's own rule for a missing user) agrees. Secrets are never printed.
func CheckError(t testing.TB, err error, backendName string, notFound func(*backend.APIError) bool, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if msg == "" {
		t.Fatal("an empty error message")
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Fatalf("the error holds a secret (%d characters): %s", len(s), strings.ReplaceAll(msg, s, "<SECRET>"))
		}
	}
	if !utf8.ValidString(msg) {
		t.Fatalf("the error is not valid UTF-8: %q", msg)
	}
	if i := strings.IndexFunc(msg, unicode.IsControl); i >= 0 {
		t.Fatalf("the error holds a control character at %d: %q", i, msg)
	}
	if len(msg) > maxErrorBytes {
		t.Fatalf("the error is %d bytes long: %.600q", len(msg), msg)
	}
	var ae *backend.APIError
	if errors.As(err, &ae) {
		if ae.Backend != backendName || ae.Operation == "" {
			t.Fatalf("APIError without backend or operation: %+v", ae)
		}
		if ae.NotFound && !notFound(ae) {
			t.Fatalf("HTTP %d %q mapped to a missing user", ae.StatusCode, ae.Code)
		}
		if errors.Is(err, backend.ErrNotFound) != ae.NotFound {
			t.Fatal("errors.Is(err, ErrNotFound) disagrees with NotFound")
		}
	}
}

// NotFoundByStatus is the rule for a missing user of a service that answers
// one with HTTP 404 (and no other code that says so), for CheckError.
func NotFoundByStatus(ae *backend.APIError) bool {
	return ae.StatusCode == http.StatusNotFound
}

// AsAPIError returns err as a *backend.APIError, failing the test when it
// is not one.
func AsAPIError(tb testing.TB, err error) *backend.APIError {
	tb.Helper()
	var ae *backend.APIError
	if !errors.As(err, &ae) {
		tb.Fatalf("want an APIError, got %T: %v", err, err)
	}
	return ae
}

// CheckUserIDs checks a backend's ValidateUserID: it accepts every id of
// accepted and refuses every id of refused.
func CheckUserIDs(t *testing.T, validate func(string) error, accepted, refused []string) {
	t.Helper()
	for _, id := range accepted {
		if err := validate(id); err != nil {
			t.Errorf("ValidateUserID(%q) = %v, want it accepted", id, err)
		}
	}
	for _, id := range refused {
		if validate(id) == nil {
			t.Errorf("ValidateUserID(%q) accepts it", id)
		}
	}
}

// FuzzStatus turns any int into an HTTP status a server can send, keeping
// one that already is.
func FuzzStatus(n int) int {
	if n >= 200 && n <= 599 {
		return n
	}
	n %= 400
	if n < 0 {
		n = -n
	}
	return 200 + n
}

// Concurrently runs call n times at once and returns the n errors it
// returned (nil ones too), in no particular order.
func Concurrently(n int, call func() error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = call() })
	}
	wg.Wait()
	return errs
}

// ServerOnlyRefusals are the sets a backend that can only issue a
// server-generated password (with the must-change flag) must refuse, by
// name, for user: a chosen password, a bcrypt hash, an expiry (expires),
// no must-change flag, an email to the user and clearing the history.
func ServerOnlyRefusals(user string, expires time.Time) map[string]backend.SetPasswordInput {
	no := false
	return map[string]backend.SetPasswordInput{
		"chosen":             {UserID: user, Password: "Chosen-Passw0rd!"},
		"bcrypt":             {UserID: user, BcryptHash: "$2a$10$abcdefghijklmnopqrstuv"},
		"expiry":             {UserID: user, Generate: true, ExpiresAt: &expires},
		"no change required": {UserID: user, Generate: true, ForceChange: &no},
		"notify":             {UserID: user, Generate: true, NotifyUser: true},
		"clear history":      {UserID: user, Generate: true, ClearHistory: true},
	}
}

// CheckRefused checks that set refuses each input with
// backend.ErrNotSupported, before any request (sent counts the requests
// the service received), and without echoing a chosen password.
func CheckRefused(t *testing.T, set func(context.Context, backend.SetPasswordInput) (backend.PasswordResult, error), sent func() int, inputs map[string]backend.SetPasswordInput) {
	t.Helper()
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			before := sent()
			_, err := set(context.Background(), in)
			if !errors.Is(err, backend.ErrNotSupported) {
				t.Errorf("error %v, want ErrNotSupported", err)
			}
			if err != nil && in.Password != "" && strings.Contains(err.Error(), in.Password) {
				t.Error("error echoes the password")
			}
			if sent() != before {
				t.Error("a request was sent")
			}
		})
	}
}
