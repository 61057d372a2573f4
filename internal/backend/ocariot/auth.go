package ocariot

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// maxRenewMargin is how long before its exp a token is renewed at most; a
// token with a short life is renewed when a tenth of it is left.
const maxRenewMargin = 5 * time.Minute

// renewTime is when a token just obtained should be renewed: shortly before
// its exp by the client's clock (now). A token without a readable exp, or
// one already expired by this clock (a skewed clock), is kept until the
// service refuses it (zero), instead of logging in before every call.
func renewTime(ctx context.Context, token string, now time.Time) time.Time {
	exp, ok := tokenExpiry(token)
	if !ok {
		tflog.Debug(ctx, "the OCARIoT access token has no readable exp; it is renewed when refused", map[string]any{"backend": name})
		return time.Time{}
	}
	life := exp.Sub(now)
	if life <= 0 {
		tflog.Warn(ctx, "the OCARIoT access token is already expired by this machine's clock; check the clock. "+
			"The token is used until the service refuses it.", map[string]any{"backend": name, "token_expires_at": exp.Format(time.RFC3339)})
		return time.Time{}
	}
	tflog.Debug(ctx, "logged in to OCARIoT", map[string]any{"backend": name, "token_expires_at": exp.Format(time.RFC3339)})
	return exp.Add(-min(maxRenewMargin, life/10))
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

// authorizedDo sends a request with the bearer token. On a 401 with a token
// it obtained by logging in, it logs in again once and retries once; a given
// access token cannot be renewed, so its 401 is final.
func (b *Backend) authorizedDo(ctx context.Context, op, method, url string, body []byte) (*transport.Response, error) {
	for attempt := 0; ; attempt++ {
		token, err := b.token(ctx)
		if err != nil {
			return nil, err
		}
		callCtx := transport.MaskSecrets(ctx, token)
		header := transport.JSONHeader()
		header.Set("Authorization", "Bearer "+token)
		sendCtx := callCtx
		if method != http.MethodGet {
			// The password POST (a listing is a GET): the transport
			// records whether an attempt may have acted unanswered
			// (transport.Outcome). The login above is not marked.
			sendCtx = transport.Changes(callCtx)
		}
		resp, err := b.http.Do(sendCtx, method, url, header, body)
		if err != nil {
			return nil, fmt.Errorf("%s: could not %s: %w", name, op, err)
		}
		if resp.StatusCode != http.StatusUnauthorized || b.tokens == nil || attempt > 0 {
			return resp, nil
		}
		b.tokens.Invalidate(token)
		tflog.Debug(callCtx, "OCARIoT refused the access token; logging in again", map[string]any{"backend": name, "operation": op})
	}
}

// token is the bearer token to send: the configured one, or one obtained
// by logging in.
func (b *Backend) token(ctx context.Context) (string, error) {
	if b.tokens == nil {
		return b.cfg.AccessToken, nil
	}
	return b.tokens.Token(ctx)
}

// currentToken is the token in use, for removing it from error messages.
func (b *Backend) currentToken() string {
	if b.tokens == nil {
		return b.cfg.AccessToken
	}
	return b.tokens.Current()
}

// login obtains a new access token with POST /v1/auth, and says when to
// renew it (session.Login).
func (b *Backend) login(ctx context.Context) (string, time.Time, error) {
	ctx = transport.MaskSecrets(ctx, b.cfg.Password)
	op := fmt.Sprintf("log in as %q", b.cfg.Username)
	body, err := json.Marshal(map[string]string{"username": b.cfg.Username, "password": b.cfg.Password})
	if err != nil {
		return "", time.Time{}, err
	}
	resp, err := b.http.Do(ctx, http.MethodPost, b.baseURL+"/v1/auth", transport.JSONHeader(), body)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: %w", name, op, err)
	}
	if resp.StatusCode/100 != 2 {
		return "", time.Time{}, b.apiError(op, resp, true)
	}
	// The body holds the token: never echo it, not even in an error.
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.AccessToken == "" {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: the service answered HTTP %d without an access_token in a JSON body; "+
			"check that url points at the OCARIoT API gateway", name, op, resp.StatusCode)
	}
	return out.AccessToken, renewTime(ctx, out.AccessToken, b.now()), nil
}
