package idaas

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type harness struct {
	t *testing.T
	e *Emulator
	h http.Handler
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	e := New()
	e.Clock.Set(t0)
	return &harness{t: t, e: e, h: e.Handler()}
}

// do sends a request; body is marshalled unless it is a string (sent as is).
func (h *harness) do(method, path, auth string, body any) (int, map[string]any) {
	h.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			h.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			h.t.Fatalf("%s %s: body is not JSON: %q", method, path, rec.Body.String())
		}
	}
	return rec.Code, out
}

func (h *harness) token() string {
	h.t.Helper()
	code, out := h.do("POST", "/api/web/v1/adminapi/authenticate", "", map[string]string{
		"applicationId": TestApplicationID, "sharedSecret": TestSharedSecret})
	if code != 200 {
		h.t.Fatalf("authenticate: %d %v", code, out)
	}
	return out["authToken"].(string)
}

func pwPath(id string) string { return "/api/web/v1/users/" + id + "/passwords" }

// wantError checks the documented error shape.
func wantError(t *testing.T, code int, out map[string]any, status int, errorCode string) {
	t.Helper()
	if code != status {
		t.Fatalf("status = %d, want %d (%v)", code, status, out)
	}
	if out["errorCode"] != errorCode {
		t.Errorf("errorCode = %v, want %s", out["errorCode"], errorCode)
	}
	if msg, _ := out["errorMessage"].(string); msg == "" {
		t.Errorf("errorMessage is empty: %v", out)
	}
	if _, ok := out["parameters"].([]any); !ok {
		t.Errorf("parameters is not a list: %v", out)
	}
}

func TestAuthenticate(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"valid", map[string]string{"applicationId": TestApplicationID, "sharedSecret": TestSharedSecret}, 200, ""},
		{"wrong secret", map[string]string{"applicationId": TestApplicationID, "sharedSecret": "nope"}, 401, "INVALID_CREDENTIALS"},
		{"wrong application", map[string]string{"applicationId": "other", "sharedSecret": TestSharedSecret}, 401, "INVALID_CREDENTIALS"},
		{"malformed", `{"applicationId": `, 400, "INVALID_REQUEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := h.e.Authentications()
			code, out := h.do("POST", "/api/web/v1/adminapi/authenticate", "", tc.body)
			if tc.status != 200 {
				wantError(t, code, out, tc.status, tc.code)
				if h.e.Authentications() != before {
					t.Error("a failed authentication was counted")
				}
				return
			}
			if code != 200 || out["authToken"] == "" {
				t.Fatalf("got %d %v", code, out)
			}
			created, err1 := parseTime(out["creationTime"].(string))
			expires, err2 := parseTime(out["expirationTime"].(string))
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !created.Equal(t0) || expires.Sub(created) != TokenLifetime {
				t.Errorf("creationTime %v, expirationTime %v", created, expires)
			}
			if h.e.Authentications() != before+1 {
				t.Errorf("Authentications() = %d, want %d", h.e.Authentications(), before+1)
			}
		})
	}
}

func TestTimestampStyles(t *testing.T) {
	h := newHarness(t)
	auth := func() string {
		_, out := h.do("POST", "/api/web/v1/adminapi/authenticate", "", map[string]string{
			"applicationId": TestApplicationID, "sharedSecret": TestSharedSecret})
		return out["expirationTime"].(string)
	}
	a, b := auth(), auth()
	if strings.HasSuffix(a, "Z") == strings.HasSuffix(b, "Z") || strings.HasSuffix(a, "+0000") == strings.HasSuffix(b, "+0000") {
		t.Errorf("alternate style gave %q then %q, want one of each form", a, b)
	}
	h.e.SetTimestampStyle(StyleZulu)
	if a, b := auth(), auth(); !strings.HasSuffix(a, ".000Z") || !strings.HasSuffix(b, ".000Z") {
		t.Errorf("StyleZulu gave %q, %q", a, b)
	}
	h.e.SetTimestampStyle(StyleOffset)
	if a, b := auth(), auth(); !strings.HasSuffix(a, ".000+0000") || !strings.HasSuffix(b, ".000+0000") {
		t.Errorf("StyleOffset gave %q, %q", a, b)
	}
}

func TestAuthorization(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	tests := []struct {
		name    string
		auth    string
		advance time.Duration
		status  int
		code    string
	}{
		{"raw token", tok, 0, 200, ""},
		{"bearer token", "Bearer " + tok, 0, 200, ""},
		{"missing", "", 0, 401, "AUTHORIZATION_TOKEN_MISSING"},
		{"unknown", "Bearer 0123", 0, 401, "AUTHORIZATION_TOKEN_INVALID"},
		{"still valid after 14 minutes", tok, 14 * time.Minute, 200, ""},
		{"expired after 15 minutes", tok, time.Minute, 401, "AUTHORIZATION_TOKEN_EXPIRED"},
		{"gone once expired", tok, 0, 401, "AUTHORIZATION_TOKEN_INVALID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.e.Clock.Advance(tc.advance)
			code, out := h.do("GET", pwPath(UserAlice), tc.auth, nil)
			if tc.status == 200 {
				if code != 200 {
					t.Fatalf("got %d %v", code, out)
				}
				return
			}
			wantError(t, code, out, tc.status, tc.code)
		})
	}
}

func TestPermissions(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	h.e.SetPermissions([]string{PermPasswordsView})
	code, out := h.do("PUT", pwPath(UserBob), tok, map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false})
	wantError(t, code, out, 403, "ACCESS_DENIED")
	// ErrorInfo.parameters are objects (#/components/schemas/ErrorInfo).
	if p := out["parameters"].([]any); len(p) != 1 || p[0].(map[string]any)["name"] != PermPasswordsEdit {
		t.Errorf("parameters = %v, want [{name: %s}]", p, PermPasswordsEdit)
	}
	if code, _ := h.do("GET", pwPath(UserBob), tok, nil); code != 200 {
		t.Errorf("GET with USERPASSWORDS:VIEW: %d", code)
	}
	h.e.SetPermissions(nil)
	if code, _ := h.do("PUT", pwPath(UserBob), tok, map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false}); code != 200 {
		t.Errorf("PUT after restoring permissions: %d", code)
	}
}

func TestPutPassword(t *testing.T) {
	expiry := t0.Add(30 * 24 * time.Hour)
	tests := []struct {
		name      string
		user      string
		body      any
		status    int
		code      string
		emails    int    // emails recorded
		emailKind string // when emails == 1
		check     func(t *testing.T, e *Emulator, out map[string]any)
	}{
		{
			name: "chosen, emailPassword false", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false},
			status: 200,
			check: func(t *testing.T, e *Emulator, out map[string]any) {
				if pw, ok := e.CurrentPassword(UserBob); !ok || pw != "Chosen-Passw0rd" {
					t.Errorf("CurrentPassword = %q, %v", pw, ok)
				}
				if out["present"] != true || out["forceUpdate"] != false {
					t.Errorf("response %v", out)
				}
				if _, ok := out["newPassword"]; ok {
					t.Error("newPassword returned for a chosen password")
				}
			},
		},
		{
			name: "chosen, emailPassword absent defaults to true", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd"},
			status: 200, emails: 1, emailKind: EmailPasswordSet,
		},
		{
			name: "chosen, emailPassword true", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": true},
			status: 200, emails: 1, emailKind: EmailPasswordSet,
		},
		{
			name: "generated and returned", user: UserBob,
			body:   map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false, "password": "ignored"},
			status: 200,
			check: func(t *testing.T, e *Emulator, out map[string]any) {
				np, _ := out["newPassword"].(string)
				cur, _ := e.CurrentPassword(UserBob)
				if np == "" || np != cur || np == "ignored" {
					t.Errorf("newPassword %q, current %q", np, cur)
				}
				if v := DefaultPolicy().violations(np); len(v) > 0 {
					t.Errorf("generated password violates the policy: %v", v)
				}
			},
		},
		{
			name: "generated, not returned, emailed by default", user: UserBob,
			body:   map[string]any{"generatePassword": true},
			status: 200, emails: 1, emailKind: EmailPasswordGenerated,
			check: func(t *testing.T, e *Emulator, out map[string]any) {
				if _, ok := out["newPassword"]; ok {
					t.Error("newPassword returned without returnPassword")
				}
				if _, ok := e.CurrentPassword(UserBob); !ok {
					t.Error("no password set")
				}
			},
		},
		{
			name: "forceUpdate and expiryTime", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false, "forceUpdate": true, "expiryTime": expiry.Format(time.RFC3339)},
			status: 200,
			check: func(t *testing.T, e *Emulator, out map[string]any) {
				if out["forceUpdate"] != true || !e.MustChange(UserBob) {
					t.Errorf("forceUpdate not set: %v", out)
				}
				wantTime(t, out, "expiryTime", expiry)
				wantTime(t, out, "expiryNotificationDate", expiry.AddDate(0, 0, -14))
				wantTime(t, out, "lastChangedTime", t0)
			},
		},
		{
			name: "expiryTime with +0000 offset", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false, "expiryTime": expiry.Format("2006-01-02T15:04:05.000-0700")},
			status: 200,
			check:  func(t *testing.T, _ *Emulator, out map[string]any) { wantTime(t, out, "expiryTime", expiry) },
		},
		{
			name: "default expiry from the tenant policy", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false},
			status: 200,
			check: func(t *testing.T, _ *Emulator, out map[string]any) {
				wantTime(t, out, "expiryTime", t0.AddDate(0, 0, 90))
				wantTime(t, out, "expiryNotificationDate", t0.AddDate(0, 0, 76))
			},
		},
		{
			name: "too short", user: UserBob,
			body:   map[string]any{"password": "Sh0rt", "emailPassword": false},
			status: 400, code: "PASSWORD_POLICY_VIOLATION",
		},
		{
			name: "no digit", user: UserBob,
			body:   map[string]any{"password": "NoDigitsHere", "emailPassword": false},
			status: 400, code: "PASSWORD_POLICY_VIOLATION",
		},
		{
			name: "no password and no generate", user: UserBob,
			body:   map[string]any{"emailPassword": false},
			status: 400, code: "PASSWORD_REQUIRED",
		},
		{
			name: "expiry in the past", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false, "expiryTime": t0.Add(-time.Hour).Format(time.RFC3339)},
			status: 400, code: "INVALID_EXPIRY_TIME",
		},
		{
			name: "unknown format", user: UserBob,
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false, "passwordFormat": "MD5"},
			status: 400, code: "INVALID_PASSWORD_FORMAT",
		},
		{
			name: "unknown user", user: "00000000-0000-4000-8000-000000000000",
			body:   map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false},
			status: 404, code: "USER_NOT_FOUND",
		},
		{
			name: "malformed JSON", user: UserBob,
			body:   `{"password": "Chosen-Passw0rd",`,
			status: 400, code: "INVALID_REQUEST",
		},
		{
			name: "wrong JSON type", user: UserBob,
			body:   `{"emailPassword": "no"}`,
			status: 400, code: "INVALID_REQUEST",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tok := h.token()
			code, out := h.do("PUT", pwPath(tc.user), tok, tc.body)
			if tc.status != 200 {
				wantError(t, code, out, tc.status, tc.code)
				if _, ok := h.e.CurrentPassword(UserBob); ok {
					t.Error("a rejected request set a password")
				}
			} else if code != 200 {
				t.Fatalf("got %d %v", code, out)
			}
			emails := h.e.EmailsSent()
			if len(emails) != tc.emails {
				t.Fatalf("emails = %v, want %d", emails, tc.emails)
			}
			if tc.emails == 1 && (emails[0].Kind != tc.emailKind || emails[0].UserID != tc.user || !emails[0].At.Equal(t0)) {
				t.Errorf("email = %+v", emails[0])
			}
			if tc.check != nil {
				tc.check(t, h.e, out)
			}
		})
	}
}

func wantTime(t *testing.T, out map[string]any, field string, want time.Time) {
	t.Helper()
	s, _ := out[field].(string)
	got, err := parseTime(s)
	if err != nil || !got.Equal(want) {
		t.Errorf("%s = %q, want %v", field, s, want)
	}
}

func TestPasswordHistory(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	set := func(pw string, clearHistory bool) (int, map[string]any) {
		return h.do("PUT", pwPath(UserBob), tok, map[string]any{"password": pw, "emailPassword": false, "clearPasswordHistory": clearHistory})
	}
	for _, pw := range []string{"First-Passw0rd", "Second-Passw0rd"} {
		if code, out := set(pw, false); code != 200 {
			t.Fatalf("set %d %v", code, out)
		}
	}
	code, out := set("First-Passw0rd", false)
	wantError(t, code, out, 400, "PASSWORD_HISTORY_VIOLATION")
	if strings.Contains(out["errorMessage"].(string), "First-Passw0rd") {
		t.Error("the error message echoes the password")
	}
	code, out = set("Second-Passw0rd", false) // the current one
	wantError(t, code, out, 400, "PASSWORD_HISTORY_VIOLATION")
	if code, out := set("First-Passw0rd", true); code != 200 {
		t.Fatalf("with clearPasswordHistory: %d %v", code, out)
	}
	// After HistoryDepth other passwords, an old one is accepted again.
	for i := range 5 {
		if code, out := set("Other-Passw0rd-"+string(rune('a'+i)), false); code != 200 {
			t.Fatalf("set %d %v", code, out)
		}
	}
	if code, out := set("First-Passw0rd", false); code != 200 {
		t.Errorf("after %d other passwords: %d %v", 5, code, out)
	}
	if got := h.e.IssuedPasswords(UserBob); len(got) != 9 {
		t.Errorf("IssuedPasswords = %d entries, want 9", len(got))
	}
}

func TestTenantPolicy(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	h.e.SetTenantPolicy(Policy{MinLength: 20, RequireSpecial: true, HistoryDepth: 1})
	code, out := h.do("PUT", pwPath(UserBob), tok, map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false})
	wantError(t, code, out, 400, "PASSWORD_POLICY_VIOLATION")
	code, out = h.do("PUT", pwPath(UserBob), tok, map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false})
	if code != 200 {
		t.Fatalf("generate: %d %v", code, out)
	}
	if np := out["newPassword"].(string); len(np) < 20 {
		t.Errorf("generated %d characters under a 20-character policy", len(np))
	}
	if out["expiryTime"] != nil || out["expiryNotificationDate"] != nil {
		t.Errorf("a policy without expiry reported one: %v", out)
	}
}

func TestBcryptImport(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Passw0rd"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	valid := string(hash)
	ok := func() map[string]any {
		return map[string]any{"passwordFormat": "BCRYPT", "password": valid, "generatePassword": false, "emailPassword": false, "returnPassword": false}
	}
	with := func(k string, v any) map[string]any {
		m := ok()
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		user   string
		body   map[string]any
		status int
		code   string
	}{
		{"valid", UserBob, ok(), 200, ""},
		{"currentPassword null is fine", UserBob, with("currentPassword", json.RawMessage("null")), 200, ""},
		{"not a hash", UserBob, with("password", "Imported-Passw0rd"), 400, "INVALID_BCRYPT_HASH"},
		{"truncated hash", UserBob, with("password", valid[:50]), 400, "INVALID_BCRYPT_HASH"},
		{"no password", UserBob, with("password", nil), 400, "INVALID_BCRYPT_HASH"},
		{"emailPassword absent (defaults to true)", UserBob, with("emailPassword", nil), 400, "BCRYPT_NOT_ALLOWED"},
		{"generatePassword true", UserBob, with("generatePassword", true), 400, "BCRYPT_NOT_ALLOWED"},
		{"returnPassword true", UserBob, with("returnPassword", true), 400, "BCRYPT_NOT_ALLOWED"},
		{"currentPassword given", UserBob, with("currentPassword", "x"), 400, "BCRYPT_NOT_ALLOWED"},
		{"synchronised user", "5ac00000-0000-4000-8000-000000000005", ok(), 400, "BCRYPT_NOT_ALLOWED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.e.AddUser(User{ID: "5ac00000-0000-4000-8000-000000000005", UserID: "sync", Synchronized: true})
			tok := h.token()
			code, out := h.do("PUT", pwPath(tc.user), tok, tc.body)
			if tc.status != 200 {
				wantError(t, code, out, tc.status, tc.code)
				if h.e.PasswordMatches(tc.user, "Imported-Passw0rd") {
					t.Error("a rejected import was applied")
				}
				return
			}
			if code != 200 {
				t.Fatalf("got %d %v", code, out)
			}
			if !h.e.PasswordMatches(UserBob, "Imported-Passw0rd") {
				t.Error("the imported hash does not verify the password")
			}
			if got, ok := h.e.CurrentPasswordHash(UserBob); !ok || got != valid {
				t.Errorf("CurrentPasswordHash = %q, %v", got, ok)
			}
			if _, ok := h.e.CurrentPassword(UserBob); ok {
				t.Error("CurrentPassword reports a cleartext password for a bcrypt import")
			}
			if len(h.e.EmailsSent()) != 0 {
				t.Error("an email was recorded for a bcrypt import")
			}
			// The imported password is in the history.
			code, out = h.do("PUT", pwPath(UserBob), tok, map[string]any{"password": "Imported-Passw0rd", "emailPassword": false})
			wantError(t, code, out, 400, "PASSWORD_HISTORY_VIOLATION")
		})
	}
}

func TestSynchronisedUserNeedsCurrentPassword(t *testing.T) {
	h := newHarness(t)
	const id = "5ac00000-0000-4000-8000-000000000005"
	h.e.AddUser(User{ID: id, UserID: "sync", Synchronized: true})
	h.e.SetPasswordBehindBack(id, "Directory-Passw0rd")
	tok := h.token()
	code, out := h.do("PUT", pwPath(id), tok, map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false})
	wantError(t, code, out, 400, "CURRENT_PASSWORD_INVALID")
	code, out = h.do("PUT", pwPath(id), tok, map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false, "currentPassword": "Directory-Passw0rd"})
	if code != 200 {
		t.Fatalf("with currentPassword: %d %v", code, out)
	}
}

func TestGetAndDeletePassword(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	code, out := h.do("GET", pwPath(UserBob), tok, nil)
	if code != 200 || out["present"] != false || out["lastChangedTime"] != nil {
		t.Fatalf("Bob without a password: %d %v", code, out)
	}
	code, out = h.do("GET", pwPath(UserAlice), tok, nil)
	if code != 200 || out["present"] != true {
		t.Fatalf("Alice: %d %v", code, out)
	}
	if _, ok := out["newPassword"]; ok {
		t.Error("GET returned a password")
	}
	if out["lastChangedTime"] == nil {
		t.Errorf("Alice's seeded password has no lastChangedTime: %v", out)
	}

	// A change behind Terraform's back moves lastChangedTime.
	h.e.Clock.Advance(time.Hour)
	h.e.SetPasswordBehindBack(UserAlice, "Portal-Passw0rd")
	tok = h.token()
	_, out = h.do("GET", pwPath(UserAlice), tok, nil)
	wantTime(t, out, "lastChangedTime", t0.Add(time.Hour))
	if pw, _ := h.e.CurrentPassword(UserAlice); pw != "Portal-Passw0rd" {
		t.Errorf("CurrentPassword = %q", pw)
	}

	if code, _ := h.do("DELETE", pwPath(UserAlice), tok, nil); code != 200 {
		t.Fatalf("DELETE: %d", code)
	}
	if _, out = h.do("GET", pwPath(UserAlice), tok, nil); out["present"] != false {
		t.Errorf("after DELETE: %v", out)
	}
	code, out = h.do("DELETE", pwPath("00000000-0000-4000-8000-000000000000"), tok, nil)
	wantError(t, code, out, 404, "USER_NOT_FOUND")
	code, out = h.do("GET", pwPath("not-a-uuid"), tok, nil)
	wantError(t, code, out, 404, "USER_NOT_FOUND")
}

func TestUsers(t *testing.T) {
	h := newHarness(t)
	h.e.AddUser(User{ID: "e1e00000-0000-4000-8000-000000000005", UserID: "erin", Aliases: []string{"erin@corp"}})
	tok := h.token()
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		id     string
		state  string
		locked bool
	}{
		{"by UUID", "GET", "/api/web/v3/users/" + UserAlice, nil, 200, UserAlice, "ACTIVE", false},
		{"upper-case UUID", "GET", "/api/web/v3/users/" + strings.ToUpper(UserAlice), nil, 200, UserAlice, "ACTIVE", false},
		{"locked", "GET", "/api/web/v3/users/" + UserCarol, nil, 200, UserCarol, "ACTIVE", true},
		{"inactive", "GET", "/api/web/v3/users/" + UserDave, nil, 200, UserDave, "INACTIVE", false},
		{"by login", "POST", "/api/web/v3/users/userid", map[string]string{"userId": "bob"}, 200, UserBob, "ACTIVE", false},
		{"by alias", "POST", "/api/web/v3/users/userid", map[string]string{"userId": "ERIN@corp"}, 200, "e1e00000-0000-4000-8000-000000000005", "ACTIVE", false},
		{"unknown UUID", "GET", "/api/web/v3/users/00000000-0000-4000-8000-000000000000", nil, 404, "", "", false},
		{"unknown login", "POST", "/api/web/v3/users/userid", map[string]string{"userId": "zed"}, 404, "", "", false},
		{"malformed", "POST", "/api/web/v3/users/userid", `{`, 400, "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := h.do(tc.method, tc.path, tok, tc.body)
			switch tc.status {
			case 404:
				wantError(t, code, out, 404, "USER_NOT_FOUND")
				return
			case 400:
				wantError(t, code, out, 400, "INVALID_REQUEST")
				return
			}
			if code != 200 || out["id"] != tc.id || out["state"] != tc.state || out["locked"] != tc.locked {
				t.Errorf("got %d %v", code, out)
			}
		})
	}
	h.e.DeleteUser(UserBob)
	code, out := h.do("GET", "/api/web/v3/users/"+UserBob, tok, nil)
	wantError(t, code, out, 404, "USER_NOT_FOUND")
}

func TestThrottle(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	h.e.SetThrottle(1)
	var last int
	var out map[string]any
	var retryAfter string
	for range 5 {
		req := httptest.NewRequest("GET", pwPath(UserAlice), nil)
		req.Header.Set("Authorization", tok)
		rec := httptest.NewRecorder()
		h.h.ServeHTTP(rec, req)
		last, retryAfter = rec.Code, rec.Header().Get("Retry-After")
		if last == 429 {
			_ = json.Unmarshal(rec.Body.Bytes(), &out)
			break
		}
	}
	wantError(t, last, out, 429, "TOO_MANY_REQUESTS")
	if retryAfter == "" {
		t.Error("no Retry-After on the 429")
	}
}

func TestUnknownRoute(t *testing.T) {
	h := newHarness(t)
	code, out := h.do("GET", "/api/web/v9/nothing", "", nil)
	wantError(t, code, out, 404, "RESOURCE_NOT_FOUND")
}

func TestRequestsRecorded(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	h.do("PUT", pwPath(UserBob), tok, map[string]any{"password": "Chosen-Passw0rd", "emailPassword": false})
	reqs := h.e.Recorder.Match("PUT", "/passwords")
	if len(reqs) != 1 || reqs[0].Status != 200 || !bytes.Contains(reqs[0].Body, []byte(`"emailPassword":false`)) {
		t.Errorf("recorded %+v", reqs)
	}
}
