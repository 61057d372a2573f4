package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// fastConfig keeps retries quick in tests.
func fastConfig() Config {
	return Config{MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, UserAgent: "terraform-provider-identity/test terraform/1.11.4"}
}

func TestRetriesOnRetryableStatuses(t *testing.T) {
	for _, tc := range []struct {
		status      int
		wantAttempt int32
	}{
		{http.StatusTooManyRequests, 2},
		{http.StatusBadGateway, 2},
		{http.StatusServiceUnavailable, 2},
		{http.StatusGatewayTimeout, 2},
		{http.StatusInternalServerError, 1}, // the service may have acted: not retried
		{http.StatusBadRequest, 1},
		{http.StatusUnauthorized, 1},
		{http.StatusNotFound, 1},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			var attempts atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if attempts.Add(1) == 1 {
					w.WriteHeader(tc.status)
					return
				}
				w.WriteHeader(http.StatusOK)
			}))
			defer srv.Close()
			c, err := New(fastConfig(), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Do(context.Background(), "POST", srv.URL, JSONHeader(), []byte(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			if got := attempts.Load(); got != tc.wantAttempt {
				t.Fatalf("attempts = %d, want %d", got, tc.wantAttempt)
			}
			wantStatus := http.StatusOK
			if tc.wantAttempt == 1 {
				wantStatus = tc.status
			}
			if resp.StatusCode != wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, wantStatus)
			}
		})
	}
}

func TestRetriesExhaustedReturnLastAnswer(t *testing.T) {
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		attempts.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"message":"down"}`))
	}))
	defer srv.Close()
	c, _ := New(fastConfig(), nil)
	resp, err := c.Do(context.Background(), "GET", srv.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if attempts.Load() != 4 || resp.StatusCode != 503 || !bytes.Contains(resp.Body, []byte("down")) {
		t.Fatalf("attempts %d status %d body %q: want 4 attempts (1 + max_retries 3) and the last 503 answer", attempts.Load(), resp.StatusCode, resp.Body)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var first time.Time
	var gap time.Duration
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if attempts.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gap = time.Since(first)
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.RetryWaitMax = 5 * time.Second
	c, _ := New(cfg, nil)
	if _, err := c.Do(context.Background(), "GET", srv.URL, nil, nil); err != nil {
		t.Fatal(err)
	}
	if gap < 900*time.Millisecond {
		t.Fatalf("retried after %s, before Retry-After's 1s", gap)
	}
}

// TestRetryAfterHoldsOffTheClient: a 429 with Retry-After holds every
// request of the client, not only the one retried: a request started during
// the hold reaches the server after it (and not in the same instant as the
// others, hence the jitter bound).
func TestRetryAfterHoldsOffTheClient(t *testing.T) {
	var throttledAt, otherAt atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/limited" && throttledAt.CompareAndSwap(0, time.Now().UnixNano()) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if r.URL.Path == "/other" {
			otherAt.Store(time.Now().UnixNano())
		}
	}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.RetryWaitMax = 5 * time.Second
	c, _ := New(cfg, nil)
	limited := make(chan error, 1)
	go func() {
		_, err := c.Do(t.Context(), "GET", srv.URL+"/limited", nil, nil)
		limited <- err
	}()
	for throttledAt.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the client has read the 429 by now
	if _, err := c.Do(t.Context(), "GET", srv.URL+"/other", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := <-limited; err != nil {
		t.Fatal(err)
	}
	gap := time.Duration(otherAt.Load() - throttledAt.Load())
	if gap < 900*time.Millisecond || gap > 2500*time.Millisecond {
		t.Fatalf("a request started during a 1s Retry-After hold was sent %s after the 429, want 1s to 1.5s", gap)
	}
}

func TestBackoff(t *testing.T) {
	for attempt := range 8 {
		d := backoff(100*time.Millisecond, 2*time.Second, attempt, nil)
		full := min(100*time.Millisecond<<attempt, 2*time.Second)
		if d < full/2 || d > full {
			t.Fatalf("attempt %d: backoff %s outside [%s, %s]", attempt, d, full/2, full)
		}
	}
	resp := &http.Response{Header: http.Header{"Retry-After": {"7"}}}
	if d := backoff(time.Millisecond, time.Minute, 0, resp); d != 7*time.Second {
		t.Fatalf("Retry-After 7: %s", d)
	}
	if d := backoff(time.Millisecond, 3*time.Second, 0, resp); d != 3*time.Second {
		t.Fatalf("Retry-After above the maximum wait is capped: %s", d)
	}
	date := &http.Response{Header: http.Header{"Retry-After": {time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)}}}
	if d := backoff(time.Millisecond, time.Minute, 0, date); d <= 0 || d > 2*time.Second {
		t.Fatalf("Retry-After as an HTTP date: %s", d)
	}
}

func TestRetriesConnectionErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if accepted.Add(1) <= 2 {
				_ = conn.(*net.TCPConn).SetLinger(0)
				_ = conn.Close() // a reset before any answer
				continue
			}
			go func() {
				_ = http.Serve(&oneConnListener{conn: conn}, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.WriteHeader(http.StatusNoContent)
				}))
			}()
		}
	}()
	defer ln.Close()
	c, _ := New(fastConfig(), nil)
	resp, err := c.Do(context.Background(), "POST", "http://"+ln.Addr().String()+"/x", nil, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNoContent || accepted.Load() != 3 {
		t.Fatalf("status %d after %d connections, want 204 after 3", resp.StatusCode, accepted.Load())
	}
}

// oneConnListener serves exactly one accepted connection.
type oneConnListener struct {
	conn net.Conn
	done atomic.Bool
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if l.done.Swap(true) {
		select {}
	}
	return l.conn, nil
}
func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

func TestNoResponseIsARequestError(t *testing.T) {
	cfg := fastConfig()
	cfg.MaxRetries = 1
	c, _ := New(cfg, nil)
	// A port nothing listens on.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := c.Do(context.Background(), "GET", "http://"+addr+"/users/x?ust=SECRET-UST", nil, nil)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) {
		t.Fatalf("err = %v, want a *RequestError", err)
	}
	if strings.Contains(err.Error(), "SECRET-UST") {
		t.Fatal("the error message holds a query value")
	}
}

func TestSignerAndUserAgentOnEveryAttempt(t *testing.T) {
	var attempts atomic.Int32
	var signatures []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signatures = append(signatures, r.Header.Get("X-Signature"))
		if r.Header.Get("User-Agent") != "terraform-provider-identity/test terraform/1.11.4" {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		if attempts.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	var n atomic.Int32
	c, _ := New(fastConfig(), func(r *http.Request) error {
		r.Header.Set("X-Signature", "sig-"+strconv.Itoa(int(n.Add(1))))
		return nil
	})
	if _, err := c.Do(context.Background(), "GET", srv.URL, nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(signatures) != 2 || signatures[0] == signatures[1] || signatures[0] == "" {
		t.Fatalf("signatures per attempt = %q, want two fresh ones", signatures)
	}
}

func TestRateLimitPacesRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	cfg := fastConfig()
	cfg.RequestsPerSecond = 20
	c, _ := New(cfg, nil)
	start := time.Now()
	for range 30 {
		if _, err := c.Do(context.Background(), "GET", srv.URL, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	// No burst: 30 requests at 20/s are 29 intervals of 50ms, ~1.45s.
	if el := time.Since(start); el < 1400*time.Millisecond {
		t.Fatalf("30 requests at 20/s took only %s", el)
	}
}

func TestCACertificate(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	// Without the CA: verification fails, and is not retried.
	c, _ := New(fastConfig(), nil)
	if _, err := c.Do(context.Background(), "GET", srv.URL, nil, nil); err == nil {
		t.Fatal("an unknown CA was trusted")
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	cfg := fastConfig()
	cfg.CACertificatePEM = string(caPEM)
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), "GET", srv.URL, nil, nil); err != nil {
		t.Fatalf("with ca_certificate_pem: %v", err)
	}
	cfg.CACertificatePEM = "not a pem"
	if _, err := New(cfg, nil); err == nil {
		t.Fatal("a bad CA PEM was accepted")
	}
	_ = tls.VersionTLS12
}

func TestCheckBaseURL(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"https://acme.us.trustedauth.com", true},
		{"https://acme.us.trustedauth.com/", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:1", true},
		{"http://[::1]:8080", true},
		{"http://acme.us.trustedauth.com", false},
		{"http://10.0.0.1", false},
		{"ftp://example.com", false},
		{"https://user:pass@example.com", false},
		{"acme.us.trustedauth.com", false},
		{"", false},
	} {
		_, err := CheckBaseURL(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CheckBaseURL(%q) err = %v, want ok %t", tc.in, err, tc.ok)
		}
	}
}

func TestPathEscape(t *testing.T) {
	for _, id := range []string{"../../admin", "a/b", "%2F", "x?y#z"} {
		if e := PathEscape(id); strings.ContainsAny(e, "/?#") {
			t.Errorf("PathEscape(%q) = %q keeps a path separator", id, e)
		}
	}
}

func TestLogsMaskSecrets(t *testing.T) {
	const secretHeader, secretQuery, secretBody = "Bearer tok-SECRET-1", "ust-SECRET-2", "pw-SECRET-3"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "session=cookie-SECRET-4")
		_, _ = w.Write([]byte(`{"password":"` + secretBody + `"}`))
	}))
	defer srv.Close()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = MaskSecrets(ctx, secretBody)
	c, _ := New(fastConfig(), nil)
	h := JSONHeader()
	h.Set("Authorization", secretHeader)
	if _, err := c.Do(ctx, "PATCH", srv.URL+"/zato/sso/user?ust="+url.QueryEscape(secretQuery), h, []byte(`{"new_password":"`+secretBody+`"}`)); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, "identity API request") || !strings.Contains(logs, "identity API response") {
		t.Fatalf("no request/response log lines captured: %q", logs)
	}
	for _, s := range []string{"SECRET-1", "SECRET-2", "SECRET-3", "SECRET-4"} {
		if strings.Contains(logs, s) {
			t.Errorf("a secret (%s) reached the log", s)
		}
	}
}

func TestPreviewRedactsSecretMembers(t *testing.T) {
	cases := []struct{ body, want string }{
		// An authenticate answer that came with an error status.
		{`{"authToken":"tok-123","expirationTime":"2030"}`, `{"authToken":"<redacted>","expirationTime":"2030"}`},
		{`{"access_token" : "a\"b", "x":1}`, `{"access_token" : "<redacted>", "x":1}`},
		{`{"status":"ok","ust":"u-1"}`, `{"status":"ok","ust":"<redacted>"}`},
		{`{"newPassword":"P-1","present":true}`, `{"newPassword":"<redacted>","present":true}`},
		{`{"SHARED_SECRET":12345}`, `{"SHARED_SECRET":"<redacted>"}`},
		// Cut short: the rest of the value goes.
		{`{"errorCode":"E","token":"abcdef`, `{"errorCode":"E","token":"<redacted>"`},
		// Names that merely contain a short word are left alone, and so is null.
		{`{"trust":"yes","keyboard":"q","password":null}`, `{"trust":"yes","keyboard":"q","password":null}`},
		{`<html>token: abc</html>`, `<html>token: abc</html>`},
	}
	for _, c := range cases {
		if got := Preview([]byte(c.body)); got != c.want {
			t.Errorf("Preview(%q) = %q, want %q", c.body, got, c.want)
		}
	}
}
