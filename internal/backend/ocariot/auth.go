package ocariot

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// maxRenewMargin is how long before its exp a token is renewed at most; a
// token with a short life is renewed when a tenth of it is left.
const maxRenewMargin = 5 * time.Minute

// tokenSource hands out the bearer token: the configured one as is, or one
// obtained by logging in, cached and renewed before it expires. However many
// resources ask at once, at most one login is in flight; the others wait for
// its result.
//
// (golang.org/x/sync/singleflight would do the de-duplication, but it is not
// a dependency of the module, and the waiters here must also stop waiting
// when their own context ends and not inherit a login that failed only
// because the first caller's context ended.)
type tokenSource struct {
	// fixed is the configured access token; when set, nothing is cached or renewed.
	fixed string
	login func(ctx context.Context) (string, error)
	now   func() time.Time

	mu    sync.Mutex
	token string
	// renewAt is when the cached token is renewed; zero when its expiry is
	// unknown, in which case only a 401 renews it.
	renewAt time.Time
	flight  *loginFlight
}

// loginFlight is one login in progress; done is closed when token/err are set.
type loginFlight struct {
	done  chan struct{}
	token string
	err   error
}

// get returns a token to send, logging in when there is none or it is due
// for renewal.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	if s.fixed != "" {
		return s.fixed, nil
	}
	for {
		s.mu.Lock()
		if s.token != "" && (s.renewAt.IsZero() || s.now().Before(s.renewAt)) {
			token := s.token
			s.mu.Unlock()
			return token, nil
		}
		if f := s.flight; f != nil {
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", ctx.Err()
			}
			if f.err == nil {
				return f.token, nil
			}
			if isContextError(f.err) && ctx.Err() == nil {
				continue // the first caller gave up; this one has not
			}
			return "", f.err
		}
		f := &loginFlight{done: make(chan struct{})}
		s.flight = f
		s.mu.Unlock()

		token, err := s.login(ctx)

		s.mu.Lock()
		s.flight = nil
		if err == nil {
			s.token, s.renewAt = token, s.renewTime(ctx, token)
		}
		f.token, f.err = token, err
		s.mu.Unlock()
		close(f.done)
		return token, err
	}
}

// invalidate drops the cached token after the service refused it, unless
// another caller has already replaced it.
func (s *tokenSource) invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == token {
		s.token, s.renewAt = "", time.Time{}
	}
}

// current is the token in use, for scrubbing error messages.
func (s *tokenSource) current() string {
	if s.fixed != "" {
		return s.fixed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// renewTime is when a token just obtained should be renewed: shortly before
// its exp by the client's clock. A token without a readable exp, or one
// already expired by this clock (a skewed clock), is kept until the service
// refuses it, instead of logging in before every call.
func (s *tokenSource) renewTime(ctx context.Context, token string) time.Time {
	exp, ok := tokenExpiry(token)
	if !ok {
		tflog.Debug(ctx, "the OCARIoT access token has no readable exp; it is renewed when refused", map[string]any{"backend": name})
		return time.Time{}
	}
	life := exp.Sub(s.now())
	if life <= 0 {
		tflog.Warn(ctx, "the OCARIoT access token is already expired by this machine's clock; check the clock. "+
			"The token is used until the service refuses it.", map[string]any{"backend": name, "token_expires_at": exp.Format(time.RFC3339)})
		return time.Time{}
	}
	tflog.Debug(ctx, "logged in to OCARIoT", map[string]any{"backend": name, "token_expires_at": exp.Format(time.RFC3339)})
	return exp.Add(-min(maxRenewMargin, life/10))
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// tokenExpiry reads the exp claim of a JWT without verifying its signature.
// The client has no business verifying it: it holds no key of the gateway's,
// the token is only a bearer credential that the gateway verifies on every
// call, and exp is used only to log in again before the gateway would refuse
// the token. A wrong exp costs at most one refused call, after which the
// client logs in again anyway.
func tokenExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var c struct {
		Exp *float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &c) != nil || c.Exp == nil || *c.Exp <= 0 || math.IsInf(*c.Exp, 0) || *c.Exp > 1e11 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(*c.Exp)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// login obtains a new access token with POST /v1/auth.
func (b *Backend) login(ctx context.Context) (string, error) {
	ctx = transport.MaskSecrets(ctx, b.cfg.Password)
	op := fmt.Sprintf("log in as %q", b.cfg.Username)
	body, err := json.Marshal(map[string]string{"username": b.cfg.Username, "password": b.cfg.Password})
	if err != nil {
		return "", err
	}
	resp, err := b.http.Do(ctx, http.MethodPost, b.baseURL+"/v1/auth", transport.JSONHeader(), body)
	if err != nil {
		return "", fmt.Errorf("%s: could not %s: %w", name, op, err)
	}
	if resp.StatusCode/100 != 2 {
		return "", b.apiError(op, resp, true)
	}
	// The body holds the token: never echo it, not even in an error.
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("%s: could not %s: the service answered HTTP %d without an access_token in a JSON body; "+
			"check that url points at the OCARIoT API gateway", name, op, resp.StatusCode)
	}
	return out.AccessToken, nil
}
