package zato

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/session"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var _ backend.Backend = (*RESTBackend)(nil)

// RESTConfig is the REST transport's part of the zato_sso block.
type RESTConfig struct {
	// URL is the server's base URL, e.g. https://zato.example:17010.
	URL string
	// Username and Password are a Zato SSO super-user's.
	Username, Password string
	// CurrentApp is sent with every call; it must be one of the server's apps.
	CurrentApp string
	// Now is the clock used to turn an expiry time into days; nil means time.Now.
	Now func() time.Time
}

// RESTBackend speaks to the SSO REST channels as a super-user. It is safe for
// concurrent use: one session token (UST) is shared by every resource of the
// provider block.
type RESTBackend struct {
	base       string
	username   string
	password   string
	currentApp string
	now        func() time.Time
	http       *transport.Client
	// sessions holds the super-user's session token (UST). A Zato session
	// lasts sso.conf [session] expiry minutes from login (60 as shipped;
	// calls do not extend it, zato-sso session.py:606-613), a setting the
	// client does not know, so a UST is kept until Zato answers that it is
	// unknown or expired.
	sessions *session.Cache
}

// NewREST builds the REST backend. It does not log in: the first call does.
func NewREST(cfg RESTConfig, tc transport.Config) (*RESTBackend, error) {
	u, err := transport.CheckBaseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(cfg.Username) == "":
		return nil, errors.New("a Zato SSO super-user name is required")
	case cfg.Password == "":
		return nil, errors.New("the Zato SSO super-user's password is required")
	case strings.TrimSpace(cfg.CurrentApp) == "":
		return nil, errors.New("current_app is required: one of the apps configured in the server's sso.conf")
	}
	client, err := transport.New(tc, nil)
	if err != nil {
		return nil, err
	}
	b := &RESTBackend{
		base:       u.String(),
		username:   cfg.Username,
		password:   cfg.Password,
		currentApp: cfg.CurrentApp,
		now:        backend.Clock(cfg.Now),
		http:       client,
	}
	// Concurrent callers share one login rather than each logging in: a
	// stampede of failed logins could lock the super-user out.
	b.sessions = session.New(b.login, b.now)
	return b, nil
}

// Name implements backend.Backend.
func (b *RESTBackend) Name() string { return restName }

// Capabilities implements backend.Backend: Zato's REST API sets a chosen
// password with an expiry in days, sets the must-change flag (separately),
// and reads a user with password_last_set for drift detection. It neither
// generates passwords nor resets them: the provider generates one (32
// characters by default, as strong as Zato's own 24 random bytes) and sets it.
func (b *RESTBackend) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		SetChosen: true, ProviderGenerateDefaultLength: 32,
		ExpiryOnSet: backend.ExpiryDays, ForceChangeOnSet: true,
		ReadUser: true, ReadPasswordChangedAt: true, ReadEnabled: true, ReadPasswordExpiry: true, ReadPasswordMustChange: true,
		UserIDDescription: "the Zato user_id (zusr...)",
	}
}

// PasswordRules implements backend.WithPasswordRules.
func (b *RESTBackend) PasswordRules() backend.PasswordRules { return zatoPasswordRules }

// ValidateUserID implements backend.Backend.
func (b *RESTBackend) ValidateUserID(userID string) error {
	if userID == "" {
		return errors.New("the user id must not be empty: give the Zato user_id (zusr...)")
	}
	if hasBadRune(userID, `/\?#%`) {
		return errors.New("a Zato user_id (zusr...) has no whitespace, control characters or any of / \\ ? # %")
	}
	return nil
}

// SSO channel paths (zato-cli .../cli/create_cluster.py:935-945).
const (
	loginPath    = "/zato/sso/user/login"
	userPath     = "/zato/sso/user"
	passwordPath = "/zato/sso/user/password" //nolint:gosec // G101: a URL path, not a credential
	searchPath   = "/zato/sso/user/search"
)

// SetPassword checks that the user exists and is not the provider's own
// super-user (the super-user search: Zato answers a password change for a
// user nobody has with "ok" and changes nothing), sets a chosen password
// (PATCH /zato/sso/user/password), then the must-change flag when asked
// (PATCH /zato/sso/user: Zato 3.x refuses must_change on the password
// endpoint with E008002, whatever its docs say), then reads the user back
// so that the reported times are the server's own.
func (b *RESTBackend) SetPassword(ctx context.Context, in backend.SetPasswordInput) (_ backend.PasswordResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	var res backend.PasswordResult
	if err := checkSet(b, in); err != nil {
		return res, err
	}
	ctx = transport.MaskSecrets(ctx, b.password, in.Password)
	op := "set the password of user " + in.UserID
	if err := b.checkTarget(ctx, in.UserID, op, setTargetHints); err != nil {
		// An answer to the super-user login made on the way is not
		// scrubbed of the password being set.
		return res, backend.WithoutSecrets(err, in.Password)
	}

	fields := map[string]any{"user_id": in.UserID, "new_password": in.Password}
	if in.ExpiresAt != nil {
		// At least 1: Zato takes 0 (and a negative number) as its default
		// expiry (zato-sso util.py:181; service .../sso/user.py:363-368).
		fields["password_expiry"] = expiryDays(*in.ExpiresAt, b.now())
	}
	tflog.Debug(ctx, "setting a Zato SSO password", map[string]any{"user_id": in.UserID, "password_expiry_days": fields["password_expiry"]})
	if _, err := b.call(ctx, http.MethodPatch, passwordPath, op, fields); err != nil {
		var ae *backend.APIError
		if errors.As(err, &ae) && ae.StatusCode/100 == 2 && ae.Code == "" {
			// Answered with success, but not in a form that can be read.
			return res, backend.PasswordMayHaveChanged(err)
		}
		// This call's own answer is scrubbed of the password already; an
		// answer to the super-user login made on the way is not.
		return res, backend.WithoutSecrets(err, in.Password)
	}

	if in.ForceChange != nil {
		op := fmt.Sprintf("set the must-change flag of user %s to %t (its password was set)", in.UserID, *in.ForceChange)
		if _, err := b.call(ctx, http.MethodPatch, userPath, op,
			map[string]any{"user_id": in.UserID, "password_must_change": *in.ForceChange}); err != nil {
			return res, backend.PasswordMayHaveChanged(backend.WithoutSecrets(err, in.Password))
		}
	}

	u, err := b.readUser(ctx, in.UserID, "read user "+in.UserID+" back after setting its password (the password was set)")
	if err != nil {
		return res, backend.PasswordMayHaveChanged(backend.WithoutSecrets(err, in.Password))
	}
	res.LastChangedAt = u.PasswordLastChangedAt
	res.ExpiresAt = u.PasswordExpiresAt
	res.MustChange = u.PasswordMustChange
	return res, nil
}

// ResetPassword is not offered: Zato's REST API has no server-side reset
// that returns a password, so the provider resets by setting a generated one.
func (b *RESTBackend) ResetPassword(context.Context, backend.ResetInput) (backend.ResetResult, error) {
	return backend.ResetResult{}, fmt.Errorf("%w: Zato SSO's REST API has no server-side reset; the provider sets a generated password instead", backend.ErrNotSupported)
}

// ReadPassword implements backend.Backend: one call reads the user with its
// password metadata, so it is ReadUser.
func (b *RESTBackend) ReadPassword(ctx context.Context, userID string) (backend.User, error) {
	return b.ReadUser(ctx, userID)
}

// ReadUser reads a user (GET /zato/sso/user).
func (b *RESTBackend) ReadUser(ctx context.Context, userID string) (backend.User, error) {
	if err := b.ValidateUserID(userID); err != nil {
		return backend.User{}, err
	}
	ctx = transport.MaskSecrets(ctx, b.password)
	return b.readUser(ctx, userID, "read user "+userID)
}

// zatoUser is the part of GET /zato/sso/user the provider uses. The user's
// fields sit at the top level of the answer, beside status and cid.
type zatoUser struct {
	UserID             string    `json:"user_id"`
	IsActive           *flexBool `json:"is_active"`
	IsLocked           *flexBool `json:"is_locked"`
	PasswordLastSet    *string   `json:"password_last_set"`
	PasswordExpiry     *string   `json:"password_expiry"`
	PasswordMustChange *flexBool `json:"password_must_change"`
}

// enabledOf is whether a user could sign in: active (a flag Zato 3.x
// never checks, but reports) and not locked; nil when neither is reported.
func enabledOf(active, locked *flexBool) *bool {
	if active == nil && locked == nil {
		return nil
	}
	enabled := (active == nil || bool(*active)) && (locked == nil || !bool(*locked))
	return &enabled
}

// readUser sends user_id, ust and current_app in a JSON body rather than the
// query string (Zato takes either): the transport would redact a query
// string in our logs, but Zato's own http_access.log and any proxy in front of
// it would write the super-user's session token to disk.
//
// Zato answers E005001 for a user nobody has (zato-sso user.py:642-646) as
// for many refusals; the super-user search then tells them apart
// (explainNotAllowed), so that a deleted user reads as not found and a real
// permission problem stays an error.
func (b *RESTBackend) readUser(ctx context.Context, userID, op string) (backend.User, error) {
	raw, err := b.call(ctx, http.MethodGet, userPath, op, map[string]any{"user_id": userID})
	if err != nil {
		return backend.User{}, b.explainNotAllowed(ctx, userID, op, err)
	}
	var zu zatoUser
	if err := json.Unmarshal(raw, &zu); err != nil {
		return backend.User{}, fmt.Errorf("%s: could not %s: the answer is not a user in the documented form", restName, op)
	}
	u := backend.User{ID: userID}
	if zu.UserID != "" {
		u.ID = zu.UserID
	}
	u.Enabled = enabledOf(zu.IsActive, zu.IsLocked)
	if zu.PasswordMustChange != nil {
		v := bool(*zu.PasswordMustChange)
		u.PasswordMustChange = &v
	}
	for _, f := range []struct {
		name string
		in   *string
		out  **time.Time
	}{
		{"password_last_set", zu.PasswordLastSet, &u.PasswordLastChangedAt},
		{"password_expiry", zu.PasswordExpiry, &u.PasswordExpiresAt},
	} {
		if f.in == nil || strings.TrimSpace(*f.in) == "" {
			continue
		}
		t, err := parseZatoTime(*f.in)
		if err != nil {
			// The value is not quoted: a success answer may hold a session
			// token, and this one is not in the documented form.
			return backend.User{}, fmt.Errorf("%s: could not %s: %s is not an ISO 8601 datetime", restName, op, f.name)
		}
		*f.out = &t
	}
	return u, nil
}

// call sends one SSO call with ust and current_app added to fields. When
// Zato answers that the session is unknown or expired, it logs in again once
// and repeats the call once: E007001 from a REST-verb service (/user,
// /user/password), E005001 from the search, which masks E007001 as E005001
// (zato-server .../service/internal/sso/__init__.py:140-143). It returns
// the answer's JSON object.
func (b *RESTBackend) call(ctx context.Context, method, path, op string, fields map[string]any) (json.RawMessage, error) {
	ust, err := b.sessions.Token(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		ctx := transport.MaskSecrets(ctx, ust)
		body := map[string]any{"ust": ust, "current_app": b.currentApp}
		maps.Copy(body, fields)
		data, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("%s: could not %s: encoding the request: %w", restName, op, err)
		}
		sendCtx := ctx
		if method != http.MethodGet {
			// A PATCH changes the user: the transport records whether an
			// attempt may have acted unanswered (transport.Outcome). The
			// login is sent with ctx, unmarked.
			sendCtx = transport.Changes(ctx)
		}
		resp, err := b.http.Do(sendCtx, method, b.base+path, transport.JSONHeader(), data)
		if err != nil {
			return nil, fmt.Errorf("%s: could not %s: %w", restName, op, err)
		}
		newPassword, _ := fields["new_password"].(string)
		raw, apiErr := parseAnswer(resp, op, false, ust, b.password, newPassword)
		if apiErr == nil {
			return raw, nil
		}
		b.explainApp(apiErr)
		if attempt == 0 && (apiErr.Code == codeNoSession || path == searchPath && apiErr.Code == codeNotAllowed) {
			tflog.Debug(ctx, "Zato SSO session unknown or expired; logging in again", map[string]any{"sub_status": apiErr.Code})
			b.sessions.Invalidate(ust)
			if ust, err = b.sessions.Token(ctx); err != nil {
				return nil, err
			}
			continue
		}
		return nil, apiErr
	}
}

// explainApp names the configured current_app in an E004001 error: Zato
// answers it with HTTP 200 when current_app is not in sso.conf [apps] all
// (every call: zato-server .../service/internal/sso/__init__.py:99-103),
// and with HTTP 403 at login when it is not in login_allowed (zato-sso
// util.py:311-318).
func (b *RESTBackend) explainApp(e *backend.APIError) {
	if e.Code != codeAppInvalid {
		return
	}
	// The message is quoted in the diagnostic: the value goes in the hint.
	e.Message = "current_app is not one of the server's apps"
	if e.StatusCode != http.StatusOK {
		e.Message = "current_app is not allowed to log in"
	}
	e.Hint = fmt.Sprintf("Set current_app (now %q) to an app listed in the Zato server's sso.conf [apps] all, "+
		"and in its login_allowed too, since the provider logs in with it", b.currentApp)
}

// login logs the super-user in (POST /zato/sso/user/login) and returns the
// UST, to be kept until Zato refuses it (session.Login).
func (b *RESTBackend) login(ctx context.Context) (string, time.Time, error) {
	op := "log in as super-user " + b.username
	ctx = transport.MaskSecrets(ctx, b.password)
	data, err := json.Marshal(map[string]string{"username": b.username, "password": b.password, "current_app": b.currentApp})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: encoding the request: %w", restName, op, err)
	}
	tflog.Debug(ctx, "logging in to Zato SSO", map[string]any{"username": b.username, "current_app": b.currentApp})
	resp, err := b.http.Do(ctx, http.MethodPost, b.base+loginPath, transport.JSONHeader(), data)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: %w", restName, op, err)
	}
	// A warning is a login: the password is about to expire (W003005).
	raw, apiErr := parseAnswer(resp, op, true, b.password)
	if apiErr != nil {
		b.explainApp(apiErr)
		if apiErr.Code == codeNotAllowed {
			// zato-sso session.py:275-302, util.py:393-399 (inform_if_expired=False).
			apiErr.Hint = "Check the provider's username and password (a Zato SSO super-user's): Zato answers E005001 for an unknown user, " +
				"a wrong password, an expired password and a user that is not approved"
		}
		return "", time.Time{}, apiErr
	}
	var out struct {
		Status    string          `json:"status"`
		SubStatus json.RawMessage `json:"sub_status"`
		UST       string          `json:"ust"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.UST == "" {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: the answer held no session token (ust)", restName, op)
	}
	if out.Status == statusWarning {
		// Zato logs in with a warning when the super-user's own password is
		// about to expire.
		tflog.Warn(ctx, "Zato SSO logged the super-user in with a warning; its password may be about to expire",
			map[string]any{"username": b.username, "sub_status": strings.Join(subStatusCodes(out.SubStatus), ", ")})
	}
	tflog.Debug(transport.MaskSecrets(ctx, out.UST), "logged in to Zato SSO")
	return out.UST, time.Time{}, nil
}
