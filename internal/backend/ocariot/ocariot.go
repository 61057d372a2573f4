// Package ocariot is the backend for the OCARIoT account service, reached
// through the OCARIoT API gateway: it logs in with POST /v1/auth (or uses a
// given access token) and sets passwords with
// POST /v1/users/{user_id}/reset-password. The service cannot generate,
// reset or read passwords: the provider generates passwords itself and sets
// them, and there is no drift detection for this backend.
package ocariot

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/session"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// name is the identity system's name in diagnostics.
const name = "OCARIoT"

// exampleUserID is the id the user id errors show: any 24 hex digits.
const exampleUserID = "507f191e810c19729de860ea"

// errUserID marks a malformed user id: errors.Is(err, errUserID).
var errUserID = errors.New("not an OCARIoT user id")

// Config is the ocariot block of the provider configuration.
type Config struct {
	// URL is the API gateway's base URL, e.g. https://api.ocariot.example
	// (a trailing /v1 is accepted too).
	URL string
	// Username and Password log in with POST /v1/auth; the token is renewed
	// before it expires. Either these or AccessToken.
	Username, Password string
	// AccessToken is used as is, without logging in; when it expires, calls
	// fail until a new one is configured.
	AccessToken string
	// Now is the client's clock (token renewal, LastChangedAt); nil means time.Now.
	Now func() time.Time
}

// Backend implements backend.Backend for OCARIoT. It is safe for concurrent use.
type Backend struct {
	baseURL string
	cfg     Config
	now     func() time.Time
	http    *transport.Client
	// tokens holds the token obtained by logging in, shared by every
	// resource of the provider block; nil with a configured access token,
	// which is sent as is and never renewed.
	tokens *session.Cache
}

var _ backend.Backend = (*Backend)(nil)

// New validates the configuration and builds the backend. It sends nothing.
func New(cfg Config, tc transport.Config) (*Backend, error) {
	login := cfg.Username != "" || cfg.Password != ""
	switch {
	case cfg.AccessToken != "" && login:
		return nil, errors.New("set either an access token or a username and password for OCARIoT, not both")
	case cfg.AccessToken == "" && !login:
		return nil, errors.New("OCARIoT needs either an access token or a username and password")
	case login && (cfg.Username == "" || cfg.Password == ""):
		return nil, errors.New("OCARIoT needs both a username and a password to log in")
	}
	u, err := transport.CheckBaseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("the OCARIoT url is not usable: %w", err)
	}
	u.Path = strings.TrimSuffix(u.Path, "/v1")
	client, err := transport.New(tc, nil)
	if err != nil {
		return nil, err
	}
	b := &Backend{baseURL: u.String(), cfg: cfg, now: backend.Clock(cfg.Now), http: client}
	if login {
		b.tokens = session.New(b.login, func() time.Time { return b.now() })
	}
	return b, nil
}

// Name implements backend.Backend.
func (b *Backend) Name() string { return name }

// Capabilities implements backend.Backend: OCARIoT only accepts a chosen
// password. It cannot generate one (the provider does, with crypto/rand),
// has no server-side reset (the provider resets by setting a generated
// password), takes no expiry or must-change flag, and has no endpoint that
// reads a user's password metadata.
func (b *Backend) Capabilities() backend.Capabilities {
	return backend.Capabilities{SetChosen: true, UserIDDescription: "the 24-character hex OCARIoT user id"}
}

// PasswordRules implements backend.WithPasswordRules: new_password must
// have at least one character, and nothing else is checked.
func (b *Backend) PasswordRules() backend.PasswordRules {
	return backend.PasswordRules{MinLength: 1}
}

// ValidateUserID implements backend.Backend: OCARIoT ids are MongoDB
// ObjectIds, 24 hexadecimal characters.
// Its errors are the provider's own (the service's answer to a bad id,
// "A 24-byte hex ID similar to this: ... is expected.", speaks of bytes
// where it means characters) and never quote the id.
func (b *Backend) ValidateUserID(userID string) error {
	if len(userID) != 24 {
		return backend.Marked(errUserID, fmt.Sprintf("the id has %d characters, not 24 (e.g. %s)", len(userID), exampleUserID))
	}
	for _, c := range []byte(userID) {
		if !isHex(c) {
			return backend.Marked(errUserID, "the id holds a character that is not a hexadecimal digit (e.g. "+exampleUserID+")")
		}
	}
	return nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// SetPassword implements backend.Backend with
// POST /v1/users/{user_id}/reset-password {"new_password"} → 204. The
// service reports nothing back, so LastChangedAt is the client's clock.
func (b *Backend) SetPassword(ctx context.Context, in backend.SetPasswordInput) (_ backend.PasswordResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	ctx = transport.MaskSecrets(ctx, b.cfg.Password, b.cfg.AccessToken, in.Password, in.BcryptHash)
	switch {
	case in.Generate:
		return backend.PasswordResult{}, fmt.Errorf("%s cannot generate passwords; the provider generates one and sets it: %w", name, backend.ErrNotSupported)
	case in.BcryptHash != "":
		return backend.PasswordResult{}, fmt.Errorf("%s cannot import a bcrypt hash: %w", name, backend.ErrNotSupported)
	case in.ForceChange != nil && *in.ForceChange:
		return backend.PasswordResult{}, fmt.Errorf("%s has no must-change-at-next-login flag: %w", name, backend.ErrNotSupported)
	case in.ExpiresAt != nil:
		return backend.PasswordResult{}, fmt.Errorf("%s passwords do not expire: %w", name, backend.ErrNotSupported)
	case in.NotifyUser:
		return backend.PasswordResult{}, fmt.Errorf("%s cannot email a new password: %w", name, backend.ErrNotSupported)
	case in.ClearHistory:
		return backend.PasswordResult{}, fmt.Errorf("%s keeps no password history: %w", name, backend.ErrNotSupported)
	}
	if err := b.ValidateUserID(in.UserID); err != nil {
		return backend.PasswordResult{}, err
	}
	if in.Password == "" {
		return backend.PasswordResult{}, errors.New("OCARIoT needs a password of at least one character")
	}
	op := "set the password of user " + in.UserID
	body, err := json.Marshal(map[string]string{"new_password": in.Password})
	if err != nil {
		return backend.PasswordResult{}, err
	}
	url := b.baseURL + "/v1/users/" + transport.PathEscape(in.UserID) + "/reset-password"
	resp, err := b.authorizedDo(ctx, op, http.MethodPost, url, body)
	if err != nil {
		// A login made on the way knew nothing of the password.
		return backend.PasswordResult{}, backend.WithoutSecrets(err, in.Password)
	}
	if resp.StatusCode/100 != 2 {
		return backend.PasswordResult{}, b.apiError(op, resp, false, in.Password)
	}
	now := b.now().UTC()
	return backend.PasswordResult{LastChangedAt: &now}, nil
}

// ResetPassword implements backend.Backend. OCARIoT has no server-side
// reset; identity_password_reset sets a provider-generated password instead.
func (b *Backend) ResetPassword(context.Context, backend.ResetInput) (backend.ResetResult, error) {
	return backend.ResetResult{}, fmt.Errorf("%s has no server-side password reset; the provider resets by setting a generated password: %w", name, backend.ErrNotSupported)
}

// ReadPassword implements backend.Backend: there is no read (ReadUser).
func (b *Backend) ReadPassword(ctx context.Context, userID string) (backend.User, error) {
	return b.ReadUser(ctx, userID)
}

// ReadUser implements backend.Backend. OCARIoT has no GET /v1/users/{id}:
// users are read per type (/v1/children/{id}, /v1/educators/{id},
// /v1/families/{id}, /v1/healthprofessionals/{id}, /v1/applications/{id}),
// admin users cannot be read at all, and none of them reports password
// metadata. So there is no read, and no drift detection, for this backend.
func (b *Backend) ReadUser(context.Context, string) (backend.User, error) {
	return backend.User{}, fmt.Errorf("%s cannot read a user by id: %w", name, backend.ErrNotSupported)
}

// guideJSON is what the docs' guide says of the OCARIoT API (backend.Guide).
// Its sources are ocariot/account (release 2.8.0), ocariot/api-gateway
// (2.15.0) and nutes-uepb/express-apigw-base-plugin (1.3.4); the account
// service's message for a missing user is msgUserNotFound
// (TestGuideQuotesMissingUser).
//
//go:embed guide.json
var guideJSON []byte

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide { return backend.GuideFrom(guideJSON) }

var _ backend.Documented = (*Backend)(nil)
