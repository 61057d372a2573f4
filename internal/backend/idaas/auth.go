package idaas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

const (
	// defaultTokenLifetime is assumed when the authenticate answer has no
	// readable expiry. The OpenAPI states no lifetime (its example shows an
	// hour; the spec says about 15 minutes), so this is below both; a token
	// that dies earlier is caught by the 401 retry.
	defaultTokenLifetime = 10 * time.Minute
	// maxRenewMargin is how long before expiry a token is renewed.
	maxRenewMargin = time.Minute
)

type authResponse struct {
	AuthToken      string `json:"authToken"`
	ExpirationTime string `json:"expirationTime"`
	CreationTime   string `json:"creationTime"`
}

const authOperation = "authenticate with the Administration API"

// authenticate obtains a new token. renewAt is on the provider's clock: the
// token's lifetime (expirationTime − creationTime, both from the service's
// clock) is added to the local time the request started, so that a skewed
// clock on either side does not make the token look expired or eternal.
func (b *Backend) authenticate(ctx context.Context) (string, time.Time, error) {
	ctx = transport.MaskSecrets(ctx, b.cfg.SharedSecret)
	body, err := json.Marshal(map[string]string{"applicationId": b.cfg.ApplicationID, "sharedSecret": b.cfg.SharedSecret})
	if err != nil {
		return "", time.Time{}, err
	}
	start := b.cfg.Now()
	tflog.Debug(ctx, "Entrust IDaaS: authenticating", map[string]any{"backend": "idaas"})
	resp, err := b.http.Do(ctx, http.MethodPost, b.url("/api/web/v1/adminapi/authenticate"), transport.JSONHeader(), body)
	if err != nil {
		// call() adds what was being attempted.
		return "", time.Time{}, fmt.Errorf("authenticating with the Administration API: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", time.Time{}, b.apiError(authOperation, opAuthenticate, resp, b.cfg.SharedSecret)
	}
	var ar authResponse
	if err := json.Unmarshal(resp.Body, &ar); err != nil || ar.AuthToken == "" {
		// The body may hold a token: it is not quoted.
		return "", time.Time{}, &backend.APIError{
			Backend: Name, Operation: authOperation, StatusCode: resp.StatusCode,
			Message: "the answer holds no authToken",
			Hint:    "Check that url is the IDaaS tenant URL, e.g. https://acme.us.trustedauth.com",
		}
	}
	ctx = transport.MaskSecrets(ctx, ar.AuthToken)
	lifetime, err := tokenLifetime(ar, start)
	if err != nil {
		tflog.Warn(ctx, "Entrust IDaaS: the token's expiry could not be read; assuming a shorter lifetime", map[string]any{
			"backend": "idaas", "error": err.Error(), "assumed_lifetime": defaultTokenLifetime.String(),
		})
		lifetime = defaultTokenLifetime
	}
	margin := min(maxRenewMargin, lifetime/5)
	renewAt := start.Add(lifetime - margin)
	tflog.Debug(ctx, "Entrust IDaaS: authenticated", map[string]any{"backend": "idaas", "token_lifetime": lifetime.String()})
	return ar.AuthToken, renewAt, nil
}

// tokenLifetime reads how long a token lives from the authenticate answer.
func tokenLifetime(ar authResponse, start time.Time) (time.Duration, error) {
	expires, err := parseTime(ar.ExpirationTime)
	if err != nil {
		return 0, fmt.Errorf("expirationTime: %w", err)
	}
	if created, err := parseTime(ar.CreationTime); err == nil && expires.After(created) {
		return expires.Sub(created), nil
	}
	if d := expires.Sub(start); d > 0 {
		return d, nil
	}
	return 0, errors.New("expirationTime is not after creationTime nor after now")
}

// timeLayouts are the forms IDaaS writes timestamps in: RFC 3339 ("...Z",
// "...+00:00") and ISO 8601 basic offsets ("...+0000"), with or without
// fractional seconds (time.Parse accepts a fraction after the seconds even
// when the layout has none), and, defensively, without a zone (read as UTC).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
}

// parseTime reads an IDaaS timestamp.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("empty timestamp")
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is in no known form", s)
}
