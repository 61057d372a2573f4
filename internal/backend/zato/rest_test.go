package zato

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// newREST serves a fresh emulator over TLS (its clock fixed at t0) and
// returns a backend logged in as the test super-user, sharing that clock.
func newREST(t *testing.T, mutate ...func(*RESTConfig)) (*zatoemu.Emulator, *RESTBackend) {
	t.Helper()
	e := zatoemu.NewAt(t0)
	srv := backendtest.Serve(t, e)
	cfg := RESTConfig{URL: srv.URL, Username: zatoemu.TestUsername, Password: zatoemu.TestPassword,
		CurrentApp: zatoemu.TestCurrentApp, Now: e.Clock.Now}
	for _, m := range mutate {
		m(&cfg)
	}
	tc := srv.Transport
	tc.RequestTimeout = 5 * time.Second
	b, err := NewREST(cfg, tc)
	if err != nil {
		t.Fatal(err)
	}
	return e, b
}

func ptr[T any](v T) *T { return &v }

// recordedBody decodes the JSON body of a recorded request.
func recordedBody(t *testing.T, r emu.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("recorded body: %v", err)
	}
	return m
}

func TestRESTSetPassword(t *testing.T) {
	const pw = "Chosen-By-Terraform-81"
	tests := []struct {
		name        string
		user        string
		expiresAt   *time.Time
		forceChange *bool
		wantDays    float64 // 0: password_expiry not sent
		wantExpiry  time.Time
		wantMust    bool
		wantFlagReq bool
	}{
		{name: "no expiry, flag untouched", user: zatoemu.AliceUserID, wantExpiry: t0.AddDate(0, 0, 730)},
		{name: "expiry rounded up to whole days", user: zatoemu.AliceUserID, expiresAt: ptr(t0.Add(10*24*time.Hour + time.Hour)), wantDays: 11, wantExpiry: t0.AddDate(0, 0, 11)},
		{name: "expiry of exactly 7 days", user: zatoemu.AliceUserID, expiresAt: ptr(t0.AddDate(0, 0, 7)), wantDays: 7, wantExpiry: t0.AddDate(0, 0, 7)},
		{name: "expiry in the past is 1 day", user: zatoemu.AliceUserID, expiresAt: ptr(t0.Add(-time.Hour)), wantDays: 1, wantExpiry: t0.AddDate(0, 0, 1)},
		{name: "must change set", user: zatoemu.AliceUserID, forceChange: ptr(true), wantMust: true, wantFlagReq: true, wantExpiry: t0.AddDate(0, 0, 730)},
		{name: "must change cleared", user: zatoemu.BobUserID, forceChange: ptr(false), wantMust: false, wantFlagReq: true, wantExpiry: t0.AddDate(0, 0, 730)},
		{name: "bob keeps his flag", user: zatoemu.BobUserID, wantMust: true, wantExpiry: t0.AddDate(0, 0, 730)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newREST(t)
			res, err := b.SetPassword(context.Background(), backend.SetPasswordInput{
				UserID: tt.user, Password: pw, ExpiresAt: tt.expiresAt, ForceChange: tt.forceChange})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := e.CurrentPassword(tt.user); got != pw {
				t.Fatalf("password is %q", got)
			}
			u, _ := e.GetUser(tt.user)
			if u.MustChange != tt.wantMust {
				t.Fatalf("must change %t", u.MustChange)
			}
			if res.Password != "" || res.LastChangedAt == nil || !res.LastChangedAt.Equal(t0) ||
				res.ExpiresAt == nil || !res.ExpiresAt.Equal(tt.wantExpiry) || !u.PasswordExpiry.Equal(tt.wantExpiry) ||
				res.MustChange == nil || *res.MustChange != tt.wantMust {
				t.Fatalf("result %+v (expiry %v)", res, res.ExpiresAt)
			}

			sets := e.Recorder.Match(http.MethodPatch, "/zato/sso/user/password")
			if len(sets) != 1 {
				t.Fatalf("%d password calls", len(sets))
			}
			body := recordedBody(t, sets[0])
			if _, sent := body["must_change"]; sent {
				t.Fatal("must_change sent to the password endpoint")
			}
			if body["user_id"] != tt.user || body["new_password"] != pw || body["current_app"] != zatoemu.TestCurrentApp || body["ust"] == "" {
				t.Fatalf("body %v", body)
			}
			if days, sent := body["password_expiry"]; (tt.wantDays == 0) == sent || (sent && days != tt.wantDays) {
				t.Fatalf("password_expiry %v, want %v", days, tt.wantDays)
			}
			flags := e.Recorder.Match(http.MethodPatch, "/zato/sso/user")
			flags = flags[1:] // Match is by substring: the first is the password call
			if (len(flags) == 1) != tt.wantFlagReq {
				t.Fatalf("%d flag calls", len(flags))
			}
			if e.Logins() != 1 {
				t.Fatalf("%d logins", e.Logins())
			}
			// The existence check: one super-user search for the user, first.
			reqs := e.Recorder.Requests()
			if len(reqs) < 2 || reqs[1].Path != "/zato/sso/user/search" || recordedBody(t, reqs[1])["user_id"] != tt.user {
				t.Fatalf("no super-user search before the set: %v", reqs)
			}
		})
	}
}

func TestRESTSetPasswordErrors(t *testing.T) {
	tests := []struct {
		name         string
		in           backend.SetPasswordInput
		wantCode     string
		wantMsg      string
		wantNotFound bool
		wantErr      error
	}{
		{name: "too short", in: backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "Sh0rt-"},
			wantCode: "E003002", wantMsg: "password too short"},
		{name: "too long", in: backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: strings.Repeat("Ab1-", 65)},
			wantCode: "E003003", wantMsg: "password too long"},
		{name: "reject list", in: backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "Summer-Password-2025"},
			wantCode: "E003001", wantMsg: "password is on the reject list"},
		// Zato would answer "ok" and change nothing: the search finds no such user first.
		{name: "unknown user", in: backend.SetPasswordInput{UserID: "zusrnosuchuser000", Password: "Chosen-By-Terraform-81"},
			wantMsg: "Zato SSO has no user with this user_id (its super-user search found none); nothing was changed", wantNotFound: true},
		// Zato wants the old password for one's own: refused before any change.
		{name: "the provider's own super-user", in: backend.SetPasswordInput{UserID: zatoemu.AdminUserID, Password: "Chosen-By-Terraform-81"},
			wantMsg: "user " + zatoemu.AdminUserID + " is the provider's own super-user (admin1)"},
		{name: "generate", in: backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Generate: true}, wantErr: backend.ErrNotSupported},
		{name: "bcrypt", in: backend.SetPasswordInput{UserID: zatoemu.AliceUserID, BcryptHash: "$2y$10$abc"}, wantErr: backend.ErrNotSupported},
		{name: "notify", in: backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "Chosen-By-Terraform-81", NotifyUser: true}, wantErr: backend.ErrNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newREST(t)
			_, err := b.SetPassword(context.Background(), tt.in)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.in.Password != "" && strings.Contains(err.Error(), tt.in.Password) {
				t.Fatalf("the password is in the error: %v", err)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || e.Recorder.Count("", "/zato") != 0 {
					t.Fatalf("err %v, %d requests", err, e.Recorder.Count("", "/zato"))
				}
				return
			}
			ae := backendtest.AsAPIError(t, err)
			if ae.Code != tt.wantCode || ae.Message != tt.wantMsg || (ae.StatusCode == 403) != (tt.wantCode != "") || (ae.RequestID == "") != (tt.wantCode == "") ||
				ae.Hint == "" || ae.Backend != "Zato SSO" || ae.Operation != "set the password of user "+tt.in.UserID {
				t.Fatalf("%#v", ae)
			}
			if tt.wantCode == "" && e.Recorder.Count(http.MethodPatch, "") != 0 {
				t.Fatal("a PATCH was sent")
			}
			if errors.Is(err, backend.ErrPasswordMayHaveChanged) {
				t.Fatal("reported as a password that may have changed")
			}
			if errors.Is(err, backend.ErrNotFound) != tt.wantNotFound {
				t.Fatalf("errors.Is(ErrNotFound) = %t", !tt.wantNotFound)
			}
			if got, _ := e.CurrentPassword(zatoemu.AliceUserID); got != zatoemu.AlicePassword {
				t.Fatal("the password changed")
			}
		})
	}
}

func TestRESTReadUser(t *testing.T) {
	e, b := newREST(t)
	e.AddUser(zatoemu.User{ID: "zusrdave", Username: "dave", Password: "Dave-Pass-1234", Inactive: true,
		PasswordLastSet: t0.Add(-48*time.Hour + 1500*time.Microsecond)})
	tests := []struct {
		id          string
		wantEnabled bool
		wantMust    bool
		wantLastSet time.Time
	}{
		{zatoemu.AliceUserID, true, false, t0},
		{zatoemu.BobUserID, true, true, t0},
		{zatoemu.CarolUserID, false, false, t0},                                   // locked
		{"zusrdave", false, false, t0.Add(-48*time.Hour + 1500*time.Microsecond)}, // inactive; microseconds
	}
	for _, tt := range tests {
		u, err := b.ReadUser(context.Background(), tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != tt.id || u.Enabled == nil || *u.Enabled != tt.wantEnabled || u.PasswordMustChange == nil || *u.PasswordMustChange != tt.wantMust ||
			u.PasswordLastChangedAt == nil || !u.PasswordLastChangedAt.Equal(tt.wantLastSet) ||
			u.PasswordExpiresAt == nil || !u.PasswordExpiresAt.Equal(tt.wantLastSet.AddDate(0, 0, 730)) {
			t.Fatalf("%s: %+v", tt.id, u)
		}
	}

	// A change behind Terraform's back shows as a later password_last_set.
	e.Clock.Advance(30 * time.Minute)
	e.SetPasswordBehindBack(zatoemu.AliceUserID, "Changed-Outside-TF-1")
	u, err := b.ReadUser(context.Background(), zatoemu.AliceUserID)
	if err != nil || !u.PasswordLastChangedAt.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("%+v %v", u, err)
	}

	// ust, current_app and user_id travel in the JSON body, not the URL.
	for _, r := range e.Recorder.Match(http.MethodGet, "/zato/sso/user") {
		body := recordedBody(t, r)
		if len(r.Query) != 0 || body["ust"] == "" || body["current_app"] != zatoemu.TestCurrentApp || body["user_id"] == "" {
			t.Fatalf("query %v, body %v", r.Query, body)
		}
	}

	// Zato answers E005001 for a deleted user (zato-sso user.py:642-646);
	// the super-user search then finds none: not found.
	e.DeleteUser(zatoemu.AliceUserID)
	e.Recorder.Clear()
	_, err = b.ReadUser(context.Background(), zatoemu.AliceUserID)
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("deleted user: %v", err)
	}
	if ae := backendtest.AsAPIError(t, err); ae.Operation != "read user "+zatoemu.AliceUserID || ae.Code != "E005001" || !strings.Contains(ae.Message, "no such user") {
		t.Fatalf("%#v", ae)
	}
	if got := requestLine(e); got != "GET /zato/sso/user 403, POST /zato/sso/user/search 200" {
		t.Fatalf("requests: %s", got)
	}
	if e.Logins() != 1 {
		t.Fatalf("%d logins", e.Logins())
	}
}

// requestLine is the emulator's requests so far, one "METHOD path status" each.
func requestLine(e *zatoemu.Emulator) string {
	var seq []string
	for _, r := range e.Recorder.Requests() {
		seq = append(seq, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
	}
	return strings.Join(seq, ", ")
}

// TestRESTReadRefused: an E005001 for a user that exists is a refusal, not
// a missing user: the provider's super-user lost its rights (the search
// then answers E005001 too, once more after a fresh login).
func TestRESTReadRefused(t *testing.T) {
	e, b := newREST(t)
	if _, err := b.ReadUser(context.Background(), zatoemu.AliceUserID); err != nil {
		t.Fatal(err)
	}
	e.SetSuperUser(zatoemu.AdminUserID, false)
	e.Recorder.Clear()
	_, err := b.ReadUser(context.Background(), zatoemu.AliceUserID)
	if errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("a refusal read as a missing user: %v", err)
	}
	ae := backendtest.AsAPIError(t, err)
	if ae.Code != "E005001" || !strings.Contains(ae.Hint, "super-user search") || !strings.Contains(ae.Hint, "super-user, neither locked nor expired") {
		t.Fatalf("%#v", ae)
	}
	want := "GET /zato/sso/user 403, POST /zato/sso/user/search 403, POST /zato/sso/user/login 200, POST /zato/sso/user/search 403"
	if got := requestLine(e); got != want {
		t.Fatalf("requests: %s", got)
	}

	// A refusal of a user that exists, with the search working: the error
	// says the user exists.
	e.SetSuperUser(zatoemu.AdminUserID, true)
	e.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodGet, PathContains: "/zato/sso/user", Status: 403,
		Body: `{"cid":"c","status":"error","sub_status":["E005001"]}`, Times: 1})
	_, err = b.ReadUser(context.Background(), zatoemu.AliceUserID)
	if ae := backendtest.AsAPIError(t, err); ae.NotFound || !strings.Contains(ae.Message, "the user exists") {
		t.Fatalf("%#v", ae)
	}
}

// TestRESTUnknownApp: Zato answers an unknown current_app with HTTP 200,
// status "error" and E004001 (zato-server .../service/internal/sso/__init__.py:99-103):
// an error that names the configured current_app, on login and on a call.
func TestRESTUnknownApp(t *testing.T) {
	_, b := newREST(t, func(c *RESTConfig) { c.CurrentApp = "NoSuchApp" })
	_, err := b.ReadUser(context.Background(), zatoemu.AliceUserID)
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != 200 || ae.Code != "E004001" || ae.Message != "current_app is not one of the server's apps" ||
		!strings.Contains(ae.Hint, `(now "NoSuchApp")`) || !strings.Contains(ae.Hint, "[apps] all") || ae.Operation != "log in as super-user admin1" {
		t.Fatalf("%#v", ae)
	}
	// In [apps] all but not login_allowed: HTTP 403 E004001 at login (zato-sso util.py:311-318).
	_, b = newREST(t, func(c *RESTConfig) { c.CurrentApp = zatoemu.NoLoginApp })
	_, err = b.ReadUser(context.Background(), zatoemu.AliceUserID)
	if ae := backendtest.AsAPIError(t, err); ae.StatusCode != 403 || ae.Code != "E004001" || ae.Message != "current_app is not allowed to log in" || !strings.Contains(ae.Hint, `(now "Reports")`) {
		t.Fatalf("%#v", ae)
	}
}

func TestRESTRelogin(t *testing.T) {
	e, b := newREST(t)
	ctx := context.Background()
	if _, err := b.ReadUser(ctx, zatoemu.AliceUserID); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(61 * time.Minute)
	e.Recorder.Clear()
	if _, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "After-Expiry-Pass-1"}); err != nil {
		t.Fatal(err)
	}
	var seq []string
	for _, r := range e.Recorder.Requests() {
		seq = append(seq, r.Method+" "+r.Path+" "+http.StatusText(r.Status))
	}
	want := []string{
		"POST /zato/sso/user/search Forbidden", // E005001: the search masks E007001
		"POST /zato/sso/user/login OK",
		"POST /zato/sso/user/search OK",
		"PATCH /zato/sso/user/password OK",
		"GET /zato/sso/user OK",
	}
	if strings.Join(seq, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s", strings.Join(seq, "\n"))
	}
	if e.Logins() != 2 {
		t.Fatalf("%d logins", e.Logins())
	}

	// Many callers meeting an expired session log in once between them.
	e.Clock.Advance(61 * time.Minute)
	for _, err := range backendtest.Concurrently(10, func() error {
		_, err := b.ReadUser(ctx, zatoemu.BobUserID)
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if e.Logins() != 3 {
		t.Fatalf("%d logins for one expiry", e.Logins())
	}
}

func TestRESTLoginFailure(t *testing.T) {
	e, b := newREST(t, func(c *RESTConfig) { c.Password = "Wrong-Super-User-Pass-1" })
	// Hold the login so that every caller joins the one in flight.
	e.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, Method: http.MethodPost, PathContains: "/login", Delay: 50 * time.Millisecond, Times: 1})
	for _, err := range backendtest.Concurrently(5, func() error {
		_, err := b.ReadUser(context.Background(), zatoemu.AliceUserID)
		return err
	}) {
		ae := backendtest.AsAPIError(t, err)
		if ae.Code != "E005001" || ae.Operation != "log in as super-user admin1" || !strings.Contains(ae.Hint, "a wrong password") ||
			strings.Contains(err.Error(), "Wrong-Super-User-Pass-1") {
			t.Fatalf("%v", err)
		}
	}
	if n := e.Recorder.Count(http.MethodPost, "/login"); n != 1 {
		t.Fatalf("%d login attempts for 5 callers", n)
	}
	if e.Recorder.Count(http.MethodGet, "/zato/sso/user") != 0 {
		t.Fatal("a call went out without a session")
	}
}

func TestRESTErrorMapping(t *testing.T) {
	zatoErr := func(codes string) string {
		return `{"cid":"cid-123","status":"error","sub_status":[` + codes + `]}`
	}
	tests := []struct {
		name          string
		fault         emu.Fault
		wantStatus    int
		wantCode      string
		wantMsg       string
		wantHint      string
		wantNotFound  bool
		wantRetryable bool
		wantRequestID string
	}{
		{name: "invalid input", fault: emu.Fault{Status: 403, Body: zatoErr(`"E008002"`)},
			wantStatus: 403, wantCode: "E008002", wantMsg: "invalid input (an attribute Zato does not allow here, or not to this caller)", wantHint: "create-super-user", wantRequestID: "cid-123"},
		{name: "not allowed, the user exists", fault: emu.Fault{Status: 403, Body: zatoErr(`"E005001"`)},
			wantStatus: 403, wantCode: "E005001", wantMsg: "not allowed: the user exists (the super-user search finds it), yet Zato refused to read it", wantHint: "current_app", wantRequestID: "cid-123"},
		{name: "complexity", fault: emu.Fault{Status: 403, Body: zatoErr(`"E003008"`)},
			wantStatus: 403, wantCode: "E003008", wantMsg: "password not complex enough", wantHint: "complexity", wantRequestID: "cid-123"},
		{name: "two codes", fault: emu.Fault{Status: 403, Body: zatoErr(`"E003002","E003001"`)},
			wantStatus: 403, wantCode: "E003002, E003001", wantMsg: "password too short; password is on the reject list", wantHint: "longer", wantRequestID: "cid-123"},
		{name: "unknown code", fault: emu.Fault{Status: 403, Body: zatoErr(`"E999999"`)},
			wantStatus: 403, wantCode: "E999999", wantMsg: "unknown Zato status code E999999", wantHint: "permission", wantRequestID: "cid-123"},
		// Codes Zato 3.x defines but never raises are unknown here.
		{name: "E001100 is not a missing user", fault: emu.Fault{Status: 403, Body: zatoErr(`"E001100"`)},
			wantStatus: 403, wantCode: "E001100", wantMsg: "unknown Zato status code E001100", wantHint: "permission", wantRequestID: "cid-123"},
		// after_handle may set sub_status to one string (zato-server .../sso/__init__.py:87-88).
		{name: "sub_status as one string", fault: emu.Fault{Status: 403, Body: `{"cid":"c","status":"error","sub_status":"E008002"}`},
			wantStatus: 403, wantCode: "E008002", wantMsg: "invalid input (an attribute Zato does not allow here, or not to this caller)", wantHint: "super-user", wantRequestID: "c"},
		{name: "error status in a 200", fault: emu.Fault{Status: 200, Body: zatoErr(`"E004001"`)},
			wantStatus: 200, wantCode: "E004001", wantMsg: "current_app is not one of the server's apps", wantHint: `current_app (now "CRM")`, wantRequestID: "cid-123"},
		{name: "a 200 without status ok is no success", fault: emu.Fault{Status: 200, Body: `{"cid":"c","user_id":"zusr1"}`},
			wantStatus: 200, wantMsg: `the answer's status is "", not "ok"`, wantHint: "/zato/sso"},
		// The channel's wrappers (zato-server .../connection/http_soap/channel.py:122-140, :474-485, :516-524).
		{name: "400 wrapper", fault: emu.Fault{Status: 400, Body: `{"result":"Error","cid":"cid-400","details":"Bad request"}`},
			wantStatus: 400, wantMsg: "Bad request", wantHint: "malformed", wantRequestID: "cid-400"},
		{name: "500 wrapper", fault: emu.Fault{Status: 500, Body: `{"result":"Error","cid":"cid-500","details":"An error occurred"}`},
			wantStatus: 500, wantMsg: "An error occurred", wantHint: "server.log", wantRetryable: true, wantRequestID: "cid-500"},
		{name: "session lost twice", fault: emu.Fault{Status: 403, Body: zatoErr(`"E007001"`), Times: 2},
			wantStatus: 403, wantCode: "E007001", wantMsg: "no such session", wantHint: "again", wantRetryable: true, wantRequestID: "cid-123"},
		{name: "plain 404 is a wrong URL, not a missing user", fault: emu.Fault{Status: 404, Body: "Not Found"},
			wantStatus: 404, wantMsg: "Not Found", wantHint: "/zato/sso"},
		{name: "HTML 500", fault: emu.Fault{Status: 500, Body: "<html>Internal Server Error</html>"},
			wantStatus: 500, wantMsg: "<html>Internal Server Error</html>", wantHint: "later", wantRetryable: true},
		{name: "429 until retries run out", fault: emu.Fault{Status: 429, Body: zatoErr(``)},
			wantStatus: 429, wantMsg: "too many requests", wantHint: "rate limiting", wantRetryable: true, wantRequestID: "cid-123"},
		{name: "200 that is not JSON", fault: emu.Fault{Status: 200, Body: "<html>portal</html>"},
			wantStatus: 200, wantMsg: "the answer is not a JSON object", wantHint: "url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newREST(t)
			f := tt.fault
			f.Kind, f.Method, f.PathContains = emu.FaultStatus, http.MethodGet, "/zato/sso/user"
			if f.Times == 0 {
				f.Times = 10
			}
			e.Faults.Inject(f)
			_, err := b.ReadUser(context.Background(), zatoemu.AliceUserID)
			ae := backendtest.AsAPIError(t, err)
			if ae.StatusCode != tt.wantStatus || ae.Code != tt.wantCode || ae.Message != tt.wantMsg ||
				!strings.Contains(ae.Hint, tt.wantHint) || ae.NotFound != tt.wantNotFound || ae.Retryable != tt.wantRetryable ||
				ae.RequestID != tt.wantRequestID || ae.Operation != "read user "+zatoemu.AliceUserID {
				t.Fatalf("%#v", ae)
			}
			if errors.Is(err, backend.ErrNotFound) != tt.wantNotFound {
				t.Fatal("errors.Is(ErrNotFound) disagrees")
			}
		})
	}
}

func TestRESTRetries(t *testing.T) {
	e, b := newREST(t)
	ctx := context.Background()

	// A 429 (and a 503) is retried by the transport.
	e.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPatch, PathContains: "/password", Status: 429,
		Body: `{"cid":"x","status":"error","sub_status":[]}`, Times: 1})
	e.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodGet, Status: 503, Body: "busy", Times: 1})
	res, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "After-A-429-Pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Recorder.Count(http.MethodPatch, "/zato/sso/user/password") != 2 || e.Recorder.Count(http.MethodGet, "/zato/sso/user") != 2 || res.LastChangedAt == nil {
		t.Fatalf("requests %d/%d, %+v", e.Recorder.Count(http.MethodPatch, "/password"), e.Recorder.Count(http.MethodGet, "/zato/sso/user"), res)
	}

	// The throttle's own 429 is survived too.
	e.Recorder.Clear()
	e.SetThrottle(1000)
	for range 5 {
		if _, err := b.ReadUser(ctx, zatoemu.BobUserID); err != nil {
			t.Fatal(err)
		}
	}

	// A connection reset after the server acted: the PATCH is repeated,
	// which is harmless (the same password is set again).
	e.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPatch, PathContains: "/password", Times: 1})
	if _, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "After-A-Reset-Pass-2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.CurrentPassword(zatoemu.AliceUserID); got != "After-A-Reset-Pass-2" {
		t.Fatalf("password %q", got)
	}
}

func TestRESTForceChangeFailureSaysPasswordWasSet(t *testing.T) {
	e, b := newREST(t)
	// Faults match by path substring, first match first: the delay-free
	// "delay" lets the password call through, the 403 then hits the flag call.
	e.Faults.Inject(emu.Fault{Kind: emu.FaultDelay, Method: http.MethodPatch, PathContains: "/password", Times: 1})
	e.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPatch, PathContains: "/zato/sso/user", Status: 403,
		Body: `{"cid":"c","status":"error","sub_status":["E008002"]}`, Times: 1})
	_, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: "Flag-Fails-Pass-1", ForceChange: ptr(true)})
	ae := backendtest.AsAPIError(t, err)
	if ae.Code != "E008002" || !strings.Contains(ae.Operation, "must-change flag") || !strings.Contains(ae.Operation, "password was set") {
		t.Fatalf("%#v", ae)
	}
	if got, _ := e.CurrentPassword(zatoemu.AliceUserID); got != "Flag-Fails-Pass-1" {
		t.Fatalf("password %q", got)
	}
}

func TestRESTNewAndValidate(t *testing.T) {
	good := RESTConfig{URL: "https://zato.example:17010", Username: "admin1", Password: "x", CurrentApp: "CRM"}
	bad := []func(*RESTConfig){
		func(c *RESTConfig) { c.URL = "http://zato.example:17010" },
		func(c *RESTConfig) { c.URL = "zato.example" },
		func(c *RESTConfig) { c.Username = " " },
		func(c *RESTConfig) { c.Password = "" },
		func(c *RESTConfig) { c.CurrentApp = "" },
	}
	if _, err := NewREST(good, transport.Config{}); err != nil {
		t.Fatal(err)
	}
	for i, m := range bad {
		c := good
		m(&c)
		if _, err := NewREST(c, transport.Config{}); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}

	b, _ := NewREST(good, transport.Config{})
	for id, ok := range map[string]bool{
		"zusr1abc": true, "": false, "zusr 1": false, "zusr\t1": false, "zusr\x001": false,
		"../zusr": false, "zusr?x=1": false, "zusr#1": false, "zusr%2F": false, `zusr\1`: false,
	} {
		if err := b.ValidateUserID(id); (err == nil) != ok {
			t.Errorf("ValidateUserID(%q) = %v", id, err)
		}
	}
	c := b.Capabilities()
	if !c.SetChosen || c.ServerGenerate || c.ServerReset || c.ExpiryOnSet != backend.ExpiryDays || !c.ForceChangeOnSet ||
		!c.ReadUser || !c.ReadPasswordChangedAt || !c.ReadEnabled || !c.ReadPasswordExpiry || !c.ReadPasswordMustChange ||
		c.LocalCommand || c.ProviderGenerateDefaultLength != 32 || b.Name() != "Zato SSO" {
		t.Fatalf("%+v", c)
	}
	if _, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: "zusr1"}); !errors.Is(err, backend.ErrNotSupported) {
		t.Fatal(err)
	}
}

func TestParseZatoTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-03-01T12:00:00", t0},
		{"2025-03-01T12:00:00.001500", t0.Add(1500 * time.Microsecond)},
		{"2025-03-01 12:00:00.5", t0.Add(500 * time.Millisecond)},
		{"2025-03-01T12:00:00Z", t0},
		{"2025-03-01T14:00:00+02:00", t0},
		{"2025-03-01T14:00:00.000001+0200", t0.Add(time.Microsecond)},
	}
	for _, tt := range tests {
		got, err := parseZatoTime(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseZatoTime(%q) = %v, %v", tt.in, got, err)
		}
	}
	for _, in := range []string{"", "yesterday", "2025-03-01", "01/03/2025 12:00"} {
		if _, err := parseZatoTime(in); err == nil {
			t.Errorf("parseZatoTime(%q): no error", in)
		}
	}
}

func TestExpiryDays(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int64
	}{
		{24 * time.Hour, 1},
		{24*time.Hour + time.Nanosecond, 2},
		{90 * 24 * time.Hour, 90},
		{time.Minute, 1},
		{0, 1},
		{-72 * time.Hour, 1},
	}
	for _, tt := range tests {
		if got := expiryDays(t0.Add(tt.d), t0); got != tt.want {
			t.Errorf("expiryDays(+%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}
