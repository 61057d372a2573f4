// Package emutest holds what the emulators' own tests share: an emulator
// served on loopback for the test, and the check of what an emulator's
// Secrets lists. Only tests import it.
package emutest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Serve serves handler (an emulator's) over plain HTTP on loopback until
// the test ends.
func Serve(tb testing.TB, handler http.Handler) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(handler)
	tb.Cleanup(srv.Close)
	return srv
}

// Start serves emulator e as Serve does and returns it with its server.
func Start[E interface{ Handler() http.Handler }](tb testing.TB, e E) (E, *httptest.Server) {
	tb.Helper()
	return e, Serve(tb, e.Handler())
}

// CheckListed fails the test for each value of want that list (what the
// emulator's function named by what returned) does not hold, without
// printing the value.
func CheckListed(tb testing.TB, what string, list []emu.Secret, want ...string) {
	tb.Helper()
	for _, m := range emu.Missing(list, want...) {
		tb.Errorf("%s lacks a secret (%d characters)", what, len(m))
	}
}
