// Package idaas is the Entrust Identity as a Service (IDaaS) backend: it
// speaks the Administration API (section 1 of the API notes) through the
// shared transport.
//
// One Backend authenticates once with the application id and shared secret
// and shares the token between every resource of its provider block; the
// token is renewed shortly before it expires, and a 401 on any call leads to
// one new authentication and one retry of that call.
package idaas

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/session"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Name is the backend's name in diagnostics.
const Name = "Entrust IDaaS"

// Config is the entrust_idaas provider block, resolved.
type Config struct {
	// URL is the tenant URL, e.g. https://acme.us.trustedauth.com.
	URL string
	// ApplicationID and SharedSecret are the Administration API credentials.
	ApplicationID string
	SharedSecret  string
	// Now is the provider's clock; nil means time.Now.
	Now func() time.Time
}

// Backend is an IDaaS tenant. It is safe for concurrent use.
type Backend struct {
	cfg  Config
	base string
	http *transport.Client
	// tokens is the Administration API token shared by every resource of
	// the provider block.
	tokens *session.Cache
}

var _ backend.Backend = (*Backend)(nil)

// New returns a backend for the tenant. No request is sent until the first
// operation.
func New(cfg Config, tc transport.Config) (*Backend, error) {
	u, err := transport.CheckBaseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("the IDaaS url is not valid: %w", err)
	}
	if strings.TrimSpace(cfg.ApplicationID) == "" {
		return nil, errors.New("the IDaaS application_id is empty")
	}
	if cfg.SharedSecret == "" {
		return nil, errors.New("the IDaaS shared_secret is empty")
	}
	cfg.Now = backend.Clock(cfg.Now)
	c, err := transport.New(tc, nil)
	if err != nil {
		return nil, err
	}
	b := &Backend{cfg: cfg, base: u.String(), http: c}
	b.tokens = session.New(b.authenticate, cfg.Now)
	return b, nil
}

// Name implements backend.Backend.
func (b *Backend) Name() string { return Name }

// Capabilities implements backend.Backend. IDaaS sets chosen passwords,
// generates them server-side (returning or emailing them), resets with an
// emailed or returned password, takes an absolute expiry and the force-update
// flag on both, clears the history, imports bcrypt hashes, and reads users
// and their password's lastChangedTime.
func (b *Backend) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		SetChosen: true, ServerGenerate: true, NotifyUser: true, ClearPasswordHistory: true, BcryptImport: true,
		ServerReset: true, EmailReset: true,
		ExpiryOnSet: backend.ExpiryTimestamp, ExpiryOnReset: true, ForceChangeOnSet: true, ForceChangeOnReset: true,
		ReadUser: true, ReadPasswordChangedAt: true, ReadEnabled: true, ReadPasswordExpiry: true, ReadPasswordMustChange: true,
		UserIDDescription: "the IDaaS user UUID",
	}
}

// PasswordRules implements backend.WithPasswordRules. A tenant's policy is
// its own; the default one asks for at least 8 characters with upper case,
// lower case and a digit (unconfirmed: no public source gives the default;
// the sandbox models this one).
func (b *Backend) PasswordRules() backend.PasswordRules {
	return backend.PasswordRules{MinLength: 8, EveryClass: true}
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// exampleUUID is shown in the user id error.
const exampleUUID = "3f2b8c1e-7a4d-4e2b-9c1d-2a6b5e8f0c13"

// ValidateUserID implements backend.Backend: IDaaS addresses users by UUID
// in every password call; login names are not accepted. The value is never
// repeated in the message.
func (b *Backend) ValidateUserID(userID string) error {
	if userID == "" {
		return errors.New("user_id is empty; it must be the user's UUID, e.g. " + exampleUUID)
	}
	if strings.IndexFunc(userID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return errors.New("user_id contains white space or control characters; it must be the user's UUID, e.g. " + exampleUUID)
	}
	if !uuidRE.MatchString(userID) {
		return errors.New("user_id must be the user's UUID, e.g. " + exampleUUID +
			", not a login name or email address; the portal shows it in the user's details")
	}
	return nil
}

// passwordRequest is the body of PUT /api/web/v1/users/{id}/passwords.
// generatePassword, returnPassword and emailPassword are always sent:
// emailPassword defaults to true on the service, so leaving it out would
// email the user.
type passwordRequest struct {
	Password             string `json:"password,omitempty"`
	GeneratePassword     bool   `json:"generatePassword"`
	ReturnPassword       bool   `json:"returnPassword"`
	EmailPassword        bool   `json:"emailPassword"`
	ForceUpdate          *bool  `json:"forceUpdate,omitempty"`
	ExpiryTime           string `json:"expiryTime,omitempty"`
	ClearPasswordHistory bool   `json:"clearPasswordHistory,omitempty"`
	PasswordFormat       string `json:"passwordFormat,omitempty"`
}

// userPassword is the UserPassword object.
type userPassword struct {
	ExpiryNotificationDate *string `json:"expiryNotificationDate"`
	ExpiryTime             *string `json:"expiryTime"`
	ForceUpdate            *bool   `json:"forceUpdate"`
	LastChangedTime        *string `json:"lastChangedTime"`
	NewPassword            string  `json:"newPassword"`
	Present                *bool   `json:"present"`
}

// SetPassword implements backend.Backend.
func (b *Backend) SetPassword(ctx context.Context, in backend.SetPasswordInput) (_ backend.PasswordResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	ctx = transport.MaskSecrets(ctx, b.cfg.SharedSecret, b.tokens.Current(), in.Password, in.BcryptHash)
	op := "set the password of user " + in.UserID
	if err := b.ValidateUserID(in.UserID); err != nil {
		return backend.PasswordResult{}, err
	}
	req := passwordRequest{EmailPassword: in.NotifyUser, ForceUpdate: in.ForceChange, ClearPasswordHistory: in.ClearHistory}
	kind := opSetPassword
	switch {
	case in.BcryptHash != "":
		if in.Password != "" || in.Generate || in.NotifyUser {
			return backend.PasswordResult{}, errors.New("a bcrypt hash cannot be combined with a password, a generated password or notify_user")
		}
		req.Password, req.PasswordFormat, kind = in.BcryptHash, "BCRYPT", opSetBcrypt
	case in.Generate:
		if in.Password != "" {
			return backend.PasswordResult{}, errors.New("a chosen password cannot be combined with a generated one")
		}
		req.GeneratePassword, req.ReturnPassword = true, true
	case in.Password != "":
		req.Password = in.Password
	default:
		return backend.PasswordResult{}, errors.New("no password, generated password or bcrypt hash to set")
	}
	if in.ExpiresAt != nil {
		req.ExpiryTime = in.ExpiresAt.UTC().Format(time.RFC3339)
	}
	tflog.Debug(ctx, "Entrust IDaaS: setting a password", map[string]any{
		"backend": "idaas", "user_id": in.UserID, "generate": in.Generate, "bcrypt": in.BcryptHash != "",
		"notify_user": in.NotifyUser, "clear_history": in.ClearHistory,
	})
	if in.NotifyUser {
		// A retry after an attempt that may have acted would email the
		// user a second time: send it at most once.
		ctx = transport.AtMostOnce(ctx)
	}
	started := time.Now()
	up, err := b.putPassword(ctx, op, kind, in.UserID, req, in.Password, in.BcryptHash)
	if err != nil && kind == opSetPassword && !in.Generate && outcome.Uncertain() && refusedAsRecent(err) {
		if landed, ok := b.landedEarlier(ctx, in.UserID, started); ok {
			up, err = landed, nil
		}
	}
	if err != nil {
		return backend.PasswordResult{}, err
	}
	ctx = transport.MaskSecrets(ctx, up.NewPassword)
	if in.Generate && up.NewPassword == "" {
		return backend.PasswordResult{}, backend.PasswordMayHaveChanged(&backend.APIError{
			Backend: Name, Operation: op, StatusCode: http.StatusOK,
			Message: "IDaaS generated a password but did not return it",
			Hint:    "The user's password has changed and is unknown; apply again to generate a new one, or reset it in the IDaaS portal",
		})
	}
	res := backend.PasswordResult{MustChange: up.ForceUpdate}
	if in.Generate {
		res.Password = up.NewPassword
	}
	res.LastChangedAt = b.readTime(ctx, "lastChangedTime", up.LastChangedTime)
	res.ExpiresAt = b.readTime(ctx, "expiryTime", up.ExpiryTime)
	res.ExpiryNotificationAt = b.readTime(ctx, "expiryNotificationDate", up.ExpiryNotificationDate)
	tflog.Debug(ctx, "Entrust IDaaS: password set", map[string]any{"backend": "idaas", "user_id": in.UserID})
	return res, nil
}

// ResetPassword implements backend.Backend with IDaaS's server-side
// generation: the new password is returned (a temporary password) or emailed
// to the user, and must be changed at the next login unless ForceChange is
// false.
func (b *Backend) ResetPassword(ctx context.Context, in backend.ResetInput) (_ backend.ResetResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	ctx = transport.MaskSecrets(ctx, b.cfg.SharedSecret, b.tokens.Current())
	op := "reset the password of user " + in.UserID
	if err := b.ValidateUserID(in.UserID); err != nil {
		return backend.ResetResult{}, err
	}
	now := b.cfg.Now()
	force := true
	if in.ForceChange != nil {
		force = *in.ForceChange
	}
	req := passwordRequest{GeneratePassword: true, ReturnPassword: !in.SendEmail, EmailPassword: in.SendEmail, ForceUpdate: &force}
	if in.ValidForDays != nil {
		days := *in.ValidForDays
		if days < 1 || days > 36500 {
			return backend.ResetResult{}, errors.New("valid_for_days must be between 1 and 36500")
		}
		req.ExpiryTime = now.AddDate(0, 0, int(days)).UTC().Format(time.RFC3339)
	}
	tflog.Debug(ctx, "Entrust IDaaS: resetting a password", map[string]any{
		"backend": "idaas", "user_id": in.UserID, "send_email": in.SendEmail, "force_change": force,
	})
	if in.SendEmail {
		ctx = transport.AtMostOnce(ctx) // a retry would email the user again
	}
	up, err := b.putPassword(ctx, op, opResetPassword, in.UserID, req)
	if err != nil {
		return backend.ResetResult{}, err
	}
	ctx = transport.MaskSecrets(ctx, up.NewPassword)
	if !in.SendEmail && up.NewPassword == "" {
		return backend.ResetResult{}, backend.PasswordMayHaveChanged(&backend.APIError{
			Backend: Name, Operation: op, StatusCode: http.StatusOK,
			Message: "IDaaS generated a password but did not return it",
			Hint:    "The user's password has changed and is unknown; reset it again, or with send_email = true",
		})
	}
	res := backend.ResetResult{ResetAt: now, ExpiresAt: b.readTime(ctx, "expiryTime", up.ExpiryTime)}
	if !in.SendEmail {
		res.TemporaryPassword = up.NewPassword
	}
	tflog.Debug(ctx, "Entrust IDaaS: password reset", map[string]any{"backend": "idaas", "user_id": in.UserID})
	return res, nil
}

// userObject is the part of the v3 user object that is read.
type userObject struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Locked *bool  `json:"locked"`
}

// ReadUser implements backend.Backend. Enabled is true when the user's state
// is ACTIVE and the user is not locked, i.e. when the user could sign in with
// the password now; it is unknown (nil) when the service reports no state.
func (b *Backend) ReadUser(ctx context.Context, userID string) (backend.User, error) {
	ctx = transport.MaskSecrets(ctx, b.cfg.SharedSecret, b.tokens.Current())
	if err := b.ValidateUserID(userID); err != nil {
		return backend.User{}, err
	}
	op := "read user " + userID
	resp, err := b.call(ctx, op, opReadUser, http.MethodGet, "/api/web/v3/users/"+transport.PathEscape(userID), nil)
	if err != nil {
		return backend.User{}, err
	}
	var uo userObject
	if err := json.Unmarshal(resp.Body, &uo); err != nil {
		return backend.User{}, unreadable(op, resp.StatusCode, "user")
	}
	u := backend.User{ID: uo.ID}
	if u.ID == "" {
		u.ID = userID
	}
	u.Enabled = enabledOf(uo.State, uo.Locked)

	if err := b.readPasswordInto(ctx, userID, &u); err != nil {
		return backend.User{}, err
	}
	return u, nil
}

// enabledOf is whether a user with this state and lock could sign in now:
// ACTIVE and not locked; nil when the service reports no state.
func enabledOf(state string, locked *bool) *bool {
	if state == "" {
		return nil
	}
	enabled := strings.EqualFold(state, "ACTIVE") && (locked == nil || !*locked)
	return &enabled
}

// ReadPassword implements backend.Backend with the password metadata call
// alone: it answers 404 USER_NOT_FOUND for an unknown user like the user
// call does, so refresh needs one request per resource, not two. Enabled is
// not read (nil).
func (b *Backend) ReadPassword(ctx context.Context, userID string) (backend.User, error) {
	ctx = transport.MaskSecrets(ctx, b.cfg.SharedSecret, b.tokens.Current())
	if err := b.ValidateUserID(userID); err != nil {
		return backend.User{}, err
	}
	u := backend.User{ID: userID}
	if err := b.readPasswordInto(ctx, userID, &u); err != nil {
		return backend.User{}, err
	}
	return u, nil
}

// readPasswordInto reads GET .../passwords into u's password fields.
func (b *Backend) readPasswordInto(ctx context.Context, userID string, u *backend.User) error {
	op := "read the password metadata of user " + userID
	resp, err := b.call(ctx, op, opReadPassword, http.MethodGet, "/api/web/v1/users/"+transport.PathEscape(userID)+"/passwords", nil)
	if err != nil {
		return err
	}
	var up userPassword
	if err := json.Unmarshal(resp.Body, &up); err != nil {
		return unreadable(op, resp.StatusCode, "UserPassword")
	}
	ctx = transport.MaskSecrets(ctx, up.NewPassword) // never expected on a read
	u.PasswordLastChangedAt = b.readTime(ctx, "lastChangedTime", up.LastChangedTime)
	u.PasswordExpiresAt = b.readTime(ctx, "expiryTime", up.ExpiryTime)
	u.PasswordMustChange = up.ForceUpdate
	if up.Present != nil && !*up.Present {
		// No password: nothing to expire or change.
		u.PasswordExpiresAt, u.PasswordLastChangedAt = nil, nil
	}
	return nil
}

// putPassword sends PUT .../passwords and reads the UserPassword answer.
func (b *Backend) putPassword(ctx context.Context, op string, kind opKind, userID string, req passwordRequest, secrets ...string) (userPassword, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return userPassword{}, err
	}
	if req.EmailPassword {
		// A repeat would email the user a second password.
		ctx = transport.AtMostOnce(ctx)
	}
	resp, err := b.call(ctx, op, kind, http.MethodPut, "/api/web/v1/users/"+transport.PathEscape(userID)+"/passwords", body, secrets...)
	if err != nil {
		return userPassword{}, err
	}
	var up userPassword
	if err := json.Unmarshal(resp.Body, &up); err != nil {
		// The body may hold a password: it is not quoted.
		e := unreadable(op, resp.StatusCode, "UserPassword")
		e.Hint = "The password may have changed anyway; check the user in the IDaaS portal and apply again"
		return userPassword{}, backend.PasswordMayHaveChanged(e)
	}
	return up, nil
}

// call sends a request with the shared token. On a 401 it authenticates
// again once (unless another caller already has) and retries once.
func (b *Backend) call(ctx context.Context, op string, kind opKind, method, path string, body []byte, secrets ...string) (*transport.Response, error) {
	// An authentication error knows nothing of this call's secrets (the
	// password being set), so they are removed from it here.
	tok, err := b.tokens.Token(ctx)
	if err != nil {
		return nil, backend.WithoutSecrets(authError(op, err), secrets...)
	}
	ctx = transport.MaskSecrets(ctx, tok)
	resp, err := b.send(ctx, kind, method, path, tok, body)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		tflog.Debug(ctx, "Entrust IDaaS: the token was refused; authenticating again", map[string]any{"backend": "idaas"})
		b.tokens.Invalidate(tok)
		if tok, err = b.tokens.Token(ctx); err != nil {
			return nil, backend.WithoutSecrets(authError(op, err), secrets...)
		}
		ctx = transport.MaskSecrets(ctx, tok)
		resp, err = b.send(ctx, kind, method, path, tok, body)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: could not %s: %w", Name, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, b.apiError(op, kind, resp, slices.Concat(secrets, []string{b.cfg.SharedSecret, tok})...)
	}
	return resp, nil
}

// authError says what was being attempted when authentication failed
// without an answer (an answer is already an *backend.APIError).
func authError(op string, err error) error {
	var ae *backend.APIError
	if errors.As(err, &ae) {
		return err
	}
	return fmt.Errorf("%s: could not %s: %w", Name, op, err)
}

func (b *Backend) send(ctx context.Context, kind opKind, method, path, tok string, body []byte) (*transport.Response, error) {
	if method != http.MethodGet && kind != opListUsers {
		// The password PUT: the transport records whether an attempt may
		// have acted unanswered (transport.Outcome).
		ctx = transport.Changes(ctx)
	}
	h := transport.JSONHeader()
	h.Set("Authorization", tok)
	return b.http.Do(ctx, method, b.url(path), h, body)
}

func (b *Backend) url(path string) string { return b.base + path }

// readTime parses an optional timestamp of a UserPassword answer. One that
// cannot be read is reported as not given (with a warning) rather than
// failing a call whose change has already been made.
func (b *Backend) readTime(ctx context.Context, field string, s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t, err := parseTime(*s)
	if err != nil {
		tflog.Warn(ctx, "Entrust IDaaS: ignoring an unreadable timestamp", map[string]any{"backend": "idaas", "field": field, "error": err.Error()})
		return nil
	}
	return &t
}

// unreadable is the error for a 2xx answer that is not the documented object.
// Its body is never quoted: it may hold a password or token.
func unreadable(op string, status int, what string) *backend.APIError {
	return &backend.APIError{
		Backend: Name, Operation: op, StatusCode: status,
		Message: "the answer is not a readable " + what + " object",
		Hint:    "Check that url is the IDaaS tenant URL, e.g. https://acme.us.trustedauth.com",
	}
}

// guideJSON is what the docs' guide says of the Entrust IDaaS
// Administration API (backend.Guide). Its sources are the API's OpenAPI
// (v5.46), as published in maccuaa/intellitrust-js-sdk
// (openapi/administration.json), with that file's line numbers.
//
//go:embed guide.json
var guideJSON []byte

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide { return backend.GuideFrom(guideJSON) }

var _ backend.Documented = (*Backend)(nil)
