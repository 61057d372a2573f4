package ocariot

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

// The expected bodies below are copied from the vendors' source, not from
// the emulator's variables, so that a typo in either shows. account/ is
// ocariot/account (6c401faa, release 2.8.0), gateway/ ocariot/api-gateway
// (d2767e0e), base/ nutes-uepb/express-apigw-base-plugin (001b09a0).
const (
	// account/src/utils/strings.ts:21, :90 (literal braces, "24-byte").
	bodyBadID = `{"code":400,"message":"Parameter {user_id} is not in valid format!","description":"A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected."}`
	// account/src/application/domain/validator/reset.password.validator.ts:8-10.
	bodyMissing = `{"code":400,"message":"Required field not provided...","description":"new_password is required!"}`
	// account/.../validator/string.validator.ts:5-13, strings.ts:98-100.
	bodyEmpty     = `{"code":400,"message":"One or more request fields are invalid...","description":"new_password must have at least one character!"}`
	bodyNotString = `{"code":400,"message":"One or more request fields are invalid...","description":"new_password must be a string!"}`
	// account/src/app.ts:143-154, strings.ts:85-86.
	bodyBadJSON = `{"code":400,"message":"Unable to process request body!","description":"Please verify that the JSON provided in the request body has a valid format and try again."}`
	// account/src/ui/controller/user.controller.ts:94-100, strings.ts:17-18.
	bodyNotFound = `{"code":404,"message":"User not found!","description":"User not found or already removed. A new operation for the same resource is not required."}`
	// base/policies/authentication/jwt.js:65-98 (the four 401s).
	bodyNoToken     = `{"code":401,"message":"UNAUTHORIZED","description":"Authentication failed for lack of authentication credentials.","redirect_link":"/auth"}`
	bodyExpired     = `{"code":401,"message":"UNAUTHORIZED","description":"Authentication failed because access token is expired.","redirect_link":"/auth"}`
	bodyTokenIssues = `{"code":401,"message":"UNAUTHORIZED","description":"Authentication failed due to access token issues.","redirect_link":"/auth"}`
	bodyNoConsumer  = `{"code":401,"message":"UNAUTHORIZED","description":"The token user is not properly registered as a consumer at the gateway.","redirect_link":"/auth"}`
	// base/policies/authorization/jwt-scopes.js:27-33.
	bodyForbidden = `{"code":403,"message":"FORBIDDEN","description":"Authorization failed due to insufficient permissions."}`
	// account/src/ui/controller/auth.controller.ts:35-47 (no description).
	bodyBadLogin        = `{"code":401,"message":"Invalid username or password!"}`
	bodyTooManyRequests = `{"code":429,"message":"Too Many Requests","description":"Too many requests, please try again later."}`
)

// unknownUserID is well formed but not seeded.
const unknownUserID = "507f191e810c19729de860ea"

type answer struct {
	status int
	header http.Header
	body   string
}

func post(t *testing.T, srv *httptest.Server, path, token, body string) answer {
	t.Helper()
	return postAs(t, srv, path, token, "", body)
}

// postAs posts body with the content type (application/json when "").
func postAs(t *testing.T, srv *httptest.Server, path, token, contentType, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType == "" {
		contentType = "application/json"
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: strings.TrimSpace(string(b))}
}

func login(t *testing.T, srv *httptest.Server, username, password string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": username, "password": password})
	a := post(t, srv, "/v1/auth", "", string(b))
	if a.status != http.StatusOK {
		t.Fatalf("login as %s: HTTP %d %s", username, a.status, a.body)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(a.body), &out); err != nil || out.AccessToken == "" {
		t.Fatalf("login answer %q: %v", a.body, err)
	}
	return out.AccessToken
}

func resetPath(id string) string { return "/v1/users/" + id + "/reset-password" }

func start(t *testing.T) (*Emulator, *httptest.Server) {
	t.Helper()
	return emutest.Start(t, New())
}

func TestResetPassword_documentedErrors(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	admin := login(t, srv, TestUsername, TestPassword)
	auditor := login(t, srv, TestNoScopeUsername, TestNoScopePassword)
	other, _ := start(t)
	foreign, err := other.IssueToken(TestUsername) // signed with another key
	if err != nil {
		t.Fatal(err)
	}

	wrongIssuer, err := signToken(e.key, claims{Sub: AdminUserID, Iss: "not-ocariot", Iat: time.Now().Unix(),
		Exp: time.Now().Add(time.Hour).Unix(), Scope: ScopeResetPassword})
	if err != nil {
		t.Fatal(err)
	}

	// The order: the gateway's pipeline checks the token, then its scope,
	// before the account service sees the request (gateway/config/gateway.config.yml:1215-1222);
	// the account service parses the body for every route first
	// (account/src/app.ts:96-100), then checks the id, new_password and the
	// user (account/src/application/service/user.service.ts:53-62,
	// user.controller.ts:58-71).
	tests := []struct {
		name        string
		id          string
		token       string
		contentType string // "" is application/json
		body        string
		status      int
		want        string
	}{
		// account/.../validator/object.id.validator.ts:19-24: 24 hex characters.
		{"bad id: too short", "123", admin, "", `{"new_password":"x"}`, 400, bodyBadID},
		{"bad id: not hex", "zzzzzzzzzzzzzzzzzzzzzzzz", admin, "", `{"new_password":"x"}`, 400, bodyBadID},
		{"bad id: 25 characters", ChildUserID + "0", admin, "", `{"new_password":"x"}`, 400, bodyBadID},
		// The body parser's error handler answers before any route (app.ts:96-100, :143-154).
		{"bad JSON comes before the bad id", "123", admin, "", `{"new_password":`, 400, bodyBadJSON},
		// The gateway checks the token before forwarding (gateway.config.yml:1215-1222).
		{"the token comes before the bad id", "123", "", "", `{"new_password":"x"}`, 401, bodyNoToken},
		{"the token comes before bad JSON", "123", "", "", `{"new_password":`, 401, bodyNoToken},
		// The scope before the account service's 404 (jwt-scopes.js:11-19).
		{"the scope comes before the unknown user", unknownUserID, auditor, "", `{"new_password":"x"}`, 403, bodyForbidden},
		// new_password === undefined only (reset.password.validator.ts:8).
		{"missing field: empty object", ChildUserID, admin, "", `{}`, 400, bodyMissing},
		{"missing field: other field", ChildUserID, admin, "", `{"password":"x"}`, 400, bodyMissing},
		{"missing field: no body", ChildUserID, admin, "", ``, 400, bodyMissing},
		// An array is valid JSON for body-parser; it has no new_password.
		{"missing field: an array body", ChildUserID, admin, "", `["x"]`, 400, bodyMissing},
		// Not JSON at all: body-parser leaves {} (app.ts:96-100).
		{"missing field: another content type", ChildUserID, admin, "text/plain", `{"new_password":"x"}`, 400, bodyMissing},
		// null is defined, and no string (string.validator.ts:6-8).
		{"not a string: null", ChildUserID, admin, "", `{"new_password":null}`, 400, bodyNotString},
		{"empty", ChildUserID, admin, "", `{"new_password":""}`, 400, bodyEmpty},
		{"not a string: number", ChildUserID, admin, "", `{"new_password":42}`, 400, bodyNotString},
		{"not a string: array", ChildUserID, admin, "", `{"new_password":["a"]}`, 400, bodyNotString},
		{"not a string: boolean", ChildUserID, admin, "", `{"new_password":true}`, 400, bodyNotString},
		// body-parser's strict JSON: "{" or "[" first (after white space).
		{"bad JSON: truncated", ChildUserID, admin, "", `{"new_password":"x"`, 400, bodyBadJSON},
		{"bad JSON: null", ChildUserID, admin, "", `null`, 400, bodyBadJSON},
		{"bad JSON: white space only", ChildUserID, admin, "", "  \n", 400, bodyBadJSON},
		{"bad JSON: trailing data", ChildUserID, admin, "", `{"new_password":"x"} {}`, 400, bodyBadJSON},
		{"body checks come before the user", unknownUserID, admin, "", `{}`, 400, bodyMissing},
		{"unknown user", unknownUserID, admin, "", `{"new_password":"x"}`, 404, bodyNotFound},
		{"no token", ChildUserID, "", "", `{"new_password":"x"}`, 401, bodyNoToken},
		// Any other token problem: "access token issues" (jwt.js:93-98).
		{"token from another key", ChildUserID, foreign, "", `{"new_password":"x"}`, 401, bodyTokenIssues},
		{"garbage token", ChildUserID, "not.a.jwt", "", `{"new_password":"x"}`, 401, bodyTokenIssues},
		// jwt.js:86 never matches jsonwebtoken's issuer message: the generic 401 too.
		{"wrong issuer", ChildUserID, wrongIssuer, "", `{"new_password":"x"}`, 401, bodyTokenIssues},
		{"missing scope", ChildUserID, auditor, "", `{"new_password":"x"}`, 403, bodyForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := postAs(t, srv, resetPath(tt.id), tt.token, tt.contentType, tt.body)
			if a.status != tt.status || a.body != tt.want {
				t.Errorf("got HTTP %d %s\nwant HTTP %d %s", a.status, a.body, tt.status, tt.want)
			}
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	if pw, _ := e.CurrentPassword(ChildUserID); pw != "" {
		t.Errorf("a refused request changed the password to %q", pw)
	}
	if got := e.IssuedPasswords(ChildUserID); len(got) != 0 {
		t.Errorf("refused requests issued passwords: %q", got)
	}
}

func TestResetPassword_success(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	token := login(t, srv, TestUsername, TestPassword)
	for _, pw := range []string{"first-Passw0rd", "second-Passw0rd"} {
		a := post(t, srv, resetPath(ChildUserID), token, `{"new_password":"`+pw+`"}`)
		if a.status != http.StatusNoContent || a.body != "" {
			t.Fatalf("got HTTP %d %q, want 204 with no body", a.status, a.body)
		}
	}
	if pw, ok := e.CurrentPassword(ChildUserID); !ok || pw != "second-Passw0rd" {
		t.Errorf("CurrentPassword = %q, %v", pw, ok)
	}
	if got, want := e.IssuedPasswords(ChildUserID), []string{"first-Passw0rd", "second-Passw0rd"}; !slices.Equal(got, want) {
		t.Errorf("IssuedPasswords = %q, want %q", got, want)
	}
	// Upper-case hex is the same ObjectId.
	if a := post(t, srv, resetPath(strings.ToUpper(ChildUserID)), token, `{"new_password":"third"}`); a.status != http.StatusNoContent {
		t.Errorf("upper-case id: HTTP %d %s", a.status, a.body)
	}
	if pw, _ := e.CurrentPassword(ChildUserID); pw != "third" {
		t.Errorf("CurrentPassword = %q after the upper-case id", pw)
	}
	// Behind the API's back: current changes, issued does not.
	if !e.SetPasswordBehindBack(ChildUserID, "manual") {
		t.Fatal("SetPasswordBehindBack: user not found")
	}
	if pw, _ := e.CurrentPassword(ChildUserID); pw != "manual" {
		t.Errorf("CurrentPassword = %q after SetPasswordBehindBack", pw)
	}
	if n := len(e.IssuedPasswords(ChildUserID)); n != 3 {
		t.Errorf("IssuedPasswords has %d entries, want 3", n)
	}
	if e.SetPasswordBehindBack(unknownUserID, "x") {
		t.Error("SetPasswordBehindBack reported an unknown user as found")
	}
	if got := e.Recorder.Count(http.MethodPost, "/reset-password"); got != 3 {
		t.Errorf("recorded %d reset-password requests, want 3", got)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	e.Clock.Set(now)

	token := login(t, srv, TestUsername, TestPassword)
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var header map[string]string
	decodePart(t, parts[0], &header)
	if header["alg"] != "RS256" {
		t.Errorf("alg = %q, want RS256", header["alg"])
	}
	var c claims
	decodePart(t, parts[1], &c)
	if c.Sub != AdminUserID || c.Iss != "ocariot" || c.Iat != now.Unix() || c.Exp != now.Add(24*time.Hour).Unix() {
		t.Errorf("claims = %+v", c)
	}
	if !slices.Contains(strings.Fields(c.Scope), "users:resetPassword") {
		t.Errorf("admin scope %q lacks users:resetPassword", c.Scope)
	}
	if e.Logins() != 1 {
		t.Errorf("Logins = %d, want 1", e.Logins())
	}

	// account/.../validator/auth.validator.ts:6-19: username first; a missing
	// one is listed as required ('{0} are required!', strings.ts:96-97), a
	// present one that is no string (null too) or empty fails at once.
	bad := []struct {
		name, body string
		status     int
		want       string
	}{
		{"wrong password", `{"username":"admin","password":"wrong"}`, 401, bodyBadLogin},
		{"unknown user", `{"username":"nobody","password":"` + TestPassword + `"}`, 401, bodyBadLogin},
		{"password of another user", `{"username":"admin","password":"` + TestNoScopePassword + `"}`, 401, bodyBadLogin},
		{"non-string password", `{"username":"admin","password":1}`, 400,
			`{"code":400,"message":"One or more request fields are invalid...","description":"password must be a string!"}`},
		{"null username before a missing password", `{"username":null}`, 400,
			`{"code":400,"message":"One or more request fields are invalid...","description":"username must be a string!"}`},
		{"empty password", `{"username":"admin","password":""}`, 400,
			`{"code":400,"message":"One or more request fields are invalid...","description":"password must have at least one character!"}`},
		{"no password", `{"username":"admin"}`, 400,
			`{"code":400,"message":"Required fields were not provided...","description":"password are required!"}`},
		// The gateway's body parser drops a JSON error (base/policies/body-parser/body-parser.js:14)
		// and its auth-policy re-posts what it parsed (gateway/policies/auth/auth.js:18-53): {}.
		{"bad JSON", `{"username":`, 400,
			`{"code":400,"message":"Required fields were not provided...","description":"username, password are required!"}`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if a := post(t, srv, "/v1/auth", "", tt.body); a.status != tt.status || a.body != tt.want {
				t.Errorf("got HTTP %d %s, want %d %s", a.status, a.body, tt.status, tt.want)
			}
		})
	}
	if e.Logins() != 1 {
		t.Errorf("failed logins were counted: Logins = %d", e.Logins())
	}

	// A password set through the API is the one that logs in afterwards.
	if a := post(t, srv, resetPath(AdminUserID), token, `{"new_password":"rotated-admin"}`); a.status != 204 {
		t.Fatalf("rotating the admin password: HTTP %d %s", a.status, a.body)
	}
	if a := post(t, srv, "/v1/auth", "", `{"username":"admin","password":"`+TestPassword+`"}`); a.status != 401 {
		t.Errorf("old admin password still logs in: HTTP %d", a.status)
	}
	login(t, srv, TestUsername, "rotated-admin")
}

func decodePart(t *testing.T, part string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	e.Clock.Set(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	token := login(t, srv, TestUsername, TestPassword)

	e.Clock.Advance(24*time.Hour - time.Second)
	if a := post(t, srv, resetPath(ChildUserID), token, `{"new_password":"x"}`); a.status != 204 {
		t.Fatalf("one second before expiry: HTTP %d %s", a.status, a.body)
	}
	e.Clock.Advance(time.Second)
	if a := post(t, srv, resetPath(ChildUserID), token, `{"new_password":"y"}`); a.status != 401 || a.body != bodyExpired {
		t.Errorf("at expiry: HTTP %d %s, want 401 %s", a.status, a.body, bodyExpired)
	}
	if pw, _ := e.CurrentPassword(ChildUserID); pw != "x" {
		t.Errorf("an expired token changed the password to %q", pw)
	}
	// A new login gives a token valid for another day.
	fresh := login(t, srv, TestUsername, TestPassword)
	if a := post(t, srv, resetPath(ChildUserID), fresh, `{"new_password":"z"}`); a.status != 204 {
		t.Errorf("fresh token: HTTP %d %s", a.status, a.body)
	}
}

func TestTokenScopeAndSignature(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	auditor := login(t, srv, TestNoScopeUsername, TestNoScopePassword)
	if a := post(t, srv, resetPath(ChildUserID), auditor, `{"new_password":"x"}`); a.status != 403 || a.body != bodyForbidden {
		t.Errorf("no scope: HTTP %d %s", a.status, a.body)
	}

	// Granting the scope in the payload without re-signing must not work.
	parts := strings.Split(auditor, ".")
	var c claims
	decodePart(t, parts[1], &c)
	c.Scope += " " + ScopeResetPassword
	payload, _ := json.Marshal(c)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
	if a := post(t, srv, resetPath(ChildUserID), forged, `{"new_password":"x"}`); a.status != 401 || a.body != bodyTokenIssues {
		t.Errorf("forged scope: HTTP %d %s", a.status, a.body)
	}

	// alg "none" is refused.
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	if a := post(t, srv, resetPath(ChildUserID), none, `{"new_password":"x"}`); a.status != 401 {
		t.Errorf("alg none: HTTP %d %s", a.status, a.body)
	}

	// A token whose user was removed is refused.
	admin := login(t, srv, TestUsername, TestPassword)
	e.DeleteUser(AdminUserID)
	if a := post(t, srv, resetPath(ChildUserID), admin, `{"new_password":"x"}`); a.status != 401 || a.body != bodyNoConsumer {
		t.Errorf("removed user's token: HTTP %d %s", a.status, a.body)
	}
	if pw, _ := e.CurrentPassword(ChildUserID); pw != "" {
		t.Errorf("a refused token changed the password to %q", pw)
	}
}

func TestUserLifecycle(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	token := login(t, srv, TestUsername, TestPassword)
	e.AddUser(unknownUserID)
	if pw, ok := e.CurrentPassword(unknownUserID); !ok || pw != "" {
		t.Errorf("new user: CurrentPassword = %q, %v", pw, ok)
	}
	if a := post(t, srv, resetPath(unknownUserID), token, `{"new_password":"x"}`); a.status != 204 {
		t.Errorf("added user: HTTP %d %s", a.status, a.body)
	}
	e.DeleteUser(unknownUserID)
	if _, ok := e.CurrentPassword(unknownUserID); ok {
		t.Error("deleted user still exists")
	}
	if a := post(t, srv, resetPath(unknownUserID), token, `{"new_password":"x"}`); a.status != 404 || a.body != bodyNotFound {
		t.Errorf("deleted user: HTTP %d %s", a.status, a.body)
	}
	for _, id := range []string{AdminUserID, NoScopeUserID, ChildUserID, EducatorUserID, FamilyUserID} {
		if !isObjectID(id) {
			t.Errorf("seeded id %q is not 24 hex characters", id)
		}
		if _, ok := e.CurrentPassword(id); !ok {
			t.Errorf("seeded user %s missing", id)
		}
	}
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	e, srv := start(t)
	e.SetThrottle(1) // a burst of one: the second immediate request is over
	post(t, srv, "/v1/auth", "", `{}`)
	a := post(t, srv, "/v1/auth", "", `{"username":"admin","password":"`+TestPassword+`"}`)
	if a.status != 429 || a.body != bodyTooManyRequests {
		t.Errorf("got HTTP %d %s, want 429 %s", a.status, a.body, bodyTooManyRequests)
	}
	if a.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if e.Logins() != 0 {
		t.Error("a throttled login issued a token")
	}
}

// TestUnknownRoute: the account service's 404 for a path it has no route
// for (account/src/app.ts:135-141, strings.ts:87: "does not found", sic).
func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	_, srv := start(t)
	want := `{"code":404,"message":"Endpoint /v1/users/` + ChildUserID + `/password does not found!"}`
	if a := post(t, srv, "/v1/users/"+ChildUserID+"/password", "", `{}`); a.status != 404 || a.body != want {
		t.Errorf("unknown route: HTTP %d %s, want 404 %s", a.status, a.body, want)
	}
}
