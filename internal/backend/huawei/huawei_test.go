package huawei

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// sandbox is an emulator served over TLS with its own CA.
type sandbox struct {
	*backendtest.Served[*emulator.Emulator]
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	return &sandbox{backendtest.Serve(t, emulator.New())}
}

func (s *sandbox) transportConfig() transport.Config {
	tc := s.Transport
	tc.UserAgent = "terraform-provider-identity/test"
	return tc
}

// config is a client configuration for the sandbox with the test
// credentials, signing on the emulator's clock.
func (s *sandbox) config() Config {
	return Config{
		IdentityStoreID: emulator.TestIdentityStoreID,
		AccessKey:       emulator.TestAccessKey,
		SecretKey:       emulator.TestSecretKey,
		Endpoint:        s.URL,
		Now:             s.Emu.Clock.Now,
	}
}

func (s *sandbox) client(t *testing.T, cfg Config) *Backend {
	t.Helper()
	b, err := New(cfg, s.transportConfig())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// huaweiError is a Huawei-shaped error body for injected faults.
func huaweiError(code, msg, requestID string) string {
	return `{"error_code":"` + code + `","error_msg":"` + msg + `","request_id":"` + requestID + `"}`
}

var authRE = regexp.MustCompile(`^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$`)

func TestResetPasswordOTP(t *testing.T) {
	s := newSandbox(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s.Emu.Clock.Set(now)
	b := s.client(t, s.config())

	res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserAlice})
	if err != nil {
		t.Fatal(err)
	}
	cur, ok := s.Emu.CurrentPassword(emulator.UserAlice)
	if !ok || res.TemporaryPassword != cur {
		t.Errorf("TemporaryPassword %q, emulator's current %q (%v)", res.TemporaryPassword, cur, ok)
	}
	if !res.ResetAt.Equal(now) || res.ExpiresAt != nil {
		t.Errorf("ResetAt %v, ExpiresAt %v; want %v and nil", res.ResetAt, res.ExpiresAt, now)
	}

	reqs := s.Emu.Recorder.Match(http.MethodPost, "/reset-password")
	if len(reqs) != 1 {
		t.Fatalf("%d reset requests, want 1", len(reqs))
	}
	r := reqs[0]
	if want := "/v1/identity-stores/" + emulator.TestIdentityStoreID + "/users/" + emulator.UserAlice + "/reset-password"; r.Path != want {
		t.Errorf("path %q, want %q", r.Path, want)
	}
	if string(r.Body) != `{"mode":"OTP"}` {
		t.Errorf("body %s", r.Body)
	}
	if len(r.Query) != 0 {
		t.Errorf("query %v, want none", r.Query)
	}
	m := authRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil || m[1] != emulator.TestAccessKey {
		t.Fatalf("Authorization %q", r.Header.Get("Authorization"))
	}
	for _, h := range []string{"host", "x-sdk-date", "user-agent"} {
		if !strings.Contains(";"+m[2]+";", ";"+h+";") {
			t.Errorf("SignedHeaders %q lacks %s", m[2], h)
		}
	}
	if got := r.Header.Get("X-Sdk-Date"); got != "20250601T120000Z" {
		t.Errorf("X-Sdk-Date %q, want the client clock's 20250601T120000Z", got)
	}
	if r.Header.Get("X-Security-Token") != "" {
		t.Error("X-Security-Token sent with permanent credentials")
	}
}

func TestResetPasswordEmail(t *testing.T) {
	s := newSandbox(t)
	b := s.client(t, s.config())
	res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserBob, SendEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.TemporaryPassword != "" || res.ResetAt.IsZero() || res.ExpiresAt != nil {
		t.Errorf("result %+v, want no password, a reset time, no expiry", res)
	}
	if got := s.Emu.EmailsSent(); len(got) != 1 || got[0] != emulator.UserBob {
		t.Errorf("EmailsSent %v", got)
	}
	if _, ok := s.Emu.CurrentPassword(emulator.UserBob); ok {
		t.Error("an EMAIL reset set a password")
	}
	if reqs := s.Emu.Recorder.Match(http.MethodPost, "/reset-password"); len(reqs) != 1 || string(reqs[0].Body) != `{"mode":"EMAIL"}` {
		t.Errorf("requests %v", reqs)
	}

	// A password in an EMAIL answer (undocumented) is ignored.
	s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPost, Status: 200, Body: `{"password":"Unexpected-1"}`, Times: 1})
	res, err = b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserBob, SendEmail: true})
	if err != nil || res.TemporaryPassword != "" {
		t.Errorf("EMAIL reset with a password in the answer: %+v, %v", res, err)
	}
}

func TestSetPassword(t *testing.T) {
	s := newSandbox(t)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s.Emu.Clock.Set(now)
	b := s.client(t, s.config())

	res, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserAlice, Generate: true})
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := s.Emu.CurrentPassword(emulator.UserAlice)
	if res.Password == "" || res.Password != cur {
		t.Errorf("Password %q, emulator's %q", res.Password, cur)
	}
	if res.LastChangedAt == nil || !res.LastChangedAt.Equal(now) || res.MustChange == nil || !*res.MustChange || res.ExpiresAt != nil {
		t.Errorf("result %+v", res)
	}

	backendtest.CheckRefused(t, b.SetPassword, func() int { return s.Emu.Recorder.Count("", "") },
		backendtest.ServerOnlyRefusals(emulator.UserAlice, now.Add(time.Hour)))
}

func TestReadUser(t *testing.T) {
	s := newSandbox(t)
	b := s.client(t, s.config())
	tests := []struct {
		id      string
		enabled bool
	}{
		{emulator.UserAlice, true},
		{emulator.UserCarol, false},
	}
	for _, tt := range tests {
		u, err := b.ReadUser(context.Background(), tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != tt.id || u.Enabled == nil || *u.Enabled != tt.enabled {
			t.Errorf("user %+v, want id %s enabled %v", u, tt.id, tt.enabled)
		}
		if u.PasswordLastChangedAt != nil || u.PasswordExpiresAt != nil || u.PasswordMustChange != nil {
			t.Errorf("password metadata reported: %+v", u)
		}
	}
}

// TestUnusualUserID: an id with characters the path escapes is signed over
// its decoded form, segment by segment, as the SDK's typed clients do.
func TestUnusualUserID(t *testing.T) {
	s := newSandbox(t)
	const id = "usér+1@example=x;y"
	s.Emu.AddUser(emulator.User{ID: id, UserName: "unusual", Enabled: true})
	b := s.client(t, s.config())
	u, err := b.ReadUser(context.Background(), id)
	if err != nil || u.ID != id {
		t.Fatalf("user %+v, error %v", u, err)
	}
	if _, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: id}); err != nil {
		t.Fatal(err)
	}
}

func TestNotFound(t *testing.T) {
	s := newSandbox(t)
	s.Emu.DeleteUser(emulator.UserBob)
	b := s.client(t, s.config())
	otherStore := s.config()
	otherStore.IdentityStoreID = "d-0000000000"
	bOther := s.client(t, otherStore)
	ctx := context.Background()

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"read deleted user", func() error { _, err := b.ReadUser(ctx, emulator.UserBob); return err }, "IIC.1002"},
		{"reset unknown user", func() error {
			_, err := b.ResetPassword(ctx, backend.ResetInput{UserID: "nobody"})
			return err
		}, "IIC.1002"},
		{"generate for unknown user", func() error {
			_, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: "nobody", Generate: true})
			return err
		}, "IIC.1002"},
		{"unknown identity store", func() error { _, err := bOther.ReadUser(ctx, emulator.UserAlice); return err }, "IIC.404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, backend.ErrNotFound) {
				t.Fatalf("error %v, want ErrNotFound", err)
			}
			e := backendtest.AsAPIError(t, err)
			if e.Code != tt.code || e.StatusCode != 404 || len(e.RequestID) != 32 {
				t.Errorf("APIError %+v", e)
			}
			if !strings.Contains(err.Error(), e.RequestID) {
				t.Errorf("error %q lacks the request id", err)
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	const rid = "0123456789abcdef0123456789abcdef"
	encoded := strings.Repeat("EncodedAuthMessage", 200)
	tests := []struct {
		name       string
		status     int
		body       string
		code       string
		message    string
		hint       string
		retryable  bool
		requestID  string
		notInError string
	}{
		{"conflict 1006", 409, huaweiError("IIC.1006", "concurrency conflict, try again later", rid), "IIC.1006", "concurrency conflict, try again later", "concurrency conflict; apply again", true, rid, ""},
		{"conflict 1007", 409, huaweiError("IIC.1007", "concurrency conflict, try again later", rid), "IIC.1007", "", "apply again", true, rid, ""},
		{"not administrator", 403, `{"error_code":"IIC.1003","error_msg":"forbidden","request_id":"` + rid + `","encoded_authorization_message":"` + encoded + `"}`,
			"IIC.1003", "forbidden", "management account or of a delegated administrator", false, rid, encoded[:100]},
		{"bad request", 400, huaweiError("IIC.400", "mode is invalid", rid), "IIC.400", "mode is invalid", "attribute values", false, rid, ""},
		{"not the documented shape", 500, "<html><body>internal failure</body></html>", "", "<html><body>internal failure</body></html>", "apply again later", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t)
			b := s.client(t, s.config())
			s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Status: tt.status, Body: tt.body, Times: 1})
			_, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserAlice})
			e := backendtest.AsAPIError(t, err)
			if e.Backend != "Huawei Cloud IAM Identity Center" || e.Operation != "reset the password of user "+emulator.UserAlice {
				t.Errorf("backend %q, operation %q", e.Backend, e.Operation)
			}
			if e.StatusCode != tt.status || e.Code != tt.code || e.RequestID != tt.requestID || e.Retryable != tt.retryable || e.NotFound {
				t.Errorf("APIError %+v", e)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message %q, want %q", e.Message, tt.message)
			}
			if !strings.Contains(e.Hint, tt.hint) {
				t.Errorf("hint %q lacks %q", e.Hint, tt.hint)
			}
			if tt.requestID != "" && !strings.Contains(err.Error(), tt.requestID) {
				t.Errorf("error %q lacks the request id", err)
			}
			if tt.notInError != "" && strings.Contains(err.Error(), tt.notInError) {
				t.Error("the encoded authorization message is echoed in the error")
			}
			if tt.status == 403 && !strings.Contains(e.Hint, "encoded authorization message (3600 characters") {
				t.Errorf("hint %q does not mention the encoded authorization message", e.Hint)
			}
		})
	}
}

func TestAuthenticationErrors(t *testing.T) {
	s := newSandbox(t)
	s.Emu.AddMemberAccountCredentials("HPUAMEMBER000000001", "member-secret")
	s.Emu.AddTemporaryCredentials("HSTTEMP000000000001", "temp-secret", "temp-token")

	wrongSK := s.config()
	wrongSK.SecretKey = "not-the-secret-key"
	skewed := s.config()
	skewed.Now = func() time.Time { return s.Emu.Clock.Now().Add(-20 * time.Minute) }
	member := s.config()
	member.AccessKey, member.SecretKey = "HPUAMEMBER000000001", "member-secret"
	tempNoToken := s.config()
	tempNoToken.AccessKey, tempNoToken.SecretKey = "HSTTEMP000000000001", "temp-secret"
	tempToken := tempNoToken
	tempToken.SecurityToken = "temp-token"

	tests := []struct {
		name   string
		cfg    Config
		status int
		code   string
		hint   string
	}{
		{"wrong secret key", wrongSK, 401, "APIGW.0301", "Check access_key, secret_key"},
		{"clock 20 minutes off", skewed, 401, "APIGW.0301", "15 minutes"},
		{"member account", member, 403, "IIC.1000", "delegated administrator"},
		{"temporary without token", tempNoToken, 401, "APIGW.0301", "security_token"},
		{"temporary with token", tempToken, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := s.client(t, tt.cfg)
			u, err := b.ReadUser(context.Background(), emulator.UserAlice)
			if tt.status == 200 {
				if err != nil || u.ID != emulator.UserAlice {
					t.Fatalf("user %+v, error %v", u, err)
				}
				return
			}
			e := backendtest.AsAPIError(t, err)
			if e.StatusCode != tt.status || e.Code != tt.code || e.RequestID == "" || !strings.Contains(e.Hint, tt.hint) {
				t.Errorf("APIError %+v", e)
			}
			if strings.Contains(err.Error(), tt.cfg.SecretKey) {
				t.Error("error holds the secret key")
			}
		})
	}
}

// TestRetries: 429 and 503 are retried with a fresh signature per attempt; a
// lost response to a reset issues a second OTP, and the last one is returned.
func TestRetries(t *testing.T) {
	t.Run("429 then success", func(t *testing.T) {
		s := newSandbox(t)
		b := s.client(t, s.config())
		s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPost, Status: 429, RetryAfter: "0",
			Body: huaweiError("APIGW.0308", "The throttling threshold has been reached", "r"), Times: 2})
		res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserAlice})
		if err != nil {
			t.Fatal(err)
		}
		if n := s.Emu.Recorder.Count(http.MethodPost, "/reset-password"); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
		if issued := s.Emu.IssuedPasswords(emulator.UserAlice); len(issued) != 1 || issued[0] != res.TemporaryPassword {
			t.Errorf("issued %d OTPs; want the one returned", len(issued))
		}
		for _, r := range s.Emu.Recorder.Match(http.MethodPost, "/reset-password") {
			if n := len(r.Header.Values("Authorization")); n != 1 {
				t.Errorf("attempt carries %d Authorization headers", n)
			}
		}
	})
	t.Run("throttled until retries run out", func(t *testing.T) {
		s := newSandbox(t)
		b := s.client(t, s.config())
		s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Status: 429, RetryAfter: "0",
			Body: huaweiError("APIGW.0308", "The throttling threshold has been reached", "0123456789abcdef0123456789abcdef")})
		_, err := b.ReadUser(context.Background(), emulator.UserAlice)
		e := backendtest.AsAPIError(t, err)
		if e.StatusCode != 429 || e.Code != "APIGW.0308" || !e.Retryable || !strings.Contains(e.Hint, "requests_per_second") {
			t.Errorf("APIError %+v", e)
		}
		if n := s.Emu.Recorder.Count(http.MethodGet, ""); n != 4 {
			t.Errorf("%d attempts, want 4 (1 + max_retries 3)", n)
		}
	})
	t.Run("lost response", func(t *testing.T) {
		s := newSandbox(t)
		b := s.client(t, s.config())
		s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPost, Times: 1})
		res, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserAlice})
		if err != nil {
			t.Fatal(err)
		}
		issued := s.Emu.IssuedPasswords(emulator.UserAlice)
		cur, _ := s.Emu.CurrentPassword(emulator.UserAlice)
		if len(issued) != 2 || res.TemporaryPassword != issued[1] || res.TemporaryPassword != cur {
			t.Errorf("issued %d OTPs; the returned one should be the last and current", len(issued))
		}
	})
}

// TestQuerySigning: the requests of this backend have no query, but the
// signer hook signs one when present (the SDK's reflect.Value trap).
func TestQuerySigning(t *testing.T) {
	s := newSandbox(t)
	b := s.client(t, s.config())
	url := s.URL + b.userPath(emulator.UserAlice) + "?b=two%20words&a=1&a=0&e=%C3%A9"
	resp, err := b.http.Do(context.Background(), http.MethodGet, url, nil, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("signed request with a query: %v, %+v", err, resp)
	}

	// The same signature with the query changed after signing is refused,
	// so the query really is part of the signature.
	tampering, err := transport.New(s.transportConfig(), func(r *http.Request) error {
		if err := b.sign(r); err != nil {
			return err
		}
		r.URL.RawQuery = "b=other"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err = tampering.Do(context.Background(), http.MethodGet, url, nil, nil)
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("tampered query: %v, status %v", err, resp)
	}
}

func TestNew(t *testing.T) {
	good := Config{Region: "ap-southeast-1", IdentityStoreID: "d-1234567890", AccessKey: "AK", SecretKey: "very-secret-key"}
	tests := []struct {
		name   string
		change func(*Config)
		errHas string
	}{
		{"default endpoint", func(*Config) {}, ""},
		{"upper-case store id", func(c *Config) { c.IdentityStoreID = "d-ABCDEF1234" }, ""},
		{"endpoint without region", func(c *Config) { c.Region, c.Endpoint = "", "https://identitystore.example.com" }, ""},
		{"store id without prefix", func(c *Config) { c.IdentityStoreID = "1234567890" }, "identity_store_id"},
		{"store id too short", func(c *Config) { c.IdentityStoreID = "d-123456789" }, "identity_store_id"},
		{"store id too long", func(c *Config) { c.IdentityStoreID = "d-12345678901" }, "identity_store_id"},
		{"store id with a slash", func(c *Config) { c.IdentityStoreID = "d-12345/7890" }, "identity_store_id"},
		{"no region", func(c *Config) { c.Region = "" }, "region"},
		{"region with a dot", func(c *Config) { c.Region = "evil.com/x" }, "region"},
		{"plain http", func(c *Config) { c.Endpoint = "http://identitystore.example.com" }, "endpoint"},
		{"no access key", func(c *Config) { c.AccessKey = "" }, "access_key"},
		{"no secret key", func(c *Config) { c.SecretKey = "" }, "secret_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			b, err := New(cfg, transport.Config{})
			if tt.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tt.name == "default endpoint" && b.baseURL != "https://identitystore.ap-southeast-1.myhuaweicloud.com" {
					t.Errorf("base URL %q", b.baseURL)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("error %v, want one naming %s", err, tt.errHas)
			}
			if strings.Contains(err.Error(), good.SecretKey) {
				t.Error("error holds the secret key")
			}
		})
	}
}

func TestValidateUserID(t *testing.T) {
	backendtest.CheckUserIDs(t, (&Backend{}).ValidateUserID,
		[]string{"a11ce000-7c1d-4e4f-9a01-000000000001", "user_42", "a..b"},
		[]string{"", "a b", "a\tb", "a\x00b", "../x", "a/b", `a\b`, "a?b", "a#b", "a%2Fb", ".", "..", strings.Repeat("a", 129)})
}

func TestCapabilities(t *testing.T) {
	want := backend.Capabilities{ServerGenerate: true, ServerGenerateTemporary: true, ServerReset: true, EmailReset: true, ReadUser: true,
		ReadEnabled: true, UserIDDescription: "the Identity Center user_id"}
	if got := (&Backend{}).Capabilities(); got != want {
		t.Errorf("capabilities %+v, want %+v", got, want)
	}
}

// TestSecretsNeverLogged runs a full round with temporary credentials, with
// failing and succeeding calls, capturing every tflog line, and fails if the
// secret key, the security token or any one-time password appears in the
// logs or in an error.
func TestSecretsNeverLogged(t *testing.T) {
	s := newSandbox(t)
	const ak, sk, token = "HSTLOGTEST000000001", "log-test-secret-key-0123456789", "log-test-security-token-abcdef"
	s.Emu.AddTemporaryCredentials(ak, sk, token)
	cfg := s.config()
	cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken = ak, sk, token
	b := s.client(t, cfg)
	wrong := cfg
	wrong.SecretKey = "wrong-secret-key-9876543210"
	bWrong := s.client(t, wrong)

	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	var errs []error
	var returned []string
	record := func(pw string, err error) {
		returned = append(returned, pw)
		errs = append(errs, err)
	}

	r1, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserAlice, Generate: true})
	record(r1.Password, err)
	r2, err := b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.UserBob})
	record(r2.TemporaryPassword, err)
	r3, err := b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.UserBob, SendEmail: true})
	record(r3.TemporaryPassword, err)
	_, err = b.ReadUser(ctx, emulator.UserAlice)
	record("", err)
	_, err = b.ReadUser(ctx, "nobody")
	record("", err)
	_, err = bWrong.ResetPassword(ctx, backend.ResetInput{UserID: emulator.UserAlice})
	record("", err)
	s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPost, Status: 503, Times: 1})
	r4, err := b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.UserAlice})
	record(r4.TemporaryPassword, err)
	_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserAlice, Password: "Chosen-Secret-Password-1"})
	record("", err)

	for i, want := range []bool{false, false, false, false, true, true, false, true} {
		if (errs[i] != nil) != want {
			t.Fatalf("call %d: error %v, want an error: %v", i, errs[i], want)
		}
	}
	secrets := []string{sk, token, wrong.SecretKey, "Chosen-Secret-Password-1"}
	secrets = append(secrets, s.Emu.IssuedPasswords(emulator.UserAlice)...)
	secrets = append(secrets, s.Emu.IssuedPasswords(emulator.UserBob)...)
	if len(secrets) != 4+3 {
		t.Fatalf("%d secrets, want 7 (3 OTPs)", len(secrets))
	}
	logs := buf.String()
	for _, want := range []string{"identity API request", "identity API response", "issued a one-time password", "emailed a password reset"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q: the capture is not working", want)
		}
	}
	for _, secret := range secrets {
		if strings.Contains(logs, secret) {
			t.Errorf("a secret (%d characters) appears in the logs", len(secret))
		}
		for _, err := range errs {
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("a secret (%d characters) appears in the error %q", len(secret), err)
			}
		}
	}
}
