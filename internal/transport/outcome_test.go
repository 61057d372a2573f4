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

// TestAtMostOnce: a request marked AtMostOnce (it emails someone) is not
// sent again once an attempt may have acted (an answer lost after it was
// sent, a 502 or 504), but is retried while none can have (429, 503), as a
// plain changing request always is.
func TestAtMostOnce(t *testing.T) {
	for _, tc := range []struct {
		name         string
		statuses     []int // 0 drops the connection after reading the request
		once         bool
		wantAttempts int32
		wantOK       bool
	}{
		{"lost, at most once", []int{0, 204}, true, 1, false},
		{"lost, plain change", []int{0, 204}, false, 2, true},
		{"bad gateway, at most once", []int{502, 204}, true, 1, false},
		{"gateway timeout, at most once", []int{504, 204}, true, 1, false},
		{"rate limited, at most once", []int{429, 204}, true, 2, true},
		{"service down, at most once", []int{503, 204}, true, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				i := int(n.Add(1)) - 1
				status := tc.statuses[min(i, len(tc.statuses)-1)]
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
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(status)
			}))
			t.Cleanup(srv.Close)
			c, err := New(fastConfig(), nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, outcome := WithOutcome(context.Background())
			ctx = Changes(ctx)
			if tc.once {
				ctx = AtMostOnce(ctx)
			}
			resp, err := c.Do(ctx, http.MethodPut, srv.URL+"/x", JSONHeader(), []byte(`{"emailPassword":true}`))
			ok := err == nil && resp.StatusCode == 204
			if got := n.Load(); got != tc.wantAttempts || ok != tc.wantOK {
				t.Fatalf("%d attempts, success %t; want %d, %t", got, ok, tc.wantAttempts, tc.wantOK)
			}
			if !ok && !outcome.Uncertain() {
				t.Fatal("the request failed after an attempt that may have acted, but the outcome is not uncertain")
			}
		})
	}
}
