// Package huawei speaks to Huawei Cloud IAM Identity Center's identity store
// API: one-time-password and email password resets, and reading users. It is
// written from section 3 of /work/shared/spec/apis.md.
//
// Requests go through the shared transport (retries, rate limit, masked
// logging) and are signed per attempt with the Huawei Cloud Go SDK's core
// signer (SDK-HMAC-SHA256). The SDK's typed identitycenterstore client is not
// used: it sends its own HTTP, bypassing the transport, and first calls
// Huawei IAM to look up a project or domain id.
package huawei

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// backendName is the identity system's name in diagnostics.
const backendName = "Huawei Cloud IAM Identity Center"

// Reset modes of the reset-password call (exact upper case).
const (
	modeOTP   = "OTP"
	modeEmail = "EMAIL"
)

// identityStoreIDPattern is the identity store id form accepted: "d-"
// followed by exactly 10 ASCII letters or digits (Huawei shows lower-case
// hex, e.g. d-1234567890; any letter case is accepted since the API, not
// this check, is the authority on which ids exist).
var identityStoreIDPattern = regexp.MustCompile(`^d-[0-9A-Za-z]{10}$`)

// regionPattern is a Huawei Cloud region name such as ap-southeast-1,
// cn-north-4 or eu-west-101. It is checked because it becomes part of the
// default endpoint's host name.
var regionPattern = regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)+$`)

// maxUserIDLength bounds a user id; Identity Center ids are far shorter.
const maxUserIDLength = 128

// Config is the huawei_identity_center block of the provider configuration.
type Config struct {
	// Region names the default endpoint https://identitystore.{Region}.myhuaweicloud.com.
	// It may be empty when Endpoint is set.
	Region string
	// IdentityStoreID is the identity store ("d-" and 10 letters or digits).
	IdentityStoreID string
	// AccessKey and SecretKey sign every request.
	AccessKey string
	SecretKey string
	// SecurityToken goes with temporary credentials (X-Security-Token).
	SecurityToken string
	// Endpoint overrides the default endpoint (https, or http on loopback).
	Endpoint string
	// Now is the clock used for the signature date (X-Sdk-Date) and for the
	// times reported after a reset; nil means time.Now. Huawei's gateway
	// refuses a signature dated more than 15 minutes off its own clock.
	Now func() time.Time
}

// Backend is a Huawei Cloud IAM Identity Center identity store.
type Backend struct {
	cfg     Config
	baseURL string
	http    *transport.Client
	now     func() time.Time
}

var _ backend.Backend = (*Backend)(nil)

// New checks the configuration and builds the backend. Its errors are
// user-facing sentences and never contain the secret key or token.
func New(cfg Config, tc transport.Config) (*Backend, error) {
	cfg.Region = strings.TrimSpace(cfg.Region)
	cfg.IdentityStoreID = strings.TrimSpace(cfg.IdentityStoreID)
	cfg.AccessKey = strings.TrimSpace(cfg.AccessKey)
	if err := ValidateIdentityStoreID(cfg.IdentityStoreID); err != nil {
		return nil, err
	}
	if cfg.AccessKey == "" {
		return nil, fmt.Errorf("access_key is required")
	}
	if cfg.SecretKey == "" {
		return nil, fmt.Errorf("secret_key is required")
	}
	endpoint := strings.TrimSpace(cfg.Endpoint)
	if endpoint == "" {
		if cfg.Region == "" {
			return nil, fmt.Errorf("region is required unless endpoint is set")
		}
		if err := ValidateRegion(cfg.Region); err != nil {
			return nil, err
		}
		endpoint = "https://identitystore." + cfg.Region + ".myhuaweicloud.com"
	}
	u, err := transport.CheckBaseURL(endpoint)
	if err != nil {
		return nil, fmt.Errorf("endpoint: %w", err)
	}
	b := &Backend{cfg: cfg, baseURL: u.String(), now: backend.Clock(cfg.Now)}
	client, err := transport.New(tc, b.sign)
	if err != nil {
		return nil, err
	}
	b.http = client
	return b, nil
}

// ValidateIdentityStoreID checks the form of an identity store id (see
// identityStoreIDPattern). Its error is a user-facing sentence.
func ValidateIdentityStoreID(id string) error {
	if !identityStoreIDPattern.MatchString(id) {
		return fmt.Errorf("identity_store_id %q is not an IAM Identity Center identity store id: expected \"d-\" followed by 10 letters or digits, such as d-1234567890", id)
	}
	return nil
}

// ValidateRegion checks the form of a region name, which becomes part of the
// default endpoint's host name. Its error is a user-facing sentence.
func ValidateRegion(region string) error {
	if !regionPattern.MatchString(region) {
		return fmt.Errorf("region %q is not a Huawei Cloud region name such as ap-southeast-1 or cn-north-4", region)
	}
	return nil
}

// Name implements backend.Backend.
func (b *Backend) Name() string { return backendName }

// Capabilities implements backend.Backend. Identity Center cannot take a
// chosen password: it only issues a one-time password (OTP) or emails the
// user a reset link. So "server" generation is the OTP reset (temporary, of
// unpublished lifetime), and nothing about the password can be read back.
func (b *Backend) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		ServerGenerate: true, ServerGenerateTemporary: true,
		ServerReset: true, EmailReset: true,
		ReadUser: true, ReadEnabled: true,
		UserIDDescription: "the Identity Center user_id",
	}
}

// ValidateUserID implements backend.Backend: a user_id must be non-empty and
// free of whitespace, control characters and characters that would change
// the request path (/ \ ? # %, or a whole "." or "..").
func (b *Backend) ValidateUserID(userID string) error {
	if userID == "" {
		return fmt.Errorf("the user_id is empty: expected %s", b.Capabilities().UserIDDescription)
	}
	if len(userID) > maxUserIDLength {
		return fmt.Errorf("the user_id is %d characters long, more than the %d this provider accepts for %s", len(userID), maxUserIDLength, b.Capabilities().UserIDDescription)
	}
	if userID == "." || userID == ".." {
		return fmt.Errorf("the user_id %q is a relative path segment, not %s", userID, b.Capabilities().UserIDDescription)
	}
	for _, r := range userID {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`/\?#%`, r) || r == unicode.ReplacementChar {
			return fmt.Errorf("the user_id %q contains %q: whitespace, control characters and / \\ ? # %% cannot be part of %s", userID, r, b.Capabilities().UserIDDescription)
		}
	}
	return nil
}

// SetPassword implements backend.Backend. Only Generate is possible: it is
// the OTP reset, whose one-time password the user must change at first
// sign-in. A chosen password is not supported by the API.
func (b *Backend) SetPassword(ctx context.Context, in backend.SetPasswordInput) (_ backend.PasswordResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	ctx = b.mask(ctx)
	switch {
	case in.Password != "" || in.BcryptHash != "" || !in.Generate:
		return backend.PasswordResult{}, unsupported("set a chosen password or a bcrypt hash (it can only issue a one-time password)")
	case in.ExpiresAt != nil:
		return backend.PasswordResult{}, unsupported("take a requested password expiry")
	case in.ForceChange != nil && !*in.ForceChange:
		return backend.PasswordResult{}, unsupported("issue a one-time password that need not be changed at the next sign-in")
	case in.NotifyUser:
		return backend.PasswordResult{}, unsupported("email a newly set password (use identity_password_reset with send_email)")
	case in.ClearHistory:
		return backend.PasswordResult{}, unsupported("clear the password history")
	}
	if err := b.ValidateUserID(in.UserID); err != nil {
		return backend.PasswordResult{}, err
	}
	otp, at, err := b.resetOTP(ctx, "generate a one-time password for user "+in.UserID, in.UserID)
	if err != nil {
		return backend.PasswordResult{}, err
	}
	mustChange := true
	return backend.PasswordResult{Password: otp, LastChangedAt: &at, MustChange: &mustChange}, nil
}

// ResetPassword implements backend.Backend: mode OTP returns a one-time
// password, mode EMAIL has Identity Center email the user a reset link.
// Neither says when the result expires.
func (b *Backend) ResetPassword(ctx context.Context, in backend.ResetInput) (_ backend.ResetResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	ctx = b.mask(ctx)
	if in.ValidForDays != nil {
		return backend.ResetResult{}, unsupported("take a lifetime for a reset")
	}
	if in.ForceChange != nil && !*in.ForceChange {
		return backend.ResetResult{}, unsupported("reset a password without requiring a change at the next sign-in")
	}
	if err := b.ValidateUserID(in.UserID); err != nil {
		return backend.ResetResult{}, err
	}
	if in.SendEmail {
		op := "email a password reset to user " + in.UserID
		// The EMAIL answer has no password (unconfirmed); should one come,
		// it is ignored: the body is not even read. A repeat would email
		// the user a second time.
		if _, err := b.do(transport.AtMostOnce(ctx), op, http.MethodPost, b.resetPath(in.UserID), modeEmail); err != nil {
			return backend.ResetResult{}, err
		}
		at := b.now().UTC()
		tflog.Info(ctx, "Huawei IAM Identity Center emailed a password reset", map[string]any{"user_id": in.UserID})
		return backend.ResetResult{ResetAt: at}, nil
	}
	otp, at, err := b.resetOTP(ctx, "reset the password of user "+in.UserID, in.UserID)
	if err != nil {
		return backend.ResetResult{}, err
	}
	return backend.ResetResult{TemporaryPassword: otp, ResetAt: at}, nil
}

// resetOTP asks for a one-time password and returns it with the reset time.
//
// The API takes no idempotency token. The transport retries on 429, 502,
// 503, 504 and connection errors; a retry after a lost response (the service
// acted, the answer never came) issues a second OTP, which replaces the
// first. The OTP in the response to the last attempt is therefore the
// current one, and it is the one returned.
func (b *Backend) resetOTP(ctx context.Context, op, userID string) (string, time.Time, error) {
	resp, err := b.do(ctx, op, http.MethodPost, b.resetPath(userID), modeOTP)
	if err != nil {
		return "", time.Time{}, err
	}
	var out struct {
		Password string `json:"password"`
	}
	// The body holds the OTP: never echo it, not even in part.
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return "", time.Time{}, backend.PasswordMayHaveChanged(fmt.Errorf("%s: could not %s: the answer (HTTP %d) is not the documented JSON object with a password; "+
			"a one-time password may have been issued anyway, so reset again", backendName, op, resp.StatusCode))
	}
	if out.Password == "" {
		return "", time.Time{}, backend.PasswordMayHaveChanged(fmt.Errorf("%s: could not %s: the answer (HTTP %d) holds no password; reset again", backendName, op, resp.StatusCode))
	}
	ctx = transport.MaskSecrets(ctx, out.Password)
	at := b.now().UTC()
	tflog.Info(ctx, "Huawei IAM Identity Center issued a one-time password", map[string]any{"user_id": userID})
	return out.Password, at, nil
}

// userResponse is the part of the read-user answer the provider uses.
type userResponse struct {
	UserID    string `json:"user_id"`
	UserName  string `json:"user_name"`
	Enabled   *bool  `json:"enabled"`
	CreatedAt *int64 `json:"created_at"` // epoch milliseconds
	UpdatedAt *int64 `json:"updated_at"` // epoch milliseconds
}

// ReadPassword implements backend.Backend: the user is read in one call, so it is ReadUser.
func (b *Backend) ReadPassword(ctx context.Context, userID string) (backend.User, error) {
	return b.ReadUser(ctx, userID)
}

// ReadUser implements backend.Backend. Identity Center reports whether the
// user is enabled, but nothing about its password.
func (b *Backend) ReadUser(ctx context.Context, userID string) (backend.User, error) {
	ctx = b.mask(ctx)
	if err := b.ValidateUserID(userID); err != nil {
		return backend.User{}, err
	}
	op := "read user " + userID
	resp, err := b.do(ctx, op, http.MethodGet, b.userPath(userID), "")
	if err != nil {
		return backend.User{}, err
	}
	var u userResponse
	if err := json.Unmarshal(resp.Body, &u); err != nil {
		// A user carries no secret, but its body is still not echoed: the
		// preview helper is for error bodies only.
		return backend.User{}, fmt.Errorf("%s: could not %s: the answer (HTTP %d) is not the documented JSON object: %w", backendName, op, resp.StatusCode, err)
	}
	fields := map[string]any{"user_id": userID}
	if u.Enabled != nil {
		fields["enabled"] = *u.Enabled
	}
	if t := epochMillis(u.CreatedAt); t != nil {
		fields["created_at"] = t.Format(time.RFC3339)
	}
	if t := epochMillis(u.UpdatedAt); t != nil {
		fields["updated_at"] = t.Format(time.RFC3339)
	}
	tflog.Debug(ctx, "Huawei IAM Identity Center user read", fields)
	id := u.UserID
	if id == "" {
		id = userID
	}
	return backend.User{ID: id, Enabled: u.Enabled}, nil
}

// epochMillis converts an epoch-milliseconds timestamp.
func epochMillis(ms *int64) *time.Time {
	if ms == nil || *ms <= 0 {
		return nil
	}
	t := time.UnixMilli(*ms).UTC()
	return &t
}

// do sends one request (mode, when set, becomes the reset body) and returns
// a 2xx response; anything else becomes an error.
func (b *Backend) do(ctx context.Context, op, method, path, mode string) (*transport.Response, error) {
	header := http.Header{"Accept": {"application/json"}}
	var body []byte
	if mode != "" {
		header = transport.JSONHeader()
		body, _ = json.Marshal(map[string]string{"mode": mode}) // cannot fail
		// A reset (OTP or email): the transport records whether an attempt
		// may have acted unanswered (transport.Outcome).
		ctx = transport.Changes(ctx)
	}
	resp, err := b.http.Do(ctx, method, b.baseURL+path, header, body)
	if err != nil {
		return nil, fmt.Errorf("%s: could not %s: %w", backendName, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, b.apiError(ctx, op, resp)
	}
	return resp, nil
}

func (b *Backend) storePath() string {
	return "/v1/identity-stores/" + transport.PathEscape(b.cfg.IdentityStoreID)
}

func (b *Backend) userPath(userID string) string {
	return b.storePath() + "/users/" + transport.PathEscape(userID)
}

func (b *Backend) resetPath(userID string) string {
	return b.userPath(userID) + "/reset-password"
}

// mask hides the credentials from every log line of ctx.
func (b *Backend) mask(ctx context.Context) context.Context {
	return transport.MaskSecrets(ctx, b.cfg.SecretKey, b.cfg.SecurityToken)
}

// unsupported reports an operation the capabilities do not offer.
func unsupported(what string) error {
	return fmt.Errorf("%s cannot %s: %w", backendName, what, backend.ErrNotSupported)
}

// guideJSON is what the docs' guide says of the identity store API of
// Huawei Cloud IAM Identity Center (backend.Guide). Its sources are in
// Huawei Cloud's Go SDK (huaweicloud-sdk-go-v3 v0.1.207), whose typed client
// is generated from the API definition.
//
//go:embed guide.json
var guideJSON []byte

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide { return backend.GuideFrom(guideJSON) }

var _ backend.Documented = (*Backend)(nil)
