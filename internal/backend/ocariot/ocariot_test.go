package ocariot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	sandbox "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// unknownUserID is well formed but not known to the emulator.
const unknownUserID = "507f191e810c19729de860ea"

var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	*backendtest.Served[*sandbox.Emulator]
}

// newFixture serves a fresh emulator over TLS with the sandbox CA; its clock
// is fixed at epoch.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := sandbox.New()
	e.Clock.Set(epoch)
	f := &fixture{backendtest.Serve(t, e)}
	f.Transport.RequestTimeout = 5 * time.Second
	return f
}

// backend logs in as the admin, with the client clock on the emulator's
// clock, after mutate has changed the config.
func (f *fixture) backend(t *testing.T, mutate func(*Config)) *Backend {
	t.Helper()
	cfg := Config{URL: f.URL, Username: sandbox.TestUsername, Password: sandbox.TestPassword, Now: f.Emu.Clock.Now}
	if mutate != nil {
		mutate(&cfg)
	}
	b, err := New(cfg, f.Transport)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) statuses(path string) []int {
	var out []int
	for _, r := range f.Emu.Recorder.Match(http.MethodPost, path) {
		out = append(out, r.Status)
	}
	return out
}

func set(ctx context.Context, b *Backend, id, pw string) (backend.PasswordResult, error) {
	return b.SetPassword(ctx, backend.SetPasswordInput{UserID: id, Password: pw})
}

func countInts(list []int, v int) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	ctx := context.Background()

	res, err := set(ctx, b, sandbox.ChildUserID, `first "quoted" <Passw0rd>`)
	if err != nil {
		t.Fatal(err)
	}
	if pw, _ := f.Emu.CurrentPassword(sandbox.ChildUserID); pw != `first "quoted" <Passw0rd>` {
		t.Errorf("emulator has password %q", pw)
	}
	if res.LastChangedAt == nil || !res.LastChangedAt.Equal(epoch) {
		t.Errorf("LastChangedAt = %v, want %v", res.LastChangedAt, epoch)
	}
	if res.Password != "" || res.ExpiresAt != nil || res.ExpiryNotificationAt != nil || res.MustChange != nil {
		t.Errorf("reported more than LastChangedAt: %+v", res)
	}

	reqs := f.Emu.Recorder.Match(http.MethodPost, "/reset-password")
	if len(reqs) != 1 {
		t.Fatalf("%d reset-password requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/v1/users/"+sandbox.ChildUserID+"/reset-password" {
		t.Errorf("path %q", r.Path)
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ey") {
		t.Errorf("Authorization header %q", r.Header.Get("Authorization"))
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body) != 1 || body["new_password"] != `first "quoted" <Passw0rd>` {
		t.Errorf("body %s (%v)", r.Body, err)
	}

	// The token is cached: a second call does not log in again.
	if _, err := set(ctx, b, sandbox.EducatorUserID, "second"); err != nil {
		t.Fatal(err)
	}
	if n := f.Emu.Logins(); n != 1 {
		t.Errorf("Logins = %d, want 1", n)
	}
}

func TestSetPassword_renewsTokenBeforeExpiry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	ctx := context.Background()
	if _, err := set(ctx, b, sandbox.ChildUserID, "a"); err != nil {
		t.Fatal(err)
	}
	f.Emu.Clock.Advance(23 * time.Hour) // well within the token's day
	if _, err := set(ctx, b, sandbox.ChildUserID, "b"); err != nil {
		t.Fatal(err)
	}
	if n := f.Emu.Logins(); n != 1 {
		t.Fatalf("renewed too early: Logins = %d, want 1", n)
	}
	f.Emu.Clock.Advance(58 * time.Minute) // two minutes before exp
	if _, err := set(ctx, b, sandbox.ChildUserID, "c"); err != nil {
		t.Fatal(err)
	}
	if n := f.Emu.Logins(); n != 2 {
		t.Errorf("Logins = %d, want 2 (renewed before expiry)", n)
	}
	if got := f.statuses("/reset-password"); !equalInts(got, []int{204, 204, 204}) {
		t.Errorf("reset-password statuses %v: the renewal should avoid any 401", got)
	}
}

func TestSetPassword_logsInAgainOn401(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// The client's clock stands still while the service's moves past the
	// token's exp: only the 401 can tell the client.
	b := f.backend(t, func(c *Config) { c.Now = func() time.Time { return epoch } })
	ctx := context.Background()
	if _, err := set(ctx, b, sandbox.ChildUserID, "a"); err != nil {
		t.Fatal(err)
	}
	f.Emu.Clock.Advance(25 * time.Hour)
	if _, err := set(ctx, b, sandbox.ChildUserID, "b"); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if got := f.statuses("/reset-password"); !equalInts(got, []int{204, 401, 204}) {
		t.Errorf("reset-password statuses %v, want [204 401 204]", got)
	}
	if n := f.Emu.Logins(); n != 2 {
		t.Errorf("Logins = %d, want 2", n)
	}
	if pw, _ := f.Emu.CurrentPassword(sandbox.ChildUserID); pw != "b" {
		t.Errorf("emulator has %q", pw)
	}
}

func TestSetPassword_retries401OnlyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPost, PathContains: "/reset-password", Status: 401,
		Body: `{"code":401,"message":"UNAUTHORIZED","description":"Authentication failed due to access token issues.","redirect_link":"/auth"}`})
	_, err := set(context.Background(), b, sandbox.ChildUserID, "a")
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 401 || ae.Code != "401" || ae.Message != "UNAUTHORIZED: Authentication failed due to access token issues." {
		t.Errorf("APIError = %+v", ae)
	}
	if !strings.Contains(ae.Hint, "/auth") || !strings.Contains(ae.Hint, "OCARIOT_USERNAME") {
		t.Errorf("hint %q should point at the credentials", ae.Hint)
	}
	if got := f.statuses("/reset-password"); len(got) != 2 {
		t.Errorf("%d reset-password attempts, want 2 (one retry)", len(got))
	}
	if n := f.Emu.Logins(); n != 2 {
		t.Errorf("Logins = %d, want 2 (one re-login)", n)
	}
}

func TestSetPassword_givenAccessToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token, err := f.Emu.IssueToken(sandbox.TestUsername)
	if err != nil {
		t.Fatal(err)
	}
	b := f.backend(t, func(c *Config) { c.Username, c.Password, c.AccessToken = "", "", token })
	ctx := context.Background()
	if _, err = set(ctx, b, sandbox.ChildUserID, "a"); err != nil {
		t.Fatal(err)
	}
	if got := f.Emu.Recorder.Match("", "/v1/auth"); len(got) != 0 {
		t.Errorf("logged in %d times with a given access token", len(got))
	}
	if got := f.Emu.Recorder.Match(http.MethodPost, "/reset-password")[0].Header.Get("Authorization"); got != "Bearer "+token {
		t.Error("the given access token was not sent as is")
	}

	f.Emu.Clock.Advance(25 * time.Hour)
	_, err = set(ctx, b, sandbox.ChildUserID, "b")
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 401 {
		t.Fatalf("status %d", ae.StatusCode)
	}
	for _, want := range []string{"the access token was refused (expired?)", "expired at 2025-03-02T12:00:00Z", "OCARIOT_ACCESS_TOKEN"} {
		if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(want)) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if got := f.statuses("/reset-password"); !equalInts(got, []int{204, 401}) {
		t.Errorf("reset-password statuses %v, want [204 401] (no retry)", got)
	}
	if got := f.Emu.Recorder.Match("", "/v1/auth"); len(got) != 0 {
		t.Error("tried to log in without credentials")
	}
}

func TestSetPassword_notFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := set(context.Background(), f.backend(t, nil), unknownUserID, "a")
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("errors.Is(%v, ErrNotFound) = false", err)
	}
	ae := backendtest.AsAPIError(t, err)
	want := "User not found! User not found or already removed. A new operation for the same resource is not required."
	if ae.StatusCode != 404 || ae.Code != "404" || ae.Message != want {
		t.Errorf("APIError = %+v", ae)
	}
	if ae.Operation != "set the password of user "+unknownUserID || ae.Backend != "OCARIoT" {
		t.Errorf("operation %q, backend %q", ae.Operation, ae.Backend)
	}
}

func TestSetPassword_forbiddenScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, func(c *Config) { c.Username, c.Password = sandbox.TestNoScopeUsername, sandbox.TestNoScopePassword })
	_, err := set(context.Background(), b, sandbox.ChildUserID, "a")
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 403 || ae.Message != "FORBIDDEN: Authorization failed due to insufficient permissions." {
		t.Errorf("APIError = %+v", ae)
	}
	if !strings.Contains(ae.Hint, "users:resetPassword") {
		t.Errorf("hint %q does not name the scope", ae.Hint)
	}
	if n := f.Emu.Logins(); n != 1 {
		t.Errorf("Logins = %d: a 403 must not cause a re-login", n)
	}
	if n := len(f.statuses("/reset-password")); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestSetPassword_retries429(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	tooMany := `{"code":429,"message":"Too Many Requests","description":"Too many requests, please try again later."}`
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 429, RetryAfter: "1", Body: tooMany, Times: 2})
	if _, err := set(context.Background(), b, sandbox.ChildUserID, "a"); err != nil {
		t.Fatal(err)
	}
	if got := f.statuses("/reset-password"); !equalInts(got, []int{429, 429, 204}) {
		t.Errorf("statuses %v, want [429 429 204]", got)
	}

	// Throttled for good: the last answer becomes a retryable APIError.
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 429, Body: tooMany})
	_, err := set(context.Background(), b, sandbox.ChildUserID, "b")
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 429 || !ae.Retryable || ae.Message != "Too Many Requests: Too many requests, please try again later." {
		t.Errorf("APIError = %+v", ae)
	}
	if got := len(f.statuses("/reset-password")); got != 3+4 {
		t.Errorf("%d attempts in all, want 7 (3, then 1 + 3 retries)", got)
	}
}

func TestLogin_badCredentials(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, func(c *Config) { c.Password = "wrong-password" })
	_, err := set(context.Background(), b, sandbox.ChildUserID, "a")
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 401 || ae.Message != "Invalid username or password!" || ae.Operation != `log in as "admin"` {
		t.Errorf("APIError = %+v", ae)
	}
	if !strings.Contains(ae.Hint, "OCARIOT_PASSWORD") {
		t.Errorf("hint %q", ae.Hint)
	}
	if n := len(f.statuses("/reset-password")); n != 0 {
		t.Errorf("sent %d reset-password requests without a token", n)
	}
	if n := len(f.statuses("/v1/auth")); n != 1 {
		t.Errorf("%d login attempts, want 1", n)
	}
}

func TestLogin_oneInFlight(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	// A slow login, so that every caller arrives while it is in flight.
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, PathContains: "/v1/auth", Delay: 100 * time.Millisecond, Times: 1})
	run := func() {
		for _, err := range backendtest.Concurrently(20, func() error {
			_, err := set(context.Background(), b, sandbox.ChildUserID, "concurrent")
			return err
		}) {
			if err != nil {
				t.Error(err)
			}
		}
	}
	run()
	if n := f.Emu.Logins(); n != 1 {
		t.Errorf("Logins = %d, want 1", n)
	}

	// All of them meet an expired token at the service: one re-login.
	b.now = func() time.Time { return epoch }
	f.Emu.Clock.Advance(25 * time.Hour)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, PathContains: "/v1/auth", Delay: 100 * time.Millisecond, Times: 1})
	run()
	if n := f.Emu.Logins(); n != 2 {
		t.Errorf("Logins = %d after concurrent 401s, want 2", n)
	}
}

func TestLogin_waiterOutlivesCancelledLeader(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, PathContains: "/v1/auth", Delay: 200 * time.Millisecond, Times: 1})
	leaderCtx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	leaderErr := make(chan error, 1)
	go func() {
		_, err := set(leaderCtx, b, sandbox.ChildUserID, "leader")
		leaderErr <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the leader start its login
	if _, err := set(context.Background(), b, sandbox.EducatorUserID, "waiter"); err != nil {
		t.Errorf("the waiter inherited the leader's cancellation: %v", err)
	}
	if err := <-leaderErr; err == nil {
		t.Error("the leader's login should have timed out")
	}
	if pw, _ := f.Emu.CurrentPassword(sandbox.EducatorUserID); pw != "waiter" {
		t.Errorf("emulator has %q", pw)
	}
}

func TestUnsupported(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	ctx := context.Background()
	yes, no, when := true, false, epoch
	for name, in := range map[string]backend.SetPasswordInput{
		"generate":     {UserID: sandbox.ChildUserID, Generate: true},
		"bcrypt":       {UserID: sandbox.ChildUserID, BcryptHash: "$2a$10$abc"},
		"force change": {UserID: sandbox.ChildUserID, Password: "a", ForceChange: &yes},
		"expiry":       {UserID: sandbox.ChildUserID, Password: "a", ExpiresAt: &when},
		"notify":       {UserID: sandbox.ChildUserID, Password: "a", NotifyUser: true},
		"history":      {UserID: sandbox.ChildUserID, Password: "a", ClearHistory: true},
	} {
		if _, err := b.SetPassword(ctx, in); !errors.Is(err, backend.ErrNotSupported) {
			t.Errorf("%s: error %v, want ErrNotSupported", name, err)
		}
	}
	if _, err := b.ResetPassword(ctx, backend.ResetInput{UserID: sandbox.ChildUserID}); !errors.Is(err, backend.ErrNotSupported) {
		t.Errorf("ResetPassword: %v", err)
	}
	if _, err := b.ReadUser(ctx, sandbox.ChildUserID); !errors.Is(err, backend.ErrNotSupported) {
		t.Errorf("ReadUser: %v", err)
	}
	if n := len(f.Emu.Recorder.Requests()); n != 0 {
		t.Errorf("unsupported operations sent %d requests", n)
	}
	// ForceChange=false asks for nothing OCARIoT lacks.
	if _, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: sandbox.ChildUserID, Password: "a", ForceChange: &no}); err != nil {
		t.Errorf("ForceChange=false: %v", err)
	}
}

func TestValidateUserID(t *testing.T) {
	t.Parallel()
	b, err := New(Config{URL: "https://api.ocariot.example", AccessToken: "t"}, transport.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id string
		ok bool
	}{
		{"507f191e810c19729de860ea", true},
		{"507F191E810C19729DE860EA", true},
		{"507f191e810c19729de860e", false},
		{"507f191e810c19729de860eaa", false},
		{"507f191e810c19729de860eg", false},
		{"../../../v1/auth/aaaaaaa", false},
		{"", false},
	} {
		err := b.ValidateUserID(tt.id)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateUserID(%q) = %v", tt.id, err)
		}
		if err != nil && (!strings.Contains(err.Error(), "(e.g. 507f191e810c19729de860ea)") || strings.Contains(err.Error(), "24-byte") ||
			strings.HasSuffix(err.Error(), ".") || (tt.id != "" && strings.Contains(strings.ReplaceAll(err.Error(), "507f191e810c19729de860ea", ""), tt.id))) {
			t.Errorf("error %q: want the provider's own sentence, without a final period and without the id", err)
		}
		if _, serr := set(context.Background(), b, tt.id, "x"); !tt.ok && (serr == nil || serr.Error() != err.Error()) {
			t.Errorf("SetPassword(%q) = %v, want the validation error before any request", tt.id, serr)
		}
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	b, err := New(Config{URL: "https://api.ocariot.example", AccessToken: "t"}, transport.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := backend.Capabilities{SetChosen: true, UserIDDescription: "the 24-character hex OCARIoT user id"}
	if got := b.Capabilities(); got != want {
		t.Errorf("Capabilities = %+v, want %+v", got, want)
	}
	if b.Name() != "OCARIoT" {
		t.Errorf("Name = %q", b.Name())
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"login", Config{URL: "https://api.ocariot.example", Username: "u", Password: "p"}, ""},
		{"token", Config{URL: "https://api.ocariot.example", AccessToken: "t"}, ""},
		{"loopback http", Config{URL: "http://127.0.0.1:8080", AccessToken: "t"}, ""},
		{"both", Config{URL: "https://api.ocariot.example", Username: "u", Password: "secret-pw", AccessToken: "t"}, "not both"},
		{"neither", Config{URL: "https://api.ocariot.example"}, "either an access token or a username and password"},
		{"username only", Config{URL: "https://api.ocariot.example", Username: "u"}, "both a username and a password"},
		{"password only", Config{URL: "https://api.ocariot.example", Password: "secret-pw"}, "both a username and a password"},
		{"plain http", Config{URL: "http://api.ocariot.example", AccessToken: "t"}, "plain http://"},
		{"no URL", Config{AccessToken: "t"}, "url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, transport.Config{})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
			if err != nil && tt.cfg.Password != "" && strings.Contains(err.Error(), tt.cfg.Password) {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}

func TestURLWithV1Suffix(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, func(c *Config) { c.URL += "/v1/" })
	if _, err := set(context.Background(), b, sandbox.ChildUserID, "a"); err != nil {
		t.Fatal(err)
	}
}

func TestUndocumentedAnswers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	// A URL that is not the gateway's root: a plain 404 is not a missing user.
	b := f.backend(t, func(c *Config) { c.URL += "/api" })
	_, err := set(context.Background(), b, sandbox.ChildUserID, "a")
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 404 || ae.NotFound || errors.Is(err, backend.ErrNotFound) || !strings.Contains(ae.Hint, "url") {
		t.Errorf("plain 404: %+v", ae)
	}

	// The account service's own 404 for a path it has no route for
	// (ocariot/account src/app.ts:135-141): documented shape, not a missing user.
	b = f.backend(t, nil)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 404,
		Body: `{"code":404,"message":"Endpoint /users/x/reset-password does not found!"}`, Times: 1})
	_, err = set(context.Background(), b, sandbox.ChildUserID, "a")
	ae = backendtest.AsAPIError(t, err)
	if ae.NotFound || errors.Is(err, backend.ErrNotFound) || ae.Hint != hintWrongURL {
		t.Errorf("the account's endpoint 404: %+v", ae)
	}

	// A token the gateway has no consumer for (express-apigw-base-plugin
	// policies/authentication/jwt.js:72-77): log in through the gateway.
	tok, err := f.Emu.IssueToken(sandbox.TestUsername)
	if err != nil {
		t.Fatal(err)
	}
	b = f.backend(t, func(c *Config) { c.Username, c.Password, c.AccessToken = "", "", tok })
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 401,
		Body: `{"code":401,"message":"UNAUTHORIZED","description":"The token user is not properly registered as a consumer at the gateway.","redirect_link":"/auth"}`, Times: 1})
	_, err = set(context.Background(), b, sandbox.ChildUserID, "a")
	if ae := backendtest.AsAPIError(t, err); !strings.Contains(ae.Hint, "log in through the gateway") {
		t.Errorf("no consumer: %+v", ae)
	}

	// A 500 with an HTML page: a preview of it, and the default hint.
	b = f.backend(t, nil)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 500, Body: "<html>Internal error</html>", Times: 1})
	_, err = set(context.Background(), b, sandbox.ChildUserID, "a")
	ae = backendtest.AsAPIError(t, err)
	if ae.StatusCode != 500 || ae.Message != "unexpected answer: <html>Internal error</html>" || ae.Hint != backend.HintForStatus(500) {
		t.Errorf("500: %+v", ae)
	}
	if n := countInts(f.statuses("/reset-password"), 500); n != 1 {
		t.Errorf("a 500 was retried: %d attempts", n)
	}

	// A login answer that is cut short: an error that does not echo it.
	b = f.backend(t, nil)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultMalformed, PathContains: "/v1/auth", Times: 1})
	_, err = set(context.Background(), b, sandbox.ChildUserID, "a")
	if err == nil || !strings.Contains(err.Error(), "without an access_token") || strings.Contains(err.Error(), "eyJ") {
		t.Errorf("malformed login answer: %v", err)
	}
}

func TestErrorMessagesAreScrubbed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := f.backend(t, nil)
	pw := `echo-me "please"`
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 400, Times: 1,
		Body: `{"code":400,"message":"One or more request fields are invalid...","description":"new_password echo-me \"please\" is not allowed"}`})
	_, err := set(context.Background(), b, sandbox.ChildUserID, pw)
	if err == nil || strings.Contains(err.Error(), "echo-me") {
		t.Errorf("error %v echoes the password", err)
	}
}
