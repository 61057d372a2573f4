package finspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func fastTransport() transport.Config {
	tc := backendtest.FastTransport("")
	tc.UserAgent = "identity-test"
	return tc
}

// isolateAWS points the AWS chain at nothing of this machine's: no shared
// files, no profile, no metadata service, no credentials or region in env.
func isolateAWS(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":                        filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":            filepath.Join(dir, "credentials"),
		"AWS_PROFILE":                            "",
		"AWS_DEFAULT_PROFILE":                    "",
		"AWS_REGION":                             "",
		"AWS_DEFAULT_REGION":                     "",
		"AWS_ACCESS_KEY_ID":                      "",
		"AWS_SECRET_ACCESS_KEY":                  "",
		"AWS_SESSION_TOKEN":                      "",
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
		"AWS_ROLE_ARN":                           "",
		"AWS_ENDPOINT_URL":                       "",
	} {
		t.Setenv(k, v)
	}
	return dir
}

func setCreds(t *testing.T, keyID, secret, token string) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", keyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", token)
}

type fixture struct {
	emu *emulator.Emulator
	url string
}

// newFixture starts the emulator on plain http loopback with its clock at t0
// and the superuser's credentials in the environment.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	isolateAWS(t)
	setCreds(t, emulator.TestAccessKeyID, emulator.TestSecretAccessKey, "")
	e := emulator.New()
	e.Clock.Set(t0)
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return &fixture{emu: e, url: srv.URL}
}

func (f *fixture) backend(t *testing.T) *Backend {
	t.Helper()
	b, err := New(context.Background(), Config{Region: emulator.TestRegion, Endpoint: f.url, Now: f.emu.Clock.Now}, fastTransport())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name         string
		env          map[string]string
		profileFile  string
		cfg          Config
		wantErr      string
		wantRegion   bool
		wantEndpoint string
		region       string
	}{
		{name: "region from AWS_REGION", env: map[string]string{"AWS_REGION": "us-east-2"},
			region: "us-east-2", wantEndpoint: "https://finspace-api.us-east-2.amazonaws.com"},
		{name: "region attribute wins", env: map[string]string{"AWS_REGION": "us-east-2"}, cfg: Config{Region: "ca-central-1"},
			region: "ca-central-1", wantEndpoint: "https://finspace-api.ca-central-1.amazonaws.com"},
		{name: "no region", wantErr: "AWS_REGION", wantRegion: true},
		{name: "region without FinSpace", cfg: Config{Region: "ap-south-1"}, wantErr: "us-east-1, us-east-2, us-west-2, ca-central-1, eu-west-1", wantRegion: true},
		{name: "any region with an endpoint", cfg: Config{Region: "ap-south-1", Endpoint: "https://finspace.internal.example/"},
			region: "ap-south-1", wantEndpoint: "https://finspace.internal.example"},
		{name: "plain http endpoint off loopback", cfg: Config{Region: "us-east-1", Endpoint: "http://finspace.example"}, wantErr: "endpoint"},
		{name: "profile from the shared config", cfg: Config{Profile: "ops"},
			profileFile: "[profile ops]\nregion = eu-west-1\n", region: "eu-west-1", wantEndpoint: "https://finspace-api.eu-west-1.amazonaws.com"},
		{name: "AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "ops"},
			profileFile: "[profile ops]\nregion = us-west-2\n", region: "us-west-2", wantEndpoint: "https://finspace-api.us-west-2.amazonaws.com"},
		{name: "unknown profile", cfg: Config{Profile: "nope", Region: "us-east-1"}, wantErr: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolateAWS(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.profileFile != "" {
				if err := os.WriteFile(filepath.Join(dir, "config"), []byte(tt.profileFile), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			b, err := New(context.Background(), tt.cfg, fastTransport())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if errors.Is(err, ErrRegion) != tt.wantRegion {
					t.Errorf("errors.Is(err, ErrRegion) = %v", !tt.wantRegion)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Region() != tt.region || b.Endpoint() != tt.wantEndpoint {
				t.Errorf("region %q endpoint %q, want %q %q", b.Region(), b.Endpoint(), tt.region, tt.wantEndpoint)
			}
		})
	}
}

// TestProfileCredentials checks the shared credentials of a profile sign the
// requests (the chain is the SDK's, not a copy).
func TestProfileCredentials(t *testing.T) {
	f := newFixture(t)
	setCreds(t, "", "", "")
	dir := t.TempDir()
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	creds := "[ops]\naws_access_key_id = " + emulator.TestAccessKeyID + "\naws_secret_access_key = " + emulator.TestSecretAccessKey + "\n"
	if err := os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := New(context.Background(), Config{Profile: "ops", Region: emulator.TestRegion, Endpoint: f.url, Now: f.emu.Clock.Now}, fastTransport())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ReadUser(context.Background(), emulator.AppUserID); err != nil {
		t.Fatal(err)
	}
}

func TestNoCredentials(t *testing.T) {
	f := newFixture(t)
	setCreds(t, "", "", "")
	_, err := f.backend(t).ReadUser(context.Background(), emulator.AppUserID)
	if err == nil || !strings.Contains(err.Error(), "no usable AWS credentials") {
		t.Fatalf("error %v", err)
	}
	if n := len(f.emu.Recorder.Requests()); n != 0 {
		t.Errorf("%d requests sent without credentials", n)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestResetPassword(t *testing.T) {
	f := newFixture(t)
	b := f.backend(t)
	res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := f.emu.CurrentPassword(emulator.AppUserID)
	if res.TemporaryPassword == "" || res.TemporaryPassword != cur || !f.emu.PasswordValid(emulator.AppUserID, res.TemporaryPassword) {
		t.Errorf("the returned password is not the emulator's current one")
	}
	if !res.ResetAt.Equal(t0) || res.ExpiresAt == nil || !res.ExpiresAt.Equal(t0.Add(7*24*time.Hour)) {
		t.Errorf("reset at %v expires %v", res.ResetAt, res.ExpiresAt)
	}
	reqs := f.emu.Recorder.Match(http.MethodPost, "/user/"+emulator.AppUserID+"/password")
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type %q", ct)
	}
	var body map[string]string
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body) != 1 || !uuidRE.MatchString(body["clientToken"]) {
		t.Errorf("body %s", r.Body)
	}
	if auth := r.Header.Get("Authorization"); !strings.Contains(auth, "Credential="+emulator.TestAccessKeyID+"/20250314/us-east-1/finspace-api/aws4_request") {
		t.Errorf("Authorization %q", auth)
	}

	// A second reset uses a new token, and the first password stops working.
	res2, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
	if err != nil {
		t.Fatal(err)
	}
	reqs = f.emu.Recorder.Match(http.MethodPost, "/password")
	if len(reqs) != 2 || bytes.Equal(reqs[0].Body, reqs[1].Body) {
		t.Errorf("two resets sent the same clientToken")
	}
	if res2.TemporaryPassword == res.TemporaryPassword || f.emu.PasswordValid(emulator.AppUserID, res.TemporaryPassword) {
		t.Errorf("the second reset did not replace the password")
	}
}

func TestResetUnsupportedInputs(t *testing.T) {
	f := newFixture(t)
	b := f.backend(t)
	no, days := false, int64(3)
	for name, in := range map[string]backend.ResetInput{
		"email":          {UserID: emulator.AppUserID, SendEmail: true},
		"valid for days": {UserID: emulator.AppUserID, ValidForDays: &days},
		"no force":       {UserID: emulator.AppUserID, ForceChange: &no},
	} {
		if _, err := b.ResetPassword(context.Background(), in); !errors.Is(err, backend.ErrNotSupported) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if n := len(f.emu.Recorder.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestSetPassword(t *testing.T) {
	f := newFixture(t)
	b := f.backend(t)
	res, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.SuperUserID, Generate: true})
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := f.emu.CurrentPassword(emulator.SuperUserID)
	if res.Password != cur || cur == "" {
		t.Errorf("the returned password is not the emulator's current one")
	}
	if res.MustChange == nil || !*res.MustChange || res.LastChangedAt == nil || !res.LastChangedAt.Equal(t0) ||
		res.ExpiresAt == nil || !res.ExpiresAt.Equal(t0.Add(7*24*time.Hour)) || res.ExpiryNotificationAt != nil {
		t.Errorf("result %+v", res)
	}

	backendtest.CheckRefused(t, b.SetPassword, func() int { return len(f.emu.Recorder.Requests()) },
		backendtest.ServerOnlyRefusals(emulator.SuperUserID, t0.Add(time.Hour)))
	if n := len(f.emu.IssuedPasswords(emulator.SuperUserID)); n != 1 {
		t.Errorf("%d passwords issued", n)
	}
}

func TestReadUser(t *testing.T) {
	f := newFixture(t)
	f.emu.AddUser(emulator.User{ID: "creating", Status: "CREATING"})
	b := f.backend(t)
	tests := []struct {
		id      string
		enabled bool
	}{
		{emulator.AppUserID, true},
		{emulator.SuperUserID, true},
		{emulator.DisabledUserID, false},
		{"creating", false},
	}
	for _, tt := range tests {
		u, err := b.ReadUser(context.Background(), tt.id)
		if err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		if u.ID != tt.id || u.Enabled == nil || *u.Enabled != tt.enabled {
			t.Errorf("%s: %+v", tt.id, u)
		}
		if u.PasswordLastChangedAt != nil || u.PasswordMustChange != nil || u.PasswordExpiresAt != nil {
			t.Errorf("%s: password metadata reported: %+v", tt.id, u)
		}
	}

	_, err := b.ReadUser(context.Background(), "ghost")
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	apiErr := backendtest.AsAPIError(t, err)
	if apiErr.StatusCode != 404 || apiErr.Code != "ResourceNotFoundException" || apiErr.RequestID == "" ||
		apiErr.Operation != "read user ghost" || apiErr.Backend != "AWS FinSpace" || apiErr.Hint == "" {
		t.Errorf("APIError %+v", apiErr)
	}

	_, err = b.ResetPassword(context.Background(), backend.ResetInput{UserID: "ghost"})
	if !errors.Is(err, backend.ErrNotFound) || !strings.Contains(err.Error(), "reset the password of user ghost") {
		t.Fatalf("reset of an unknown user: %v", err)
	}
}

func TestEpochMillis(t *testing.T) {
	var u userResponse
	data := `{"userId":"u","status":"ENABLED","createTime":1741944413123,"lastLoginTime":1741944413123.5,"lastDisabledTime":null}`
	if err := json.Unmarshal([]byte(data), &u); err != nil {
		t.Fatal(err)
	}
	want := time.UnixMilli(1741944413123).UTC()
	if u.CreateTime.t == nil || !u.CreateTime.t.Equal(want) {
		t.Errorf("createTime %v", u.CreateTime.t)
	}
	if u.LastLoginTime.t == nil || u.LastLoginTime.t.Sub(want) != 500*time.Microsecond {
		t.Errorf("lastLoginTime %v", u.LastLoginTime.t)
	}
	if u.LastDisabledTime.t != nil || u.LastModifiedTime.t != nil {
		t.Errorf("null or absent times parsed")
	}
	if err := json.Unmarshal([]byte(`{"createTime":"yesterday"}`), &u); err == nil {
		t.Errorf("a string time parsed")
	}
}

func TestSignatureFailures(t *testing.T) {
	tests := []struct {
		name     string
		keyID    string
		secret   string
		code     string
		hint     string
		contains string
	}{
		{name: "wrong secret", keyID: emulator.TestAccessKeyID, secret: "not-the-secret", code: "InvalidSignatureException", hint: "secret access key", contains: "does not match"},
		{name: "unknown key", keyID: "AKIANOTKNOWN00000000", secret: emulator.TestSecretAccessKey, code: "UnrecognizedClientException", hint: "access key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			setCreds(t, tt.keyID, tt.secret, "")
			_, err := f.backend(t).ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
			apiErr := backendtest.AsAPIError(t, err)
			if apiErr.StatusCode != 403 || apiErr.Code != tt.code || !strings.Contains(apiErr.Hint, tt.hint) ||
				!strings.Contains(apiErr.Message, tt.contains) || errors.Is(err, backend.ErrNotFound) {
				t.Errorf("APIError %+v", apiErr)
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error holds the secret")
			}
			if n := len(f.emu.IssuedPasswords(emulator.AppUserID)); n != 0 {
				t.Errorf("%d passwords issued", n)
			}
		})
	}
}

func TestAccessDenied(t *testing.T) {
	f := newFixture(t)
	setCreds(t, emulator.TestAppUserAccessKeyID, emulator.TestAppUserSecretAccessKey, "")
	_, err := f.backend(t).ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.SuperUserID})
	apiErr := backendtest.AsAPIError(t, err)
	if apiErr.StatusCode != 403 || apiErr.Code != "AccessDeniedException" || !strings.Contains(apiErr.Hint, "superuser") {
		t.Errorf("APIError %+v", apiErr)
	}
}

// attemptLog records what each attempt carried, outside the emulator: the
// emulator's recorder writes an attempt's status after a dropped connection
// with no synchronisation the race detector can see, so tests that drop
// connections do not read it.
type attemptLog struct {
	mu       sync.Mutex
	attempts []attempt
}

type attempt struct {
	body                []byte
	date, authorization string
}

func (l *attemptLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			l.mu.Lock()
			l.attempts = append(l.attempts, attempt{body: body, date: r.Header.Get("X-Amz-Date"), authorization: r.Header.Get("Authorization")})
			l.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (l *attemptLog) get() []attempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.attempts)
}

// TestRetryReusesClientToken: the emulator issues a password, then the
// connection drops; the transport retries with the same body, freshly
// signed, and gets the same password back: one password issued.
func TestRetryReusesClientToken(t *testing.T) {
	isolateAWS(t)
	setCreds(t, emulator.TestAccessKeyID, emulator.TestSecretAccessKey, "")
	e := emulator.New()
	e.Clock.Set(t0)
	var log attemptLog
	srv := httptest.NewServer(log.wrap(e.Handler()))
	t.Cleanup(srv.Close)
	b, err := New(context.Background(), Config{Region: emulator.TestRegion, Endpoint: srv.URL, Now: steppingNow(e)}, fastTransport())
	if err != nil {
		t.Fatal(err)
	}
	e.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPost, Times: 1})
	res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
	if err != nil {
		t.Fatal(err)
	}
	checkOneIssued(t, e, &log, emulator.AppUserID, res.TemporaryPassword)
}

// steppingNow moves the emulator's clock one second per call, so that every
// signing gets a different X-Amz-Date.
func steppingNow(e *emulator.Emulator) func() time.Time {
	return func() time.Time {
		e.Clock.Advance(time.Second)
		return e.Clock.Now()
	}
}

func checkOneIssued(t *testing.T, e *emulator.Emulator, log *attemptLog, userID, got string) {
	t.Helper()
	issued := e.IssuedPasswords(userID)
	cur, _ := e.CurrentPassword(userID)
	if len(issued) != 1 || got != cur || !e.PasswordValid(userID, got) {
		t.Fatalf("%d passwords issued; the client holds the current one: %v", len(issued), got == cur)
	}
	attempts := log.get()
	if len(attempts) != 2 {
		t.Fatalf("%d attempts, want 2", len(attempts))
	}
	if !bytes.Equal(attempts[0].body, attempts[1].body) {
		t.Errorf("the retry sent another body (clientToken)")
	}
	if attempts[0].date == attempts[1].date || attempts[0].authorization == attempts[1].authorization {
		t.Errorf("the retry was not signed afresh")
	}
}

// TestRetryOverTLS is the same over the sandbox's TLS server (HTTP/2), with
// the CA passed as ca_certificate_pem and temporary credentials.
func TestRetryOverTLS(t *testing.T) {
	isolateAWS(t)
	setCreds(t, emulator.TestSessionAccessKeyID, emulator.TestSessionSecretAccessKey, emulator.TestSessionToken)
	e := emulator.New()
	e.Clock.Set(t0)
	var log attemptLog
	url, ca := backendtest.ServeTLS(t, log.wrap(e.Handler()))
	tc := fastTransport()
	tc.CACertificatePEM = string(ca.CertPEM)
	b, err := New(context.Background(), Config{Region: emulator.TestRegion, Endpoint: url, Now: steppingNow(e)}, tc)
	if err != nil {
		t.Fatal(err)
	}
	e.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPost, Times: 1})
	res, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.AppUserID, Generate: true})
	if err != nil {
		t.Fatal(err)
	}
	checkOneIssued(t, e, &log, emulator.AppUserID, res.Password)
}

// TestClockSkewCorrected: this machine's clock is an hour behind AWS's; the
// first call is refused as expired, the client learns the skew from the Date
// header, signs again, and later calls are right the first time.
func TestClockSkewCorrected(t *testing.T) {
	f := newFixture(t)
	late := func() time.Time { return f.emu.Clock.Now().Add(-time.Hour) }
	b, err := New(context.Background(), Config{Region: emulator.TestRegion, Endpoint: f.url, Now: late}, fastTransport())
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.emu.Recorder.Match(http.MethodPost, "/password")
	if len(reqs) != 2 || reqs[0].Status != 403 || reqs[1].Status != 200 || !bytes.Equal(reqs[0].Body, reqs[1].Body) {
		t.Fatalf("attempts %+v", reqs)
	}
	if cur, _ := f.emu.CurrentPassword(emulator.AppUserID); cur != res.TemporaryPassword || len(f.emu.IssuedPasswords(emulator.AppUserID)) != 1 {
		t.Errorf("not exactly one password issued and returned")
	}
	if !res.ResetAt.Equal(t0.Add(-time.Hour)) {
		t.Errorf("ResetAt %v is not the configured clock's", res.ResetAt)
	}
	if _, err := b.ReadUser(context.Background(), emulator.AppUserID); err != nil {
		t.Fatal(err)
	}
	if n := f.emu.Recorder.Count(http.MethodGet, "/user/"); n != 1 {
		t.Errorf("%d GET attempts: the skew was not kept", n)
	}
}

func TestThrottlingRetried(t *testing.T) {
	f := newFixture(t)
	b := f.backend(t)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Status: 429, Method: http.MethodPost, Times: 2, RetryAfter: "0",
		Body: `{"message":"Rate exceeded"}`})
	res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.emu.Recorder.Count(http.MethodPost, "/password"); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if cur, _ := f.emu.CurrentPassword(emulator.AppUserID); cur != res.TemporaryPassword || len(f.emu.IssuedPasswords(emulator.AppUserID)) != 1 {
		t.Errorf("not exactly one password issued and returned")
	}

	// Throttled for good: after the retries, a clear retryable error.
	f.emu.Recorder.Clear()
	f.emu.SetThrottle(0.0001)
	if _, err := b.ReadUser(context.Background(), emulator.AppUserID); err != nil {
		t.Fatal(err) // the bucket's one token
	}
	_, err = b.ReadUser(context.Background(), emulator.AppUserID)
	apiErr := backendtest.AsAPIError(t, err)
	if apiErr.StatusCode != 429 || apiErr.Code != "ThrottlingException" || !apiErr.Retryable || apiErr.Message != "Rate exceeded" {
		t.Errorf("APIError %+v", apiErr)
	}
	if n := f.emu.Recorder.Count(http.MethodGet, "/user/"); n != 1+1+fastTransport().MaxRetries {
		t.Errorf("%d attempts", n)
	}
}

func TestMalformedSuccessBody(t *testing.T) {
	f := newFixture(t)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultMalformed, Method: http.MethodPost, Times: 1})
	_, err := f.backend(t).ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.AppUserID})
	apiErr := backendtest.AsAPIError(t, err)
	if apiErr.StatusCode != 200 || !strings.Contains(apiErr.Message, "not the documented JSON") {
		t.Errorf("APIError %+v", apiErr)
	}
	issued := f.emu.IssuedPasswords(emulator.AppUserID)
	if len(issued) != 1 {
		t.Fatalf("%d issued", len(issued))
	}
	for _, part := range []string{issued[0], issued[0][:6]} {
		if strings.Contains(err.Error(), part) {
			t.Errorf("the error shows (part of) the password")
		}
	}
}

func TestMapError(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		code      string
		message   string
		notFound  bool
		retryable bool
		hint      string
	}{
		{name: "suffix stripped, reason kept", status: 400,
			header: map[string]string{"X-Amzn-ErrorType": "ValidationException:http://internal.amazon.com/coral/com.amazonaws.finspace/", "X-Amzn-RequestId": "rid-1"},
			body:   `{"message":"bad userId","reason":"INVALID_PARAMETER"}`, code: "ValidationException", message: "bad userId (reason: INVALID_PARAMETER)", hint: "1 to 26"},
		{name: "not found", status: 404, header: map[string]string{"X-Amzn-ErrorType": "ResourceNotFoundException"},
			body: `{"message":"no such user"}`, code: "ResourceNotFoundException", message: "no such user", notFound: true, hint: "user_id"},
		{name: "access denied", status: 403, header: map[string]string{"X-Amzn-ErrorType": "AccessDeniedException"},
			body: `{"Message":"User is not authorized"}`, code: "AccessDeniedException", message: "User is not authorized", hint: "superuser"},
		{name: "conflict", status: 409, header: map[string]string{"X-Amzn-ErrorType": "ConflictException"},
			body: `{"message":"busy","reason":"CONCURRENT"}`, code: "ConflictException", message: "busy (reason: CONCURRENT)", retryable: true, hint: "apply again"},
		{name: "throttling", status: 429, header: map[string]string{"X-Amzn-ErrorType": "ThrottlingException"},
			body: `{"message":"Rate exceeded"}`, code: "ThrottlingException", message: "Rate exceeded", retryable: true, hint: "requests_per_second"},
		{name: "type in the body", status: 400, body: `{"__type":"com.amazonaws.finspace#LimitExceededException","message":"too many"}`,
			code: "LimitExceededException", message: "too many", retryable: true, hint: "limit"},
		{name: "not the documented shape", status: 502, body: "<html>Bad Gateway</html>", message: "<html>Bad Gateway</html>", retryable: true, hint: "later"},
		{name: "empty body", status: 500, header: map[string]string{"X-Amzn-ErrorType": "InternalServerException"}, code: "InternalServerException", retryable: true, hint: "later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			e := mapError("reset the password of user u1", &transport.Response{StatusCode: tt.status, Header: h, Body: []byte(tt.body)})
			if e.Code != tt.code || e.Message != tt.message || e.NotFound != tt.notFound || e.Retryable != tt.retryable ||
				e.StatusCode != tt.status || !strings.Contains(e.Hint, tt.hint) {
				t.Errorf("got %+v", e)
			}
			if tt.header["X-Amzn-RequestId"] != "" && e.RequestID != tt.header["X-Amzn-RequestId"] {
				t.Errorf("request id %q", e.RequestID)
			}
			if errors.Is(e, backend.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) wrong")
			}
		})
	}
}

func TestValidateUserID(t *testing.T) {
	backendtest.CheckUserIDs(t, (&Backend{}).ValidateUserID,
		[]string{"a", strings.Repeat("x", 26), "fs-app-bob", "AbC123_-:@+"},
		[]string{"", strings.Repeat("x", 27), "a b", "a\tb", "a\x00b", "a/b", `a\b`, "a?b", "a#b", "a%2F", "..", ".", "\xff"})
}

func TestCapabilities(t *testing.T) {
	got := (&Backend{}).Capabilities()
	want := backend.Capabilities{ServerGenerate: true, ServerGenerateTemporary: true, ServerReset: true, ReadUser: true,
		ReadEnabled: true, TemporaryLifetimeDays: 7, UserIDDescription: "the FinSpace userId"}
	if got != want {
		t.Errorf("capabilities %+v", got)
	}
}

// TestSecretsNeverLogged runs successful and failing calls with tflog
// capturing everything, and fails if a secret access key, session token or
// password appears in the logs or in an error.
func TestSecretsNeverLogged(t *testing.T) {
	f := newFixture(t)
	setCreds(t, emulator.TestSessionAccessKeyID, emulator.TestSessionSecretAccessKey, emulator.TestSessionToken)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	b := f.backend(t)
	const chosen = "My-Chosen-Passw0rd!"
	const wrongSecret = "wrong/secret/key/0000000000000000000000"

	var errs []error
	record := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	_, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.AppUserID, Generate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.SuperUserID}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ReadUser(ctx, emulator.AppUserID); err != nil {
		t.Fatal(err)
	}
	_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.AppUserID, Password: chosen})
	record(err)
	_, err = b.ResetPassword(ctx, backend.ResetInput{UserID: "ghost"})
	record(err)
	_, err = b.ReadUser(ctx, "ghost")
	record(err)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultMalformed, Method: http.MethodPost, Times: 1})
	_, err = b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.AppUserID})
	record(err)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPost, Times: 1})
	if _, err := b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.AppUserID}); err != nil {
		t.Fatal(err)
	}
	setCreds(t, emulator.TestSessionAccessKeyID, wrongSecret, emulator.TestSessionToken)
	_, err = f.backend(t).ResetPassword(ctx, backend.ResetInput{UserID: emulator.AppUserID})
	record(err)
	if len(errs) != 5 {
		t.Fatalf("%d failing calls failed, want 5: %v", len(errs), errs)
	}

	secrets := map[string]string{
		"secret access key": emulator.TestSessionSecretAccessKey,
		"session token":     emulator.TestSessionToken,
		"wrong secret":      wrongSecret,
		"chosen password":   chosen,
	}
	for _, id := range []string{emulator.AppUserID, emulator.SuperUserID} {
		for i, pw := range f.emu.IssuedPasswords(id) {
			secrets["password "+id+"#"+string(rune('0'+i))] = pw
		}
	}
	if len(secrets) != 4+4 {
		t.Fatalf("%d secrets, want 8 (4 passwords issued)", len(secrets))
	}
	logs := buf.String()
	if !strings.Contains(logs, "identity API request") || !strings.Contains(logs, "/user/"+emulator.AppUserID+"/password") {
		t.Fatalf("nothing captured; the test would prove nothing:\n%s", logs)
	}
	for what, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the %s appears in the logs", what)
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), s) {
				t.Errorf("the %s appears in the error %q", what, err.Error())
			}
		}
	}
}
