package idaas

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

type testEnv struct {
	*backendtest.Served[*emulator.Emulator]
	b     *Backend
	clock *emu.Clock // the provider's, fixed unless a test moves it
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	env := &testEnv{Served: backendtest.Serve(t, emulator.New()), clock: &emu.Clock{}}
	env.clock.Set(time.Now())
	env.b = env.backend(t, emulator.TestSharedSecret)
	return env
}

func (env *testEnv) backend(t *testing.T, secret string) *Backend {
	t.Helper()
	b, err := New(Config{URL: env.URL, ApplicationID: emulator.TestApplicationID, SharedSecret: secret, Now: env.clock.Now}, env.Transport)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// putBodies returns the recorded PUT .../passwords bodies, decoded.
func (env *testEnv) putBodies(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range env.Emu.Recorder.Match("PUT", "/passwords") {
		var m map[string]any
		if err := json.Unmarshal(r.Body, &m); err != nil {
			t.Fatalf("recorded body is not JSON: %v", err)
		}
		out = append(out, m)
	}
	return out
}

// statuses lists the recorded statuses of requests whose path contains part.
func (env *testEnv) statuses(method, part string) []int {
	var out []int
	for _, r := range env.Emu.Recorder.Match(method, part) {
		out = append(out, r.Status)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func asAPIError(t *testing.T, err error) *backend.APIError {
	t.Helper()
	ae := backendtest.AsAPIError(t, err)
	if ae.Backend != Name {
		t.Errorf("Backend = %q", ae.Backend)
	}
	return ae
}

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"valid", Config{URL: "https://acme.us.trustedauth.com", ApplicationID: "a", SharedSecret: "s"}, ""},
		{"plain http", Config{URL: "http://acme.us.trustedauth.com", ApplicationID: "a", SharedSecret: "s"}, "url"},
		{"no application id", Config{URL: "https://acme.us.trustedauth.com", SharedSecret: "s"}, "application_id"},
		{"no secret", Config{URL: "https://acme.us.trustedauth.com", ApplicationID: "a"}, "shared_secret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New(tc.cfg, transport.Config{})
			if tc.want == "" {
				if err != nil || b.Name() != "Entrust IDaaS" {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestValidateUserID(t *testing.T) {
	b := &Backend{}
	tests := []struct {
		id string
		ok bool
	}{
		{emulator.UserAlice, true},
		{strings.ToUpper(emulator.UserAlice), true},
		{"", false},
		{"jdoe", false},
		{"jdoe@example.com", false},
		{" " + emulator.UserAlice, false},
		{emulator.UserAlice + "\n", false},
		{"a11ce000-0000-4000-8000-00000000000g", false},
		{"a11ce000000040008000000000000001", false},
		{"../../adminapi/authenticate", false},
	}
	for _, tc := range tests {
		err := b.ValidateUserID(tc.id)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateUserID(%q) = %v, want ok=%v", tc.id, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "must be the user's UUID, e.g. ") {
			t.Errorf("ValidateUserID(%q) = %q, want it to show the UUID form", tc.id, err)
		}
	}
}

func TestCapabilities(t *testing.T) {
	c := (&Backend{}).Capabilities()
	want := backend.Capabilities{
		SetChosen: true, ServerGenerate: true, ServerReset: true, EmailReset: true, NotifyUser: true,
		ExpiryOnSet: backend.ExpiryTimestamp, ExpiryOnReset: true, ForceChangeOnSet: true, ForceChangeOnReset: true,
		ClearPasswordHistory: true, BcryptImport: true, ReadUser: true, ReadPasswordChangedAt: true,
		ReadEnabled: true, ReadPasswordExpiry: true, ReadPasswordMustChange: true,
		UserIDDescription: "the IDaaS user UUID",
	}
	if c != want {
		t.Errorf("Capabilities() = %+v, want %+v", c, want)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2025, 3, 1, 12, 0, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2025-03-01T12:00:05Z", want, true},
		{"2025-03-01T12:00:05.123Z", want.Add(123 * time.Millisecond), true},
		{"2025-03-01T12:00:05+0000", want, true},
		{"2025-03-01T12:00:05.123+0000", want.Add(123 * time.Millisecond), true},
		{"2025-03-01T12:00:05.123456789+0000", want.Add(123456789), true},
		{"2025-03-01T12:00:05+00:00", want, true},
		{"2025-03-01T13:00:05+0100", want, true},
		{"2025-03-01T13:00:05.5+01:00", want.Add(500 * time.Millisecond), true},
		{"2025-03-01T12:00:05", want, true},
		{"", time.Time{}, false},
		{"01/03/2025 12:00", time.Time{}, false},
	}
	for _, tc := range tests {
		got, err := parseTime(tc.in)
		if (err == nil) != tc.ok || (tc.ok && !got.Equal(tc.want)) {
			t.Errorf("parseTime(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestTokenReusedByConcurrentCalls(t *testing.T) {
	env := newEnv(t)
	// Hold the authentication back so that every caller arrives while it is
	// in flight: a stampede would show as several authentications.
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, PathContains: "authenticate", Delay: 50 * time.Millisecond, Times: 1})
	for _, err := range backendtest.Concurrently(20, func() error {
		_, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Generate: true})
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := env.Emu.Authentications(); got != 1 {
		t.Errorf("Authentications() = %d, want 1", got)
	}
	if got := env.Emu.Recorder.Count("POST", "authenticate"); got != 1 {
		t.Errorf("%d authenticate requests, want 1", got)
	}
	tokens := map[string]bool{}
	for _, r := range env.Emu.Recorder.Match("PUT", "/passwords") {
		tokens[r.Header.Get("Authorization")] = true
	}
	if len(tokens) != 1 || tokens[""] {
		t.Errorf("PUTs carried %d distinct Authorization values, want 1 token", len(tokens))
	}
}

func TestReauthenticatesAfterExpiry(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	if _, err := env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, Password: "First-Passw0rd"}); err != nil {
		t.Fatal(err)
	}
	env.Emu.Clock.Advance(16 * time.Minute) // the server's clock only: the client believes its token is fine
	if _, err := env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Second-Passw0rd"}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if got := env.Emu.Authentications(); got != 2 {
		t.Errorf("Authentications() = %d, want 2", got)
	}
	if got, want := env.statuses("PUT", "/passwords"), []int{200, 401, 200}; !slices.Equal(got, want) {
		t.Errorf("PUT statuses = %v, want %v", got, want)
	}
	if pw, _ := env.Emu.CurrentPassword(emulator.UserBob); pw != "Second-Passw0rd" {
		t.Errorf("CurrentPassword = %q", pw)
	}
}

func TestRenewsTokenBeforeExpiry(t *testing.T) {
	for _, style := range []struct {
		name  string
		style emulator.TimestampStyle
	}{{"Z", emulator.StyleZulu}, {"+0000", emulator.StyleOffset}} {
		t.Run(style.name, func(t *testing.T) {
			env := newEnv(t)
			env.Emu.SetTimestampStyle(style.style)
			ctx := context.Background()
			read := func() {
				t.Helper()
				if _, err := env.b.ReadUser(ctx, emulator.UserAlice); err != nil {
					t.Fatal(err)
				}
			}
			read()
			env.clock.Advance(13 * time.Minute)
			env.Emu.Clock.Advance(13 * time.Minute)
			read()
			if got := env.Emu.Authentications(); got != 1 {
				t.Fatalf("after 13 minutes: %d authentications, want 1 (the token lives 15)", got)
			}
			env.clock.Advance(90 * time.Second)
			env.Emu.Clock.Advance(90 * time.Second)
			read()
			if got := env.Emu.Authentications(); got != 2 {
				t.Errorf("after 14.5 minutes: %d authentications, want 2 (renewed before expiry)", got)
			}
			for _, r := range env.Emu.Recorder.Requests() {
				if r.Status == 401 {
					t.Errorf("%s %s answered 401: the token was not renewed ahead of expiry", r.Method, r.Path)
				}
			}
		})
	}
}

func TestRetriesOnceOn401(t *testing.T) {
	t.Run("revoked token", func(t *testing.T) {
		env := newEnv(t)
		if _, err := env.b.ReadUser(context.Background(), emulator.UserAlice); err != nil {
			t.Fatal(err)
		}
		env.Emu.RevokeTokens()
		if _, err := env.b.ReadUser(context.Background(), emulator.UserAlice); err != nil {
			t.Fatalf("after revocation: %v", err)
		}
		if got := env.Emu.Authentications(); got != 2 {
			t.Errorf("Authentications() = %d, want 2", got)
		}
	})
	t.Run("persistent 401", func(t *testing.T) {
		env := newEnv(t)
		env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: "PUT", PathContains: "/passwords", Status: 401,
			Body: `{"errorCode":"AUTHORIZATION_TOKEN_INVALID","errorMessage":"The authorization token is not valid.","parameters":[]}`})
		_, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd"})
		ae := asAPIError(t, err)
		if ae.StatusCode != 401 || ae.Code != "AUTHORIZATION_TOKEN_INVALID" || ae.Hint == "" {
			t.Errorf("error = %+v", ae)
		}
		if got := env.Emu.Recorder.Count("PUT", "/passwords"); got != 2 {
			t.Errorf("%d PUTs, want 2 (one retry)", got)
		}
		if got := env.Emu.Authentications(); got != 2 {
			t.Errorf("Authentications() = %d, want 2", got)
		}
	})
}

func TestConcurrent401sAuthenticateOnce(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	if _, err := env.b.ReadUser(ctx, emulator.UserAlice); err != nil {
		t.Fatal(err)
	}
	env.Emu.RevokeTokens()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := env.b.ReadUser(ctx, emulator.UserAlice); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := env.Emu.Authentications(); got != 2 {
		t.Errorf("Authentications() = %d, want 2", got)
	}
}

func TestWrongCredentials(t *testing.T) {
	env := newEnv(t)
	b := env.backend(t, "not-the-secret")
	_, err := b.ReadUser(context.Background(), emulator.UserAlice)
	ae := asAPIError(t, err)
	if ae.StatusCode != 401 || ae.Code != "INVALID_CREDENTIALS" || !strings.Contains(ae.Hint, "shared_secret") || ae.NotFound {
		t.Errorf("error = %+v", ae)
	}
	if env.Emu.Recorder.Count("GET", "/users/") != 0 {
		t.Error("a call was sent without a token")
	}
}

func TestSetPasswordRequests(t *testing.T) {
	expires := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Passw0rd"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		in     backend.SetPasswordInput
		body   map[string]any // exactly the fields sent
		emails int
		check  func(t *testing.T, env *testEnv, res backend.PasswordResult)
	}{
		{
			name: "chosen",
			in:   backend.SetPasswordInput{Password: "Chosen-Passw0rd"},
			body: map[string]any{"password": "Chosen-Passw0rd", "generatePassword": false, "returnPassword": false, "emailPassword": false},
			check: func(t *testing.T, env *testEnv, res backend.PasswordResult) {
				if pw, _ := env.Emu.CurrentPassword(emulator.UserBob); pw != "Chosen-Passw0rd" {
					t.Errorf("CurrentPassword = %q", pw)
				}
				if res.Password != "" {
					t.Error("a chosen password was returned as generated")
				}
				if res.LastChangedAt == nil || res.ExpiresAt == nil || res.ExpiryNotificationAt == nil || res.MustChange == nil || *res.MustChange {
					t.Errorf("result = %+v", res)
				}
				if got := res.ExpiresAt.Sub(*res.LastChangedAt); got != 90*24*time.Hour {
					t.Errorf("default expiry %v after the change, want 90 days", got)
				}
			},
		},
		{
			name:   "chosen and emailed",
			in:     backend.SetPasswordInput{Password: "Chosen-Passw0rd", NotifyUser: true},
			body:   map[string]any{"password": "Chosen-Passw0rd", "generatePassword": false, "returnPassword": false, "emailPassword": true},
			emails: 1,
		},
		{
			name: "generated",
			in:   backend.SetPasswordInput{Generate: true},
			body: map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false},
			check: func(t *testing.T, env *testEnv, res backend.PasswordResult) {
				pw, _ := env.Emu.CurrentPassword(emulator.UserBob)
				if res.Password == "" || res.Password != pw {
					t.Errorf("Password = %q, emulator has %q", res.Password, pw)
				}
			},
		},
		{
			name: "force change, expiry, clear history",
			in:   backend.SetPasswordInput{Password: "Chosen-Passw0rd", ForceChange: ptr(true), ExpiresAt: &expires, ClearHistory: true},
			body: map[string]any{"password": "Chosen-Passw0rd", "generatePassword": false, "returnPassword": false, "emailPassword": false,
				"forceUpdate": true, "expiryTime": "2031-01-02T03:04:05Z", "clearPasswordHistory": true},
			check: func(t *testing.T, env *testEnv, res backend.PasswordResult) {
				if res.MustChange == nil || !*res.MustChange || !env.Emu.MustChange(emulator.UserBob) {
					t.Error("forceUpdate not applied")
				}
				if res.ExpiresAt == nil || !res.ExpiresAt.Equal(expires) {
					t.Errorf("ExpiresAt = %v", res.ExpiresAt)
				}
				if res.ExpiryNotificationAt == nil || !res.ExpiryNotificationAt.Equal(expires.AddDate(0, 0, -14)) {
					t.Errorf("ExpiryNotificationAt = %v", res.ExpiryNotificationAt)
				}
			},
		},
		{
			name: "force change false is sent",
			in:   backend.SetPasswordInput{Password: "Chosen-Passw0rd", ForceChange: ptr(false)},
			body: map[string]any{"password": "Chosen-Passw0rd", "generatePassword": false, "returnPassword": false, "emailPassword": false, "forceUpdate": false},
		},
		{
			name: "bcrypt",
			in:   backend.SetPasswordInput{BcryptHash: string(hash)},
			body: map[string]any{"password": string(hash), "passwordFormat": "BCRYPT", "generatePassword": false, "returnPassword": false, "emailPassword": false},
			check: func(t *testing.T, env *testEnv, res backend.PasswordResult) {
				if !env.Emu.PasswordMatches(emulator.UserBob, "Imported-Passw0rd") {
					t.Error("the imported hash is not the user's password")
				}
				if res.Password != "" || res.LastChangedAt == nil {
					t.Errorf("result = %+v", res)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			tc.in.UserID = emulator.UserBob
			res, err := env.b.SetPassword(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			bodies := env.putBodies(t)
			if len(bodies) != 1 {
				t.Fatalf("%d PUTs", len(bodies))
			}
			if !equalJSON(bodies[0], tc.body) {
				t.Errorf("sent %v\nwant %v", bodies[0], tc.body)
			}
			if got := len(env.Emu.EmailsSent()); got != tc.emails {
				t.Errorf("%d emails sent, want %d", got, tc.emails)
			}
			if tc.check != nil {
				tc.check(t, env, res)
			}
		})
	}
}

func TestSetPasswordTimestampForms(t *testing.T) {
	for _, style := range []emulator.TimestampStyle{emulator.StyleZulu, emulator.StyleOffset} {
		env := newEnv(t)
		env.Emu.SetTimestampStyle(style)
		expires := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
		res, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd", ExpiresAt: &expires})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExpiresAt == nil || !res.ExpiresAt.Equal(expires) || res.LastChangedAt == nil {
			t.Errorf("style %d: result %+v", style, res)
		}
		last := env.Emu.Recorder.Match("PUT", "/passwords")
		if len(last) != 1 {
			t.Fatal("no PUT recorded")
		}
	}
}

func TestSetPasswordErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(env *testEnv)
		in       backend.SetPasswordInput
		status   int
		code     string
		hint     string
		notFound bool
	}{
		{
			name:   "history",
			setup:  func(env *testEnv) { env.Emu.SetPasswordBehindBack(emulator.UserBob, "Chosen-Passw0rd") },
			in:     backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd"},
			status: 400, code: "PASSWORD_HISTORY_VIOLATION", hint: "or set clear_password_history = true",
		},
		{
			name:   "policy",
			in:     backend.SetPasswordInput{UserID: emulator.UserBob, Password: "short"},
			status: 400, code: "PASSWORD_POLICY_VIOLATION", hint: "password policy",
		},
		{
			name:   "invalid bcrypt hash",
			in:     backend.SetPasswordInput{UserID: emulator.UserBob, BcryptHash: "$2a$10$tooshort"},
			status: 400, code: "INVALID_BCRYPT_HASH", hint: "bcrypt_hash must be",
		},
		{
			name:   "unknown user",
			in:     backend.SetPasswordInput{UserID: "00000000-0000-4000-8000-000000000000", Password: "Chosen-Passw0rd"},
			status: 404, code: "USER_NOT_FOUND", hint: "user_id", notFound: true,
		},
		{
			name:   "missing permission",
			setup:  func(env *testEnv) { env.Emu.SetPermissions([]string{emulator.PermPasswordsView}) },
			in:     backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd"},
			status: 403, code: "ACCESS_DENIED", hint: "USERPASSWORDS:EDIT",
		},
		{
			name: "404 page that is not IDaaS",
			setup: func(env *testEnv) {
				env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: "PUT", Status: 404, Body: "<html>Not Found</html>"})
			},
			in:     backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd"},
			status: 404, hint: "Check url",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			if tc.setup != nil {
				tc.setup(env)
			}
			_, err := env.b.SetPassword(context.Background(), tc.in)
			ae := asAPIError(t, err)
			if ae.StatusCode != tc.status || ae.Code != tc.code || !strings.Contains(ae.Hint, tc.hint) {
				t.Errorf("error = %+v", ae)
			}
			if ae.Message == "" {
				t.Error("no message")
			}
			if got := errors.Is(err, backend.ErrNotFound); got != tc.notFound {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", got, tc.notFound)
			}
			if ae.Operation != "set the password of user "+tc.in.UserID {
				t.Errorf("Operation = %q", ae.Operation)
			}
		})
	}
}

func TestClearHistoryAllowsReuse(t *testing.T) {
	env := newEnv(t)
	env.Emu.SetPasswordBehindBack(emulator.UserBob, "Chosen-Passw0rd")
	if _, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd", ClearHistory: true}); err != nil {
		t.Fatal(err)
	}
}

func TestRetriesThrottled(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: "PUT", PathContains: "/passwords", Status: 429, RetryAfter: "1", Times: 2,
		Body: `{"errorCode":"TOO_MANY_REQUESTS","errorMessage":"Too many requests.","parameters":[]}`})
	if _, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd"}); err != nil {
		t.Fatal(err)
	}
	if got, want := env.statuses("PUT", "/passwords"), []int{429, 429, 200}; !slices.Equal(got, want) {
		t.Errorf("PUT statuses = %v, want %v", got, want)
	}
}

func TestThrottledUntilRetriesRunOut(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: "GET", Status: 429, RetryAfter: "1",
		Body: `{"errorCode":"TOO_MANY_REQUESTS","errorMessage":"Too many requests.","parameters":[]}`})
	_, err := env.b.ReadUser(context.Background(), emulator.UserAlice)
	ae := asAPIError(t, err)
	if ae.StatusCode != 429 || !ae.Retryable || ae.Code != "TOO_MANY_REQUESTS" || !strings.Contains(ae.Hint, "requests_per_second") {
		t.Errorf("error = %+v", ae)
	}
}

func TestServerErrorNotInDocumentedShape(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: "GET", Status: 500, Body: "<html>upstream exploded</html>"})
	_, err := env.b.ReadUser(context.Background(), emulator.UserAlice)
	ae := asAPIError(t, err)
	if ae.StatusCode != 500 || !ae.Retryable || !strings.Contains(ae.Message, "upstream exploded") || ae.NotFound {
		t.Errorf("error = %+v", ae)
	}
}

func TestMalformedSuccessBodyIsNotQuoted(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultMalformed, Method: "PUT", PathContains: "/passwords", Times: 1})
	_, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Generate: true})
	if err == nil {
		t.Fatal("no error for a truncated answer")
	}
	pw, ok := env.Emu.CurrentPassword(emulator.UserBob)
	if !ok {
		t.Fatal("the emulator did not act")
	}
	if strings.Contains(err.Error(), pw[:8]) || strings.Contains(err.Error(), "newPassword") {
		t.Errorf("error quotes the answer: %v", err)
	}
}

func TestResetPassword(t *testing.T) {
	tests := []struct {
		name       string
		in         backend.ResetInput
		body       map[string]any
		emails     int
		mustChange bool
		expiryDays int // 0: tenant default (90)
	}{
		{
			name:       "returned, defaults",
			in:         backend.ResetInput{},
			body:       map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false, "forceUpdate": true},
			mustChange: true,
		},
		{
			name:       "emailed",
			in:         backend.ResetInput{SendEmail: true},
			body:       map[string]any{"generatePassword": true, "returnPassword": false, "emailPassword": true, "forceUpdate": true},
			emails:     1,
			mustChange: true,
		},
		{
			name:       "no force change, 3 days",
			in:         backend.ResetInput{ForceChange: ptr(false), ValidForDays: ptr(int64(3))},
			body:       map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false, "forceUpdate": false},
			expiryDays: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t)
			tc.in.UserID = emulator.UserAlice
			now := env.clock.Now()
			res, err := env.b.ResetPassword(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			bodies := env.putBodies(t)
			if len(bodies) != 1 {
				t.Fatalf("%d PUTs", len(bodies))
			}
			if tc.expiryDays > 0 {
				want := now.AddDate(0, 0, tc.expiryDays).UTC().Format(time.RFC3339)
				if bodies[0]["expiryTime"] != want {
					t.Errorf("expiryTime = %v, want %s", bodies[0]["expiryTime"], want)
				}
				delete(bodies[0], "expiryTime")
			}
			if !equalJSON(bodies[0], tc.body) {
				t.Errorf("sent %v\nwant %v", bodies[0], tc.body)
			}
			pw, _ := env.Emu.CurrentPassword(emulator.UserAlice)
			switch {
			case tc.in.SendEmail && res.TemporaryPassword != "":
				t.Error("a password was returned with send_email")
			case !tc.in.SendEmail && (res.TemporaryPassword == "" || res.TemporaryPassword != pw):
				t.Errorf("TemporaryPassword = %q, emulator has %q", res.TemporaryPassword, pw)
			}
			if len(env.Emu.EmailsSent()) != tc.emails {
				t.Errorf("%d emails, want %d", len(env.Emu.EmailsSent()), tc.emails)
			}
			if env.Emu.MustChange(emulator.UserAlice) != tc.mustChange {
				t.Errorf("MustChange = %v", env.Emu.MustChange(emulator.UserAlice))
			}
			if !res.ResetAt.Equal(now) {
				t.Errorf("ResetAt = %v, want the provider clock's %v", res.ResetAt, now)
			}
			days := cmp.Or(tc.expiryDays, 90)
			if res.ExpiresAt == nil || res.ExpiresAt.Sub(now).Round(time.Hour) != time.Duration(days)*24*time.Hour {
				t.Errorf("ExpiresAt = %v, want about %d days after %v", res.ExpiresAt, days, now)
			}
		})
	}
}

func TestResetUnknownUser(t *testing.T) {
	env := newEnv(t)
	_, err := env.b.ResetPassword(context.Background(), backend.ResetInput{UserID: "00000000-0000-4000-8000-000000000000"})
	if !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("error %v is not ErrNotFound", err)
	}
}

func TestReadUser(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		enabled bool
		hasPw   bool
	}{
		{"active with password", emulator.UserAlice, true, true},
		{"active without password", emulator.UserBob, true, false},
		{"locked", emulator.UserCarol, false, false},
		{"inactive", emulator.UserDave, false, false},
	}
	env := newEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := env.b.ReadUser(context.Background(), tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != tc.id || u.Enabled == nil || *u.Enabled != tc.enabled {
				t.Errorf("user = %+v", u)
			}
			if (u.PasswordLastChangedAt != nil) != tc.hasPw || (u.PasswordExpiresAt != nil) != tc.hasPw || u.PasswordMustChange == nil {
				t.Errorf("password metadata = %+v", u)
			}
		})
	}
	t.Run("drift", func(t *testing.T) {
		before, err := env.b.ReadUser(context.Background(), emulator.UserAlice)
		if err != nil {
			t.Fatal(err)
		}
		env.Emu.Clock.Advance(time.Hour)
		env.Emu.SetPasswordBehindBack(emulator.UserAlice, "Portal-Passw0rd")
		after, err := env.b.ReadUser(context.Background(), emulator.UserAlice)
		if err != nil {
			t.Fatal(err)
		}
		if !after.PasswordLastChangedAt.After(*before.PasswordLastChangedAt) {
			t.Errorf("lastChangedTime %v did not move past %v", after.PasswordLastChangedAt, before.PasswordLastChangedAt)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		env.Emu.DeleteUser(emulator.UserDave)
		_, err := env.b.ReadUser(context.Background(), emulator.UserDave)
		if !errors.Is(err, backend.ErrNotFound) {
			t.Errorf("error %v is not ErrNotFound", err)
		}
		if ae := asAPIError(t, err); ae.Operation != "read user "+emulator.UserDave {
			t.Errorf("Operation = %q", ae.Operation)
		}
	})
	t.Run("no view permission", func(t *testing.T) {
		env.Emu.SetPermissions([]string{emulator.PermUsersView, emulator.PermPasswordsEdit})
		defer env.Emu.SetPermissions(nil)
		_, err := env.b.ReadUser(context.Background(), emulator.UserAlice)
		if ae := asAPIError(t, err); ae.StatusCode != 403 || !strings.Contains(ae.Hint, "USERPASSWORDS:VIEW") {
			t.Errorf("error = %+v", ae)
		}
	})
}

// TestReadPassword checks that refresh's read is the password metadata call
// alone, with ReadUser's password fields and its not-found error.
func TestReadPassword(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	for _, id := range []string{emulator.UserAlice, emulator.UserBob} {
		full, err := env.b.ReadUser(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		env.Emu.Recorder.Clear()
		u, err := env.b.ReadPassword(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if reqs := env.Emu.Recorder.Requests(); len(reqs) != 1 || reqs[0].Method != "GET" || !strings.HasSuffix(reqs[0].Path, "/passwords") {
			t.Errorf("%s: requests = %d, want one GET .../passwords", id, len(reqs))
		}
		if u.ID != id || u.Enabled != nil || !equalTime(u.PasswordLastChangedAt, full.PasswordLastChangedAt) ||
			!equalTime(u.PasswordExpiresAt, full.PasswordExpiresAt) || *u.PasswordMustChange != *full.PasswordMustChange {
			t.Errorf("%s: ReadPassword = %+v, ReadUser = %+v", id, u, full)
		}
	}
	env.Emu.DeleteUser(emulator.UserDave)
	_, err := env.b.ReadPassword(ctx, emulator.UserDave)
	if !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("error %v is not ErrNotFound", err)
	}
	if _, err := env.b.ReadPassword(ctx, "jdoe"); err == nil {
		t.Error("a login name was accepted")
	}
}

func equalTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

// TestSecretsStayOutOfLogsAndErrors runs a full set/reset/read round with
// failing and succeeding calls under a TRACE logger and looks for every
// secret in play in the log output and in every error string.
func TestSecretsStayOutOfLogsAndErrors(t *testing.T) {
	env := newEnv(t)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Passw0rd"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	const wrongSecret = "wrong-shared-secret-value"
	var errs []error
	record := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	_, err = env.backend(t, wrongSecret).ReadUser(ctx, emulator.UserAlice)
	if err == nil {
		t.Fatal("wrong secret accepted")
	}
	record(err)
	_, err = env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd-1"})
	record(err)
	_, err = env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Chosen-Passw0rd-1"}) // history
	if err == nil {
		t.Fatal("history not enforced")
	}
	record(err)
	_, err = env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, Password: "Sh0rt!"}) // policy
	record(err)
	_, err = env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, Generate: true})
	record(err)
	env.Emu.Clock.Advance(16 * time.Minute) // a 401 and a new token
	_, err = env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, BcryptHash: string(hash)})
	record(err)
	_, err = env.b.SetPassword(ctx, backend.SetPasswordInput{UserID: emulator.UserBob, BcryptHash: string(hash)[:40]})
	record(err)
	_, err = env.b.ResetPassword(ctx, backend.ResetInput{UserID: emulator.UserAlice})
	record(err)
	_, err = env.b.ResetPassword(ctx, backend.ResetInput{UserID: "00000000-0000-4000-8000-000000000000"})
	record(err)
	_, err = env.b.ReadUser(ctx, emulator.UserAlice)
	record(err)
	if len(errs) < 5 {
		t.Fatalf("only %d calls failed; the round should include failures", len(errs))
	}
	if env.Emu.Authentications() != 2 {
		t.Fatalf("Authentications() = %d, want 2 (the round should include a re-authentication)", env.Emu.Authentications())
	}

	secrets := []string{emulator.TestSharedSecret, wrongSecret, "Chosen-Passw0rd-1", "Sh0rt!", string(hash), string(hash)[:40], "Imported-Passw0rd"}
	for _, id := range []string{emulator.UserAlice, emulator.UserBob} {
		secrets = append(secrets, env.Emu.IssuedPasswords(id)...)
	}
	for _, r := range env.Emu.Recorder.Requests() {
		if tok := r.Header.Get("Authorization"); tok != "" {
			secrets = append(secrets, tok)
		}
	}
	logs := buf.String()
	if !strings.Contains(logs, "Entrust IDaaS: setting a password") || !strings.Contains(logs, "identity API request") {
		t.Fatalf("the logger captured too little to be a test:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("a secret (%d characters) appears in the logs", len(s))
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), s) {
				t.Errorf("a secret (%d characters) appears in the error %q", len(s), err.Error())
			}
		}
	}
}

func equalJSON(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestAuthenticationWithoutAnswer(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetBefore, PathContains: "authenticate"})
	_, err := env.b.ReadUser(context.Background(), emulator.UserAlice)
	var re *transport.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *transport.RequestError", err, err)
	}
	if !strings.Contains(err.Error(), "could not read user "+emulator.UserAlice+": authenticating") {
		t.Errorf("error %q does not say what was attempted", err)
	}
}

func TestWaiterLeavesOnItsOwnCancel(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, PathContains: "authenticate", Delay: 200 * time.Millisecond, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := env.b.ReadUser(ctx, emulator.UserAlice)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the caller's deadline", err)
	}
	// The authentication finished for later callers all the same.
	if _, err := env.b.ReadUser(context.Background(), emulator.UserAlice); err != nil {
		t.Fatal(err)
	}
	if got := env.Emu.Authentications(); got != 1 {
		t.Errorf("Authentications() = %d, want 1", got)
	}
}
