package idaas

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// landedMargin widens the window in which a password change counts as this
// call's own: lastChangedTime may be reported to the whole second.
const landedMargin = time.Second

// refusedAsRecent says whether err is IDaaS refusing a password as one of
// the user's recent ones (the history check).
func refusedAsRecent(err error) bool {
	var ae *backend.APIError
	if !errors.As(err, &ae) || (ae.StatusCode != http.StatusBadRequest && ae.StatusCode != http.StatusConflict) {
		return false
	}
	text := strings.ToLower(ae.Code + " " + ae.Message)
	return strings.Contains(text, "history") || strings.Contains(text, "recently used") || strings.Contains(text, "previously used")
}

// landedEarlier is asked when a chosen password was refused as recently
// used by a retry whose earlier attempt may have acted (its answer was
// lost): did that attempt set the password? It reads the user's
// lastChangedTime. A change made while this call ran (started: when it
// began, on the local monotonic clock) is the earlier attempt's, and the
// refusal only the history seeing the password a second time; then it
// returns the password object as the set would have. The window is put on
// the service's clock from the read's Date header minus how long the call
// has run, so that a skew between the two clocks cannot matter. Without a
// readable Date or lastChangedTime it cannot tell, and says no.
func (b *Backend) landedEarlier(ctx context.Context, userID string, started time.Time) (userPassword, bool) {
	op := "read the password metadata of user " + userID + " (to see whether an interrupted attempt set the password)"
	resp, err := b.call(ctx, op, opReadPassword, http.MethodGet, "/api/web/v1/users/"+transport.PathEscape(userID)+"/passwords", nil)
	if err != nil {
		tflog.Warn(ctx, "Entrust IDaaS: could not read the password metadata after a refused retry", map[string]any{"backend": "idaas", "error": err.Error()})
		return userPassword{}, false
	}
	elapsed := time.Since(started)
	var up userPassword
	if err := json.Unmarshal(resp.Body, &up); err != nil || up.Present == nil || !*up.Present {
		return userPassword{}, false
	}
	changed := b.readTime(ctx, "lastChangedTime", up.LastChangedTime)
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if changed == nil || err != nil {
		return userPassword{}, false
	}
	windowStart := date.Add(-elapsed - landedMargin)
	if changed.Before(windowStart) {
		return userPassword{}, false
	}
	tflog.Info(ctx, "Entrust IDaaS: an interrupted attempt had set the password; its retry was refused as recently used", map[string]any{
		"backend": "idaas", "user_id": userID, "last_changed": changed.Format(time.RFC3339Nano),
	})
	up.NewPassword = "" // never on a read; a chosen password is not returned anyway
	return up, true
}
