package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestAtMostOnce: a changing request marked AtMostOnce (one that emails the
// user) is not retried once an attempt may have been carried out (its
// answer lost, or 502/504), and is retried as any request when it cannot
// have been (429, 503, no connection). Unmarked, or not the changing
// request, the same failures are retried.
func TestAtMostOnce(t *testing.T) {
	// answers serves the given statuses in turn, counting the requests it
	// read; 0 drops the connection after reading the request.
	answers := func(t *testing.T, read *atomic.Int32, statuses ...int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			i := int(read.Add(1)) - 1
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
	for _, tc := range []struct {
		name         string
		statuses     []int
		mark         func(context.Context) context.Context
		wantAttempts int32
		wantErr      string // "" for an answer
	}{
		{"lost", []int{0, 204}, marked, 1, "not retried: the service may have carried out the request"},
		{"server error", []int{500, 204}, marked, 1, ""},
		{"bad gateway", []int{502, 204}, marked, 1, ""},
		{"gateway timeout", []int{504, 204}, marked, 1, ""},
		{"rate limited", []int{429, 204}, marked, 2, ""},
		{"service down", []int{503, 204}, marked, 2, ""},
		{"lost, not at most once", []int{0, 204}, Changes, 2, ""},
		{"lost, not the changing request", []int{0, 204}, AtMostOnce, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var read atomic.Int32
			url := answers(t, &read, tc.statuses...)
			c, err := New(fastConfig(), nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, outcome := WithOutcome(context.Background())
			resp, err := c.Do(tc.mark(ctx), http.MethodPut, url+"/x", JSONHeader(), []byte(`{"emailPassword":true}`))
			if got := read.Load(); got != tc.wantAttempts {
				t.Errorf("the server read %d attempts, want %d", got, tc.wantAttempts)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("err = %v, want an answer", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
			case tc.wantErr != "":
				var reqErr *RequestError
				if !errors.As(err, &reqErr) {
					t.Errorf("err = %T, want a *RequestError", err)
				}
				if !outcome.Uncertain() {
					t.Error("the outcome of an attempt whose answer was lost is not uncertain")
				}
			case tc.wantAttempts == 1 && resp.StatusCode == http.StatusOK:
				t.Errorf("status %d, want the gateway's", resp.StatusCode)
			}
		})
	}

	// No connection: the request was never written, so it is retried.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	var attempts atomic.Int32
	c, err := New(fastConfig(), func(*http.Request) error { attempts.Add(1); return nil })
	if err != nil {
		t.Fatal(err)
	}
	ctx, outcome := WithOutcome(context.Background())
	if _, err := c.Do(marked(ctx), http.MethodPut, refused+"/x", JSONHeader(), []byte(`{}`)); err == nil {
		t.Fatal("a request to a closed port succeeded")
	} else if strings.Contains(err.Error(), "not retried") {
		t.Errorf("err = %v: a request never written is retried", err)
	}
	if got, want := attempts.Load(), int32(fastConfig().MaxRetries+1); got != want {
		t.Errorf("%d attempts to a closed port, want %d", got, want)
	}
	if outcome.Uncertain() {
		t.Error("a request never written made the outcome uncertain")
	}
}

// marked is the changing request of an operation that must not repeat it.
func marked(ctx context.Context) context.Context { return AtMostOnce(Changes(ctx)) }
