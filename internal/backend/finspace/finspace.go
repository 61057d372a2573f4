// Package finspace is the backend for AWS FinSpace Data (API version
// 2020-07-13): ResetUserPassword issues a temporary password, GetUser reads a
// user's status.
//
// AWS has deprecated every FinSpace Data operation; the backend exists for
// environments that still run it.
//
// The AWS SDK for Go v2 has no FinSpace Data module on the module proxy (v1,
// github.com/aws/aws-sdk-go service/finspacedata, is there, but v1 is out of
// support: the sandbox's conformance test runs it against the emulator), so
// the two requests are built here by hand, in the service's rest-json shape
// (botocore data/finspace-data/2020-07-13/service-2.json), and sent through
// internal/transport (retries, rate limit, masked logging). Only the generic
// AWS pieces come from the SDK: the credential chain (aws-sdk-go-v2/config)
// and the SigV4 signer (aws-sdk-go-v2/aws/signer/v4).
package finspace

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Name is the backend's name in diagnostics.
const Name = "AWS FinSpace"

// SigningName is the SigV4 service name of the FinSpace Data API.
const SigningName = "finspace-api"

// TemporaryPasswordLifetime is how long a temporary password lives: the
// response does not say, the API reference does (7 days).
const TemporaryPasswordLifetime = 7 * 24 * time.Hour

// contentType is what the AWS Go SDK sends for this service (boto sends
// application/json; the service accepts both).
const contentType = "application/x-amz-json-1.1"

// maxUserIDLength is the FinSpace userId limit.
const maxUserIDLength = 26

// regions are the regions where the FinSpace Data API is offered.
var regions = []string{"us-east-1", "us-east-2", "us-west-2", "ca-central-1", "eu-west-1"}

// ErrRegion marks a configuration error about the region (missing or not one
// of regions), so that the provider can attach it to the region attribute:
// errors.Is(err, ErrRegion).
var ErrRegion = errors.New("invalid AWS region")

// Config is the aws_finspace provider block.
type Config struct {
	// Region overrides the region of the AWS chain (AWS_REGION, profile).
	Region string
	// Profile selects a shared config profile (instead of AWS_PROFILE).
	Profile string
	// Endpoint overrides https://finspace-api.{region}.amazonaws.com
	// (FIPS, proxies, the sandbox). With it, any region is accepted.
	Endpoint string
	// Now is the clock; nil means time.Now. It dates resets and dates
	// signatures (corrected by any skew the service reports), so a test can
	// move it together with the emulator's clock.
	Now func() time.Time
}

// Backend is a FinSpace Data client for one provider block.
type Backend struct {
	region   string
	endpoint string
	creds    aws.CredentialsProvider
	signer   *v4.Signer
	http     *transport.Client
	now      func() time.Time
	// skew is the service's clock minus ours (nanoseconds), learnt from a
	// "signature expired" answer; signatures are dated now + skew.
	skew atomic.Int64
}

var _ backend.Backend = (*Backend)(nil)

// New resolves credentials and region through the standard AWS chain
// (environment, shared config and credentials files, SSO, web identity,
// container and EC2 metadata), with cfg.Region and cfg.Profile taking
// precedence, and builds the client. Credentials are not fetched here but on
// first use, and then cached until they expire.
func New(ctx context.Context, cfg Config, tc transport.Config) (*Backend, error) {
	var opts []func(*config.LoadOptions) error
	if r := strings.TrimSpace(cfg.Region); r != "" {
		opts = append(opts, config.WithRegion(r))
	}
	if p := strings.TrimSpace(cfg.Profile); p != "" {
		opts = append(opts, config.WithSharedConfigProfile(p))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration (environment, shared config and credentials files) failed: %w", err)
	}
	region := awsCfg.Region
	if region == "" {
		return nil, backend.Marked(ErrRegion, "no AWS region is set: set region in the aws_finspace block, the environment variable AWS_REGION, or region in the AWS profile")
	}
	endpoint := "https://finspace-api." + region + ".amazonaws.com"
	if strings.TrimSpace(cfg.Endpoint) == "" {
		// No endpoint in HCL: the one the AWS configuration sets, if any.
		if cfg.Endpoint, err = configuredEndpoint(ctx, awsCfg); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(cfg.Endpoint) != "" {
		u, err := transport.CheckBaseURL(cfg.Endpoint)
		if err != nil {
			return nil, fmt.Errorf("%w: the endpoint (the endpoint setting, else %s or AWS_ENDPOINT_URL) is not usable: %w", ErrEndpoint, EndpointEnv, err)
		}
		endpoint = u.String()
	} else if !slices.Contains(regions, region) {
		return nil, backend.Marked(ErrRegion, fmt.Sprintf("the FinSpace Data API is not offered in region %q; it is offered in %s (or set endpoint to reach another host)",
			region, strings.Join(regions, ", ")))
	}
	if awsCfg.Credentials == nil {
		return nil, errors.New("the AWS configuration has no credential provider")
	}
	creds := awsCfg.Credentials
	// LoadDefaultConfig already wraps the chain in a cache; make sure, since
	// an uncached provider would be asked (maybe over the network) per request.
	if !aws.IsCredentialsProvider(creds, (*aws.CredentialsCache)(nil)) {
		creds = aws.NewCredentialsCache(creds)
	}
	b := &Backend{
		region:   region,
		endpoint: endpoint,
		creds:    creds,
		signer:   v4.NewSigner(),
		now:      backend.Clock(cfg.Now),
	}
	b.http, err = transport.New(tc, b.sign)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Name implements backend.Backend.
func (b *Backend) Name() string { return Name }

// Region is the region requests are signed for.
func (b *Backend) Region() string { return b.region }

// Endpoint is the base URL requests go to.
func (b *Backend) Endpoint() string { return b.endpoint }

// Capabilities implements backend.Backend. FinSpace can only issue a
// temporary password (ResetUserPassword): it generates it, returns it once,
// and it expires after 7 days; the user must change it at first login. It
// cannot take a chosen password, an expiry or flags, and GetUser reports the
// user's status but nothing about the password.
func (b *Backend) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		ServerGenerate: true, ServerGenerateTemporary: true, TemporaryLifetimeDays: 7,
		ServerReset: true, ReadUser: true, ReadEnabled: true,
		UserIDDescription: "the FinSpace userId",
	}
}

// ValidateUserID implements backend.Backend: a FinSpace userId is 1–26
// characters, and never holds whitespace, control or path characters.
//
// The model asks only for 1 to 26 characters with one that is not white
// space (UserId, pattern .*\S.*); real ids are generated and alphanumeric.
// The provider refuses more, by choice: the id goes into the URL path, so
// white space, control characters and path characters have no place in it.
func (b *Backend) ValidateUserID(userID string) error {
	n := utf8.RuneCountInString(userID)
	switch {
	case n == 0:
		return errors.New("the FinSpace userId must not be empty")
	case n > maxUserIDLength:
		return fmt.Errorf("the FinSpace userId must be at most %d characters, got %d", maxUserIDLength, n)
	case !utf8.ValidString(userID):
		return errors.New("the FinSpace userId must be valid UTF-8")
	case userID == "." || userID == "..":
		return fmt.Errorf("the FinSpace userId %q is not a valid id", userID)
	}
	for _, r := range userID {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`/\?#%`, r) {
			return fmt.Errorf("the FinSpace userId %q must not contain whitespace, control characters or any of / \\ ? # %%", userID)
		}
	}
	return nil
}

// SetPassword implements backend.Backend. FinSpace cannot take a chosen
// password; with Generate it resets the password and returns the temporary
// one the service issued, which the user must change at first login.
func (b *Backend) SetPassword(ctx context.Context, in backend.SetPasswordInput) (_ backend.PasswordResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	switch {
	case !in.Generate || in.Password != "" || in.BcryptHash != "":
		return backend.PasswordResult{}, fmt.Errorf("%w: %s cannot set a chosen password or import a hash; it only issues temporary passwords (generated_by = \"server\")", backend.ErrNotSupported, Name)
	case in.ExpiresAt != nil:
		return backend.PasswordResult{}, fmt.Errorf("%w: %s does not take a password expiry; its temporary passwords expire after 7 days", backend.ErrNotSupported, Name)
	case in.ForceChange != nil && !*in.ForceChange:
		return backend.PasswordResult{}, fmt.Errorf("%w: %s always makes the user change a temporary password at first login", backend.ErrNotSupported, Name)
	case in.NotifyUser || in.ClearHistory:
		return backend.PasswordResult{}, fmt.Errorf("%w: %s cannot email the password or clear the password history", backend.ErrNotSupported, Name)
	}
	pw, at, err := b.reset(ctx, in.UserID, "set the password of user "+in.UserID)
	if err != nil {
		return backend.PasswordResult{}, err
	}
	exp := at.Add(TemporaryPasswordLifetime)
	must := true
	return backend.PasswordResult{Password: pw, LastChangedAt: &at, ExpiresAt: &exp, MustChange: &must}, nil
}

// ResetPassword implements backend.Backend: ResetUserPassword, which returns
// a temporary password valid 7 days (computed here: the response has no expiry).
func (b *Backend) ResetPassword(ctx context.Context, in backend.ResetInput) (_ backend.ResetResult, err error) {
	ctx, outcome := transport.WithOutcome(ctx)
	defer func() { err = backend.PasswordMayHaveChangedIf(err, outcome.Uncertain()) }()
	switch {
	case in.SendEmail:
		return backend.ResetResult{}, fmt.Errorf("%w: %s cannot email a reset to the user", backend.ErrNotSupported, Name)
	case in.ValidForDays != nil:
		return backend.ResetResult{}, fmt.Errorf("%w: %s does not take a lifetime; its temporary passwords expire after 7 days", backend.ErrNotSupported, Name)
	case in.ForceChange != nil && !*in.ForceChange:
		return backend.ResetResult{}, fmt.Errorf("%w: %s always makes the user change a temporary password at first login", backend.ErrNotSupported, Name)
	}
	pw, at, err := b.reset(ctx, in.UserID, "reset the password of user "+in.UserID)
	if err != nil {
		return backend.ResetResult{}, err
	}
	exp := at.Add(TemporaryPasswordLifetime)
	return backend.ResetResult{TemporaryPassword: pw, ResetAt: at, ExpiresAt: &exp}, nil
}

type resetRequest struct {
	ClientToken string `json:"clientToken"`
}

type resetResponse struct {
	UserID            string `json:"userId"`
	TemporaryPassword string `json:"temporaryPassword"`
}

// reset calls ResetUserPassword once: one clientToken for the whole call, so
// every retry the transport makes (same body bytes) is the same idempotent
// request and the service issues at most one password for it.
func (b *Backend) reset(ctx context.Context, userID, op string) (string, time.Time, error) {
	if err := b.ValidateUserID(userID); err != nil {
		return "", time.Time{}, err
	}
	ctx, secrets, err := b.maskCredentials(ctx, op)
	if err != nil {
		return "", time.Time{}, err
	}
	token, err := newClientToken()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: generating the idempotency token failed: %w", Name, op, err)
	}
	body, err := json.Marshal(resetRequest{ClientToken: token})
	if err != nil {
		return "", time.Time{}, err
	}
	tflog.Debug(ctx, "resetting a FinSpace user's password", map[string]any{"backend": Name, "user_id": userID, "region": b.region})
	// A changing request: the transport records whether an attempt may have
	// acted unanswered (transport.Outcome); the clientToken makes the
	// transport's own retries safe, not a later apply's.
	resp, err := b.do(transport.Changes(ctx), http.MethodPost, b.userURL(userID)+"/password", requestHeader(), body)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: could not %s: %w", Name, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Only an error answer is quoted: any 2xx may carry a password.
		return "", time.Time{}, mapError(op, resp, secrets...)
	}
	var out resetResponse
	// The body holds the password: it must never appear in an error.
	if err := json.Unmarshal(resp.Body, &out); err != nil || out.TemporaryPassword == "" {
		return "", time.Time{}, backend.PasswordMayHaveChanged(&backend.APIError{
			Backend: Name, Operation: op, StatusCode: resp.StatusCode, RequestID: requestID(resp.Header),
			Message: fmt.Sprintf("the response (%d bytes) is not the documented JSON with a temporaryPassword", len(resp.Body)),
			Hint:    "The password may have been reset; check the endpoint points at the FinSpace Data API, then apply again to reset it once more",
		})
	}
	ctx = transport.MaskSecrets(ctx, out.TemporaryPassword)
	at := b.now().UTC()
	tflog.Debug(ctx, "FinSpace issued a temporary password", map[string]any{"backend": Name, "user_id": userID, "request_id": requestID(resp.Header)})
	return out.TemporaryPassword, at, nil
}

// userResponse is GetUser's answer; times are epoch milliseconds.
type userResponse struct {
	UserID                string      `json:"userId"`
	Status                string      `json:"status"`
	FirstName             string      `json:"firstName"`
	LastName              string      `json:"lastName"`
	EmailAddress          string      `json:"emailAddress"`
	Type                  string      `json:"type"`
	APIAccess             string      `json:"apiAccess"`
	APIAccessPrincipalARN string      `json:"apiAccessPrincipalArn"`
	CreateTime            epochMillis `json:"createTime"`
	LastEnabledTime       epochMillis `json:"lastEnabledTime"`
	LastDisabledTime      epochMillis `json:"lastDisabledTime"`
	LastModifiedTime      epochMillis `json:"lastModifiedTime"`
	LastLoginTime         epochMillis `json:"lastLoginTime"`
}

// epochMillis is a time sent as epoch milliseconds (an integer, or a number
// with a fraction, or null).
type epochMillis struct{ t *time.Time }

func (e *epochMillis) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		e.t = nil
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("a time must be epoch milliseconds: %w", err)
	}
	var t time.Time
	if i, err := n.Int64(); err == nil {
		t = time.UnixMilli(i).UTC()
	} else if f, err := n.Float64(); err == nil {
		t = time.UnixMicro(int64(f * 1000)).UTC()
	} else {
		return fmt.Errorf("a time must be epoch milliseconds, got %s", n)
	}
	e.t = &t
	return nil
}

// ReadPassword implements backend.Backend: GetUser is one call, so it is ReadUser.
func (b *Backend) ReadPassword(ctx context.Context, userID string) (backend.User, error) {
	return b.ReadUser(ctx, userID)
}

// ReadUser implements backend.Backend with GetUser. FinSpace reports the
// user's status only: nothing about the password.
func (b *Backend) ReadUser(ctx context.Context, userID string) (backend.User, error) {
	op := "read user " + userID
	if err := b.ValidateUserID(userID); err != nil {
		return backend.User{}, err
	}
	ctx, secrets, err := b.maskCredentials(ctx, op)
	if err != nil {
		return backend.User{}, err
	}
	resp, err := b.do(ctx, http.MethodGet, b.userURL(userID), http.Header{"Accept": {"application/json"}}, nil)
	if err != nil {
		return backend.User{}, fmt.Errorf("%s: could not %s: %w", Name, op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return backend.User{}, mapError(op, resp, secrets...)
	}
	var out userResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return backend.User{}, &backend.APIError{
			Backend: Name, Operation: op, StatusCode: resp.StatusCode, RequestID: requestID(resp.Header),
			Message: fmt.Sprintf("the response (%d bytes) is not the documented user JSON: %v", len(resp.Body), err),
			Hint:    "Check that endpoint points at the FinSpace Data API",
		}
	}
	u := backend.User{ID: userID}
	if out.UserID != "" {
		u.ID = out.UserID
	}
	if out.Status != "" {
		enabled := out.Status == "ENABLED"
		u.Enabled = &enabled
	}
	return u, nil
}

// CheckCredentials resolves the credentials of the AWS chain now (they are
// cached for the calls that follow), so that a provider block without usable
// credentials can fail when it is configured, at plan, rather than at the
// first call of an apply. Its error names the chain's sources and holds no
// secret.
func (b *Backend) CheckCredentials(ctx context.Context) error {
	if _, err := b.creds.Retrieve(ctx); err != nil {
		return fmt.Errorf("no usable AWS credentials from the standard chain (environment variables such as AWS_ACCESS_KEY_ID "+
			"and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and the shared config and credentials files, SSO, web identity, "+
			"container or EC2 instance metadata): %w", err)
	}
	return nil
}

// maskCredentials fetches the credentials (from the cache after the first
// call) so that the secret key and session token are masked in every log
// line of this call, before anything can log them. It returns them too, to
// be removed from error messages.
func (b *Backend) maskCredentials(ctx context.Context, op string) (context.Context, []string, error) {
	creds, err := b.creds.Retrieve(ctx)
	if err != nil {
		return ctx, nil, fmt.Errorf("%s: could not %s: no usable AWS credentials from the standard chain (environment variables, "+
			"shared config and credentials files or the profile, SSO, web identity, container or EC2 instance metadata): %w", Name, op, err)
	}
	return transport.MaskSecrets(ctx, creds.SecretAccessKey, creds.SessionToken), []string{creds.SecretAccessKey, creds.SessionToken}, nil
}

func (b *Backend) userURL(userID string) string {
	return b.endpoint + "/user/" + transport.PathEscape(userID)
}

func requestHeader() http.Header {
	return http.Header{"Content-Type": {contentType}, "Accept": {"application/json"}}
}

// newClientToken returns a random UUID (version 4), the form the AWS SDKs use
// for idempotency tokens. (Hand-written: no UUID module is required here.)
func newClientToken() (string, error) {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return "", err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]), nil
}

// guideJSON is what the docs' guide says of the AWS FinSpace Data API
// (backend.Guide). Its sources are the service model (botocore 1.29.27 data/
// finspace-data/2020-07-13/service-2.json; the same shapes in aws/aws-sdk-go
// models/apis/finspace-data/2020-07-13/api-2.json) unless they say otherwise.
//
//go:embed guide.json
var guideJSON []byte

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide { return backend.GuideFrom(guideJSON) }

var _ backend.Documented = (*Backend)(nil)
