// Package transport is the one HTTP client every backend uses: retries with
// exponential backoff and jitter (go-retryablehttp), a token bucket shared by
// every resource of a provider block, per-attempt timeouts, an extra trusted
// CA, a User-Agent, request signing per attempt, and logging through tflog
// with every secret masked.
package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// Defaults of the provider's transport attributes.
const (
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 30 * time.Second
	// MaxResponseBytes bounds what is read of a response body.
	MaxResponseBytes = 4 << 20
)

// Config is the transport part of a provider block.
type Config struct {
	// MaxRetries is the number of retries after the first attempt.
	MaxRetries int
	// RequestTimeout bounds each attempt.
	RequestTimeout time.Duration
	// RequestsPerSecond is the token bucket rate; 0 means no limit.
	RequestsPerSecond float64
	// CACertificatePEM is an extra CA to trust.
	CACertificatePEM string
	// UserAgent is sent with every request.
	UserAgent string
	// RetryWaitMin and RetryWaitMax bound the backoff; zero means 500ms and 30s.
	RetryWaitMin, RetryWaitMax time.Duration
	// SensitiveHeaders are masked in logs in addition to the defaults.
	SensitiveHeaders []string
}

// Signer changes an outgoing request before each attempt (including
// retries), e.g. to add a fresh signature and date.
type Signer func(req *http.Request) error

// Client is safe for concurrent use; make one per provider block.
type Client struct {
	http    *retryablehttp.Client
	limiter *rate.Limiter
	hold    holdOff
	cfg     Config
}

// Response is a fully read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// defaultSensitiveHeaders are never logged with their values.
var defaultSensitiveHeaders = []string{"Authorization", "X-Security-Token", "X-Amz-Security-Token", "Cookie", "Set-Cookie", "X-Auth-Token"}

// New builds a client. The signer may be nil.
func New(cfg Config, signer Signer) (*Client, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxRetries < 0 {
		return nil, errors.New("max_retries must not be negative")
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = 500 * time.Millisecond
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 30 * time.Second
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if strings.TrimSpace(cfg.CACertificatePEM) != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertificatePEM)) {
			return nil, errors.New("ca_certificate_pem holds no PEM-encoded certificate")
		}
		tlsConfig.RootCAs = pool
	}
	base := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConfig,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	c := &Client{cfg: cfg}
	if cfg.RequestsPerSecond > 0 {
		// A burst of 1: requests leave at most one per 1/rate, never faster.
		// A burst of rate (as before) let the first second's requests out at
		// once; a service whose own bucket has the same rate and burst is
		// then left with no token to spare, and the few milliseconds by which
		// two requests' arrivals differ from their departures were enough for
		// a 429 (and its Retry-After second) at the configured rate. Paced
		// evenly, the service's bucket stays full; the cost is at most one
		// second of the first burst.
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), 1)
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Timeout:   cfg.RequestTimeout,
		Transport: &attemptTransport{next: newFirstConnTransport(base), limiter: c.limiter, signer: signer, userAgent: cfg.UserAgent},
	}
	// The retryablehttp logger is not context-aware; logging goes through the
	// hooks below, which take the request's context and so tflog's masks.
	rc.Logger = nil
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		retry, checkErr := checkRetry(ctx, resp, err)
		if retry && resp != nil {
			if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
				c.hold.extend(min(d, cfg.RetryWaitMax))
			}
		}
		return retry, checkErr
	}
	// Retries wait for a hold too, after their own backoff, and outside the
	// per-attempt timeout (as the first attempt does in Do).
	rc.PrepareRetry = func(req *http.Request) error { return c.hold.wait(req.Context()) }
	rc.Backoff = backoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	sensitive := append(append([]string{}, defaultSensitiveHeaders...), cfg.SensitiveHeaders...)
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		tflog.Debug(req.Context(), "identity API request", map[string]any{
			"component": "transport",
			"method":    req.Method,
			"url":       RedactURL(req.URL),
			"attempt":   attempt + 1,
			"headers":   redactHeaders(req.Header, sensitive),
		})
	}
	rc.ResponseLogHook = func(_ retryablehttp.Logger, resp *http.Response) {
		tflog.Debug(resp.Request.Context(), "identity API response", map[string]any{
			"component": "transport",
			"method":    resp.Request.Method,
			"url":       RedactURL(resp.Request.URL),
			"status":    resp.StatusCode,
			"headers":   redactHeaders(resp.Header, sensitive),
		})
	}
	c.http = rc
	return c, nil
}

// Do sends a request with the given JSON-ready body (nil for none, []byte
// as is) and reads the whole response. A non-2xx status is not an error here:
// each backend maps its own error bodies. The error is a *RequestError when
// no response could be had at all.
func (c *Client) Do(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*Response, error) {
	var reqBody any
	if body != nil {
		reqBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, rawURL, reqBody)
	if err != nil {
		return nil, &RequestError{Method: method, URL: redactRaw(rawURL), Err: err}
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if err := c.hold.wait(ctx); err != nil {
		return nil, &RequestError{Method: method, URL: redactRaw(rawURL), Err: err}
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &RequestError{Method: method, URL: redactRaw(rawURL), Err: err, rawURL: rawURL}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	if err != nil {
		markLost(ctx) // the service answered, so it may have acted
		return nil, &RequestError{Method: method, URL: redactRaw(rawURL), Err: fmt.Errorf("reading the response: %w", err)}
	}
	tflog.Trace(ctx, "identity API call done", map[string]any{
		"component":   "transport",
		"method":      method,
		"status":      resp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(),
	})
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// RequestError is a request that got no HTTP response: a connection error, a
// timeout, a TLS failure, or retries exhausted on a retryable status.
type RequestError struct {
	Method string
	URL    string
	Err    error
	// rawURL is replaced by URL in Error(): net/http's errors quote the
	// whole URL, query values (Zato session tokens) included.
	rawURL string
}

// maxCauseBytes bounds the underlying error's text in a RequestError.
const maxCauseBytes = 1024

func (e *RequestError) Error() string {
	// retryablehttp's own message says how many attempts were made.
	msg := fmt.Sprintf("%s %s failed", e.Method, e.URL)
	cause := e.Err.Error()
	if e.rawURL != "" {
		cause = strings.ReplaceAll(cause, e.rawURL, e.URL)
	}
	// net/http quotes what it could not parse (a malformed header line, a
	// whole status line) in full: the cause is bounded and made fit for a
	// diagnostic like any other text that came from the server.
	cause = SafeText(cause, maxCauseBytes)
	if hint := certificateHint(e.Err); hint != "" {
		cause += ". " + hint
	}
	return msg + ": " + cause
}

// certificateHint says what to do about a failed certificate verification,
// which is not retried: Go's own message names the problem, not the remedy.
func certificateHint(err error) string {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknownCA):
		return "The server's TLS certificate is not issued by a CA this machine trusts: if the identity system " +
			"uses a private CA, set ca_certificate_pem to that CA's certificate (PEM); otherwise check that the URL " +
			"reaches the intended server. The request was not retried"
	case errors.As(err, &hostname):
		return "The server's TLS certificate is not valid for this host name: check the URL or endpoint. The request was not retried"
	case errors.As(err, &invalid):
		return "The server's TLS certificate is not valid (expired, not yet valid, or not for a server): renew it on " +
			"the server, or check that the URL reaches the intended server. The request was not retried"
	case errors.As(err, &verify):
		return "The server's TLS certificate could not be verified: check the URL and ca_certificate_pem. The request was not retried"
	}
	return ""
}

func (e *RequestError) Unwrap() error { return e.Err }

// attemptTransport runs before every attempt: it waits for the token bucket
// (so retries are paced too), sets the User-Agent, signs the request and,
// for a request that changes something, records the attempt's outcome
// (outcome.go).
type attemptTransport struct {
	next      http.RoundTripper
	limiter   *rate.Limiter
	signer    Signer
	userAgent string
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.limiter != nil {
		if err := t.limiter.Wait(req.Context()); err != nil {
			return nil, err
		}
	}
	if t.userAgent != "" {
		req.Header.Set("User-Agent", t.userAgent)
	}
	if t.signer != nil {
		if err := t.signer(req); err != nil {
			return nil, fmt.Errorf("signing the request: %w", err)
		}
	}
	return roundTripRecorded(t.next, req)
}

// holdOff is a Retry-After that applies to every request of a Client: a
// service that answers 429 or 503 with Retry-After limits the account, not
// the one request, so no request of the provider block is sent before then.
// Without it, the requests that -parallelism keeps starting meet the limit
// in the meantime, and the retried ones come back all at once: both use up
// attempts, and some run out of retries.
type holdOff struct {
	mu    sync.Mutex
	until time.Time
	// spread is the length of the latest hold: waiters come back spread
	// over half of it after it ends, not in one instant.
	spread time.Duration
}

// extend holds off every request for d from now (the later end wins).
func (h *holdOff) extend(d time.Duration) {
	if d <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if until := time.Now().Add(d); until.After(h.until) {
		h.until, h.spread = until, d
	}
}

// wait returns at once when no hold is in force; otherwise after it ends,
// plus a random share of half its length (again if it was extended).
func (h *holdOff) wait(ctx context.Context) error {
	for {
		h.mu.Lock()
		d, spread := time.Until(h.until), h.spread
		h.mu.Unlock()
		if d <= 0 {
			return nil
		}
		d += jitter(spread / 2)
		tflog.Debug(ctx, "holding the request: the service asked to retry later", map[string]any{
			"component": "transport",
			"wait_ms":   d.Milliseconds(),
		})
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// jitter is a random duration in [0, d].
func jitter(d time.Duration) time.Duration {
	// Jitter only spreads retries; it needs no cryptographic randomness.
	return time.Duration(rand.Int64N(int64(max(d, 0)) + 1)) //nolint:gosec // G404: not a secret
}

// checkRetry retries 429, 502, 503, 504 and connection errors, as the
// provider's contract says; 500 is not retried (the service may have acted).
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if noRetry(ctx) {
		return false, nil // an AtMostOnce request that may have acted
	}
	if err != nil {
		// DefaultRetryPolicy knows which errors are permanent (TLS
		// verification, bad scheme, too many redirects).
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// backoff honours Retry-After on any retryable answer, and otherwise waits
// min·2^attempt with "equal jitter" (half fixed, half random), capped at max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			if d > maxWait {
				return maxWait
			}
			return d
		}
	}
	wait := minWait << min(attempt, 30)
	if wait <= 0 || wait > maxWait {
		wait = maxWait
	}
	half := wait / 2
	return half + jitter(half)
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
// (retryablehttp's own parser is unexported and only used for 429 and 503.)
func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t)), true
	}
	return 0, false
}

// JSONHeader is the header of a JSON request.
func JSONHeader() http.Header {
	return http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}
}
