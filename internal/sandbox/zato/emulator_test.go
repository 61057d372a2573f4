package zato

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func (a answer) subStatus() []string {
	var out []string
	list, _ := a.body["sub_status"].([]any)
	for _, v := range list {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func call(t *testing.T, srv *httptest.Server, method, path string, body map[string]any, query url.Values) answer {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	} else {
		rd = bytes.NewReader(nil)
	}
	u := srv.URL + path
	if query != nil {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	a := answer{status: resp.StatusCode, raw: buf.String()}
	_ = json.Unmarshal(buf.Bytes(), &a.body)
	return a
}

func newServer(t *testing.T) (*Emulator, *httptest.Server) {
	t.Helper()
	e := NewAt(t0)
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return e, srv
}

func login(t *testing.T, srv *httptest.Server, username, password string) string {
	t.Helper()
	a := call(t, srv, http.MethodPost, "/zato/sso/user/login",
		map[string]any{"username": username, "password": password, "current_app": TestCurrentApp}, nil)
	ust, _ := a.body["ust"].(string)
	if a.status != http.StatusOK || a.body["status"] != "ok" || ust == "" {
		t.Fatalf("login as %s: HTTP %d %s", username, a.status, a.raw)
	}
	return ust
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name          string
		user, pw, app string
		wantOK        bool
	}{
		{"super-user", TestUsername, TestPassword, TestCurrentApp, true},
		{"regular user", AliceUsername, AlicePassword, TestCurrentApp, true},
		{"other configured app", TestUsername, TestPassword, "Portal", true},
		{"wrong password", TestUsername, "Not-The-Password-1", TestCurrentApp, false},
		{"unknown user", "mallory", TestPassword, TestCurrentApp, false},
		{"unknown current_app", TestUsername, TestPassword, "NoSuchApp", false},
		{"locked user", CarolUsername, CarolPassword, TestCurrentApp, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, srv := newServer(t)
			a := call(t, srv, http.MethodPost, "/zato/sso/user/login",
				map[string]any{"username": tt.user, "password": tt.pw, "current_app": tt.app}, nil)
			if tt.wantOK {
				if a.status != 200 || a.body["ust"] == "" || a.body["cid"] == "" || e.Logins() != 1 {
					t.Fatalf("HTTP %d %s, logins %d", a.status, a.raw, e.Logins())
				}
				return
			}
			if a.status != 403 || a.body["status"] != "error" || !slices.Equal(a.subStatus(), []string{CodeNotAllowed}) || a.body["cid"] == "" {
				t.Fatalf("HTTP %d %s", a.status, a.raw)
			}
			if e.Logins() != 0 {
				t.Fatalf("logins %d", e.Logins())
			}
		})
	}
}

func TestChangePassword(t *testing.T) {
	long := strings.Repeat("Ab1-", 64) + "x" // 257 characters
	tests := []struct {
		name      string
		asAlice   bool
		ust       string
		advance   time.Duration
		body      map[string]any
		wantCodes []string
		wantHTTP  int
		wantDays  int
	}{
		{name: "super-user sets, default expiry", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42"}, wantDays: DefaultPasswordExpiryDays},
		{name: "expiry in days", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42", "password_expiry": 30}, wantDays: 30},
		{name: "expiry as a string", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42", "password_expiry": "7"}, wantDays: 7},
		{name: "negative expiry takes the default", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42", "password_expiry": -3}, wantDays: DefaultPasswordExpiryDays},
		{name: "too short", body: map[string]any{"user_id": AliceUserID, "new_password": "Ab1-x"}, wantCodes: []string{CodePasswordTooShort}},
		{name: "too long", body: map[string]any{"user_id": AliceUserID, "new_password": long}, wantCodes: []string{CodePasswordTooLong}},
		{name: "reject list, any case", body: map[string]any{"user_id": AliceUserID, "new_password": "My-PassWord-2025"}, wantCodes: []string{CodePasswordRejected}},
		{name: "reject list: zato", body: map[string]any{"user_id": AliceUserID, "new_password": "I-love-Zato-99"}, wantCodes: []string{CodePasswordRejected}},
		{name: "short and rejected", body: map[string]any{"user_id": AliceUserID, "new_password": "qwerty"}, wantCodes: []string{CodePasswordTooShort, CodePasswordRejected}},
		{name: "must_change is refused here", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42", "must_change": true}, wantCodes: []string{CodeNotAllowed}},
		{name: "unknown user", body: map[string]any{"user_id": "zusrnosuchuser", "new_password": "Brand-New-Pass-42"}, wantCodes: []string{CodeInvalidUserID}},
		{name: "regular user on another user", asAlice: true, body: map[string]any{"user_id": BobUserID, "new_password": "Brand-New-Pass-42"}, wantCodes: []string{CodeSuperUserRequired}},
		{name: "unknown session", ust: "gAAAAAnot-a-session", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42"}, wantCodes: []string{CodeNoSuchSession}},
		{name: "expired session", advance: 61 * time.Minute, body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42"}, wantCodes: []string{CodeSessionExpired}},
		{name: "session at 59 minutes", advance: 59 * time.Minute, body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42"}, wantDays: DefaultPasswordExpiryDays},
		{name: "unknown current_app", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42", "current_app": "Nope"}, wantCodes: []string{CodeNotAllowed}},
		{name: "no new_password", body: map[string]any{"user_id": AliceUserID}, wantHTTP: 400},
		{name: "expiry not an integer", body: map[string]any{"user_id": AliceUserID, "new_password": "Brand-New-Pass-42", "password_expiry": "soon"}, wantHTTP: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, srv := newServer(t)
			ust := login(t, srv, TestUsername, TestPassword)
			if tt.asAlice {
				ust = login(t, srv, AliceUsername, AlicePassword)
			}
			if tt.ust != "" {
				ust = tt.ust
			}
			e.Clock.Advance(tt.advance)
			body := map[string]any{"ust": ust, "current_app": TestCurrentApp}
			for k, v := range tt.body {
				body[k] = v
			}
			a := call(t, srv, http.MethodPatch, "/zato/sso/user/password", body, nil)
			before := []string{AlicePassword}
			switch {
			case tt.wantHTTP != 0:
				if a.status != tt.wantHTTP {
					t.Fatalf("HTTP %d %s", a.status, a.raw)
				}
			case tt.wantCodes != nil:
				if a.status != 403 || a.body["status"] != "error" || !slices.Equal(a.subStatus(), tt.wantCodes) {
					t.Fatalf("HTTP %d %s, want 403 %v", a.status, a.raw, tt.wantCodes)
				}
			default:
				if a.status != 200 || a.body["status"] != "ok" {
					t.Fatalf("HTTP %d %s", a.status, a.raw)
				}
				u, _ := e.GetUser(AliceUserID)
				now := t0.Add(tt.advance)
				if u.Password != tt.body["new_password"] || !u.PasswordLastSet.Equal(now) ||
					!u.PasswordExpiry.Equal(now.AddDate(0, 0, tt.wantDays)) {
					t.Fatalf("user after set: %+v", u)
				}
				before = append(before, u.Password)
			}
			if got := e.IssuedPasswords(AliceUserID); !slices.Equal(got, before) {
				t.Fatalf("issued passwords %v, want %v", got, before)
			}
		})
	}
}

func TestMustChangeAndRead(t *testing.T) {
	e, srv := newServer(t)
	ust := login(t, srv, TestUsername, TestPassword)

	a := call(t, srv, http.MethodPatch, "/zato/sso/user",
		map[string]any{"ust": ust, "current_app": TestCurrentApp, "user_id": AliceUserID, "password_must_change": true}, nil)
	if a.status != 200 {
		t.Fatalf("HTTP %d %s", a.status, a.raw)
	}
	if u, _ := e.GetUser(AliceUserID); !u.MustChange {
		t.Fatal("must-change not set")
	}

	// A regular user may not set the flag.
	aliceUST := login(t, srv, AliceUsername, AlicePassword)
	a = call(t, srv, http.MethodPatch, "/zato/sso/user",
		map[string]any{"ust": aliceUST, "current_app": TestCurrentApp, "user_id": AliceUserID, "password_must_change": false}, nil)
	if a.status != 403 || !slices.Equal(a.subStatus(), []string{CodeSuperUserRequired}) {
		t.Fatalf("HTTP %d %s", a.status, a.raw)
	}
	a = call(t, srv, http.MethodPatch, "/zato/sso/user",
		map[string]any{"ust": ust, "current_app": TestCurrentApp, "user_id": "zusrmissing", "password_must_change": false}, nil)
	if a.status != 403 || !slices.Equal(a.subStatus(), []string{CodeInvalidUserID}) {
		t.Fatalf("HTTP %d %s", a.status, a.raw)
	}

	e.Clock.Set(t0.Add(1500 * time.Microsecond))
	e.SetPasswordBehindBack(AliceUserID, "Changed-Behind-Back-1")

	// Read by query string and by JSON body: the same user.
	byQuery := call(t, srv, http.MethodGet, "/zato/sso/user", nil,
		url.Values{"ust": {ust}, "current_app": {TestCurrentApp}, "user_id": {AliceUserID}})
	byBody := call(t, srv, http.MethodGet, "/zato/sso/user",
		map[string]any{"ust": ust, "current_app": TestCurrentApp, "user_id": AliceUserID}, nil)
	for name, a := range map[string]answer{"query": byQuery, "body": byBody} {
		if a.status != 200 || a.body["user_id"] != AliceUserID || a.body["username"] != AliceUsername ||
			a.body["password_must_change"] != true || a.body["is_active"] != true || a.body["is_locked"] != false ||
			a.body["password_last_set"] != "2025-03-01T12:00:00.001500" ||
			a.body["password_expiry"] != "2027-03-01T12:00:00" { // seeded at t0 with the default 730 days
			t.Fatalf("by %s: HTTP %d %s", name, a.status, a.raw)
		}
		if strings.Contains(a.raw, "Changed-Behind-Back-1") {
			t.Fatal("GET returned the password")
		}
	}

	// Locked users read as locked; deleted users are unknown.
	a = call(t, srv, http.MethodGet, "/zato/sso/user", nil, url.Values{"ust": {ust}, "current_app": {TestCurrentApp}, "user_id": {CarolUserID}})
	if a.body["is_locked"] != true {
		t.Fatalf("carol: %s", a.raw)
	}
	e.DeleteUser(AliceUserID)
	a = call(t, srv, http.MethodGet, "/zato/sso/user", nil, url.Values{"ust": {ust}, "current_app": {TestCurrentApp}, "user_id": {AliceUserID}})
	if a.status != 403 || !slices.Equal(a.subStatus(), []string{CodeInvalidUserID}) {
		t.Fatalf("deleted user: HTTP %d %s", a.status, a.raw)
	}
}

func TestThrottleAndRecording(t *testing.T) {
	e, srv := newServer(t)
	e.SetThrottle(1)
	var limited answer
	for range 5 {
		if a := call(t, srv, http.MethodPost, "/zato/sso/user/login",
			map[string]any{"username": TestUsername, "password": TestPassword, "current_app": TestCurrentApp}, nil); a.status == 429 {
			limited = a
		}
	}
	if limited.status != 429 || limited.body["status"] != "error" || limited.body["cid"] == "" || e.Throttled() == 0 {
		t.Fatalf("throttle: %+v", limited)
	}
	if got := e.Recorder.Count(http.MethodPost, "/zato/sso/user/login"); got != 5 {
		t.Fatalf("recorded %d logins", got)
	}
	if len(e.IssuedUSTs()) != e.Logins() {
		t.Fatalf("%d USTs for %d logins", len(e.IssuedUSTs()), e.Logins())
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want []string
	}{
		{"Abcdefg1", nil},
		{"Abcdef1", []string{CodePasswordTooShort}},
		{"ééééééééé", nil}, // characters, not bytes
		{strings.Repeat("x", 256), nil},
		{strings.Repeat("x", 257), []string{CodePasswordTooLong}},
		{"xx123456xx", []string{CodePasswordRejected}},
		{"QWERTYuiop", []string{CodePasswordRejected}},
		{TestPassword, nil},
		{AlicePassword, nil},
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.pw); !slices.Equal(got, tt.want) {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.pw, got, tt.want)
		}
	}
}
