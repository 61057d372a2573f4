package ocariot

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/backend/session"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Secrets the fuzz targets plant: the login password goes into the login
// request, the token and the chosen password into the set. The seeds have
// the service echo them in every place an answer carries text.
const (
	fzLoginPassword = "Fuzz-Login-Passw0rd-0a77c3"
	fzPassword      = "Fuzz-Planted-Passw0rd-92be1d"
	fzUser          = "5a62be07d6f33400146c9b61"
)

// fzToken is the token the documented login answer carries: a JWT whose
// exp is far ahead.
var fzToken = "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"fz","exp":4102444800,"scope":"users:resetPassword"}`)) + ".c2lnbmF0dXJl"

var fzSeeds = []struct {
	status    int
	requestID string
	body      string
}{
	{200, "", `{"access_token":"` + fzToken + `"}`},
	{204, "", ``},
	{200, "", `{"access_token":"a.b.c"}`},
	{200, "", `{"access_token":"x.` + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":1e308}`)) + `.y"}`},
	{200, "", `{"access_token":"x.` + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":-5}`)) + `.y"}`},
	{200, "", `{"access_token":"x.` + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":"soon"}`)) + `.y"}`},
	{200, "", `{"access_token":` + "7}"},
	{200, "", `{"access_token":"` + fzToken + `"`},
	{400, "", `{"code":400,"message":"Parameter {user_id} is not in valid format!","description":"A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected."}`},
	{400, "", `{"code":400,"message":"One or more request fields are invalid...","description":"new_password must have at least one character!"}`},
	{400, "", `{"code":"` + fzPassword + `","message":"` + fzPassword + `","description":"` + fzLoginPassword + `"}`},
	{401, "", `{"code":401,"message":"Invalid username or password!"}`},
	{401, fzToken, `{"code":401,"message":"UNAUTHORIZED","description":"token ` + fzToken + ` expired","redirect_link":"/auth"}`},
	{403, "", `{"code":403,"message":"FORBIDDEN","description":"Authorization failed due to insufficient permissions."}`},
	{404, "", `{"code":404,"message":"User not found!","description":"User not found or already removed. A new operation for the same resource is not required."}`},
	{404, "", `<html>Cannot POST /v1/users/x/reset-password</html>`},
	{429, "", `{"code":429,"message":"Too Many Requests"}`},
	{500, fzPassword, `<html>` + strings.Repeat("x", 170) + fzPassword + `</html>`},
	{502, "\xff\xfe\x1b[2J", "\xff\xfe upstream \x1b[31m" + fzPassword},
	{503, strings.Repeat("r", 4000), strings.Repeat("{", 10000)},
	{504, "", `{"code":"\u001b[2J` + "\xff" + `","message":"x"}`},
	{502, "", "Fuzz-Planted-\xc0Passw0rd-92be1d (an invalid byte inside the secret)"},
}

// checkFuzzError is backendtest.CheckError with this backend's rule: a missing user is an answer 404 in the documented shape.
func checkFuzzError(t *testing.T, err error, secrets ...string) {
	t.Helper()
	backendtest.CheckError(t, err, name, backendtest.NotFoundByStatus, secrets...)
}

// holding is a token cache that holds token, as after a login.
func holding(tb testing.TB, token string) *session.Cache {
	c := session.New(func(context.Context) (string, time.Time, error) { return token, time.Time{}, nil }, time.Now)
	if _, err := c.Token(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return c
}

// FuzzOCARIoTAPIError feeds arbitrary answers to the error mapping, for the
// login call and for a call made with a logged-in or a configured token.
func FuzzOCARIoTAPIError(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(uint8(i), s.status, s.requestID, []byte(s.body))
	}
	login := &Backend{cfg: Config{Password: fzLoginPassword}, now: time.Now, tokens: holding(f, fzToken)}
	fixed := &Backend{cfg: Config{AccessToken: fzToken}, now: time.Now}
	f.Fuzz(func(t *testing.T, which uint8, status int, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		h := http.Header{}
		h["X-Request-Id"] = []string{requestID}
		b := login
		if which%3 == 2 {
			b = fixed
		}
		err := b.apiError("set the password of user "+fzUser, &transport.Response{StatusCode: status, Header: h, Body: body}, which%3 == 0, fzPassword)
		var ae *backend.APIError
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Fatalf("status %d mapped to %v", status, err)
		}
		// The backend with a configured token has no login password: the
		// string is just text to it, as any other the service sends.
		secrets := []string{fzPassword, fzToken}
		if b == login {
			secrets = append(secrets, fzLoginPassword)
		}
		checkFuzzError(t, err, secrets...)
	})
}

// FuzzOCARIoTTokenExpiry reads arbitrary tokens (a configured access_token,
// a login answer's): never a panic, and an expiry only for a positive exp.
func FuzzOCARIoTTokenExpiry(f *testing.F) {
	for _, tok := range []string{fzToken, "", "a.b.c", "..", "a.b", "a.b.c.d", "x.eyJleHAiOjF9.y", "x.eyJleHAiOjFlMzA4fQ.y", "x.e30=.y", "x.!!!.y"} {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		exp, ok := tokenExpiry(tok)
		if ok && (exp.Unix() <= 0 || exp.Year() > 5200) {
			t.Fatalf("expiry %v read from a token", exp)
		}
		_ = renewTime(context.Background(), tok, time.Now())
	})
}

// FuzzOCARIoTResponses sets a password through a server that answers the
// login (target 0) or the set (target 1, and target 2 with a configured
// access token) with the fuzz input.
func FuzzOCARIoTResponses(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(uint8(i), s.status, s.requestID, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, backendtest.ByPath(map[string]string{"/v1/auth": "login"}))
	tc := transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second}
	login, err := New(Config{URL: srv.URL, Username: "fz-admin", Password: fzLoginPassword}, tc)
	if err != nil {
		f.Fatal(err)
	}
	fixed, err := New(Config{URL: srv.URL, AccessToken: fzToken}, tc)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target uint8, status int, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		fuzzed := backendtest.Answer{Status: status, Header: backendtest.RequestID(requestID), Body: body}
		loggedIn := backendtest.Answer{Status: 200, Body: []byte(`{"access_token":"` + fzToken + `"}`)}
		b := login
		secrets := []string{fzLoginPassword, fzToken, fzPassword}
		switch target % 3 {
		case 0:
			srv.Set(map[string]backendtest.Answer{"login": fuzzed, "": {Status: 204}})
			// A login answer's token is a secret when it comes with a 2xx;
			// fzToken is not sent before the login, so it only counts then.
			if status >= 300 {
				secrets = []string{fzLoginPassword}
			}
		case 1:
			srv.Set(map[string]backendtest.Answer{"login": loggedIn, "": fuzzed})
		case 2:
			srv.Set(map[string]backendtest.Answer{"login": loggedIn, "": fuzzed})
			b = fixed
			// The backend with a configured token has no login password: the
			// string is just text to it, as in FuzzOCARIoTAPIError (the input
			// f1293020542cd8b6 is an answer made of it).
			secrets = []string{fzToken, fzPassword}
		}
		login.tokens = session.New(login.login, login.now)
		_, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: fzUser, Password: fzPassword})
		checkFuzzError(t, err, secrets...)
	})
}

// FuzzOCARIoTValidateUserID: an id the backend accepts is 24 hex
// characters, which path escaping leaves as they are.
func FuzzOCARIoTValidateUserID(f *testing.F) {
	for _, id := range []string{fzUser, "", "../x", "507f191e810c19729de860e%", "507f191e810c19729de860e/", "507F191E810C19729DE860EA", strings.Repeat("g", 24), "\xff"} {
		f.Add(id)
	}
	b := &Backend{}
	f.Fuzz(func(t *testing.T, id string) {
		if err := b.ValidateUserID(id); err != nil {
			if !errors.Is(err, errUserID) {
				t.Fatalf("an unexpected error: %v", err)
			}
			return
		}
		if len(id) != 24 || transport.PathEscape(id) != id || strings.Trim(id, "0123456789abcdefABCDEF") != "" {
			t.Fatalf("accepted id %q is not 24 hex characters", id)
		}
	})
}

// TestOCARIoTUserIDOnTheWire: the only ids that reach a request are 24 hex
// characters, sent as they are; every hostile id is refused before any
// request.
func TestOCARIoTUserIDOnTheWire(t *testing.T) {
	srv := backendtest.NewWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/auth" {
			_, _ = w.Write([]byte(`{"access_token":"` + fzToken + `"}`))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	b, err := New(Config{URL: srv.URL, Username: "fz-admin", Password: fzLoginPassword}, transport.Config{MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../x", "507f191e810c19729de8/../", "507f191e810c19729de860e%", "%35%30%37f191e810c19729de860ea", "507f191e810c19729de860ea/"} {
		if _, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: id, Password: fzPassword}); !errors.Is(err, errUserID) {
			t.Errorf("id %q: %v", id, err)
		}
	}
	if got := srv.Seen(); len(got) != 0 {
		t.Fatalf("hostile ids sent requests: %q", got)
	}
	if _, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: fzUser, Password: fzPassword}); err != nil {
		t.Fatal(err)
	}
	if want, got := "POST /v1/users/"+fzUser+"/reset-password", srv.Seen(); len(got) != 2 || got[1] != want {
		t.Fatalf("requests %q, want the login then %q", got, want)
	}
}

// TestOCARIoTSecretNotCutInPart: a secret that an answer echoes across the
// point where the preview of the body is cut leaves no part behind.
func TestOCARIoTSecretNotCutInPart(t *testing.T) {
	b := &Backend{cfg: Config{Password: fzLoginPassword}, now: time.Now, tokens: session.New(nil, time.Now)}
	body := strings.Repeat("x", 190) + fzPassword
	h := http.Header{"X-Request-Id": {strings.Repeat("r", 110) + fzLoginPassword}}
	err := b.apiError("set", &transport.Response{StatusCode: 502, Header: h, Body: []byte(body)}, false, fzPassword)
	if strings.Contains(err.Error(), fzPassword[:8]) || strings.Contains(err.Error(), fzLoginPassword[:8]) {
		t.Fatalf("part of the secret is left: %s", err.Error())
	}
}
