package transport

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestOutcome covers what a marked request records: an answer lost after
// the request was sent, or a 500/502/504, makes the outcome uncertain; a
// refusal, a connection never made and an unmarked request do not.
func TestOutcome(t *testing.T) {
	// answers serves the given statuses in turn; 0 drops the connection
	// after reading the request.
	answers := func(t *testing.T, statuses ...int) string {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			i := int(n.Add(1)) - 1
			status := statuses[min(i, len(statuses)-1)]
			if status == 0 {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				_ = conn.(*net.TCPConn).SetLinger(0)
				_ = conn.Close()
				return
			}
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	for _, tc := range []struct {
		name          string
		url           func(t *testing.T) string
		unmarked      bool
		wantUncertain bool
	}{
		{"answered", func(t *testing.T) string { return answers(t, 204) }, false, false},
		{"refused", func(t *testing.T) string { return answers(t, 400) }, false, false},
		{"service down", func(t *testing.T) string { return answers(t, 503) }, false, false},
		{"internal error", func(t *testing.T) string { return answers(t, 500) }, false, true},
		{"gateway timeout, then refused", func(t *testing.T) string { return answers(t, 504, 409) }, false, true},
		{"lost, then refused", func(t *testing.T) string { return answers(t, 0, 400) }, false, true},
		{"lost every time", func(t *testing.T) string { return answers(t, 0) }, false, true},
		{"never connected", func(*testing.T) string { return refused }, false, false},
		{"lost, but not marked", func(t *testing.T) string { return answers(t, 0) }, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fastConfig()
			cfg.MaxRetries = 1
			c, err := New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, outcome := WithOutcome(context.Background())
			if !tc.unmarked {
				ctx = Changes(ctx)
			}
			_, _ = c.Do(ctx, http.MethodPut, tc.url(t)+"/x", JSONHeader(), []byte(`{"password":"x"}`))
			if got := outcome.Uncertain(); got != tc.wantUncertain {
				t.Fatalf("Uncertain() = %t, want %t", got, tc.wantUncertain)
			}
		})
	}
	var none *Outcome
	if none.Uncertain() {
		t.Fatal("a nil Outcome is uncertain")
	}
}
