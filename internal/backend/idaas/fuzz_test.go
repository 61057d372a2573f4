package idaas

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/backend/session"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Secrets the fuzz targets plant: the chosen password and the credentials go
// into requests, and the seeds have the service echo them back in every
// place an answer can carry text. Each is made of characters that JSON
// leaves as they are, so that an echo in a JSON body is the secret itself.
const (
	fzPassword     = "Fuzz-Planted-Passw0rd-7c1e90"
	fzSharedSecret = "fuzz-idaas-shared-secret-3b8d51"
	fzToken        = "fuzz-idaas-auth-token-e04f2a"
	// fzIssued is a password a 2xx answer returns: it may be in state, never in an error.
	fzIssued = "Fuzz-Issued-Passw0rd-51aa07"
	fzUser   = "6d0e4b2a-91c3-4f7e-8a5b-0c1d2e3f4a5b"
)

// fzAuthOK is the documented authenticate answer.
const fzAuthOK = `{"authToken":"` + fzToken + `","expirationTime":"2030-01-02T03:19:05.000+0000","creationTime":"2030-01-02T03:04:05.000+0000"}`

// fzSeeds are documented answers, and hostile ones that echo secrets.
var fzSeeds = []struct {
	status    int
	requestID string
	body      string
}{
	{200, "", `{"expiryNotificationDate":"2030-03-01T00:00:00Z","expiryTime":"2030-04-01T00:00:00.000+0000","forceUpdate":false,"lastChangedTime":"2030-01-02T03:04:05.000+0000","newPassword":null,"present":true}`},
	{200, "", `{"lastChangedTime":"2030-01-02T03:04:05Z","newPassword":"` + fzIssued + `","present":true}`},
	{200, "", `{"id":"` + fzUser + `","userId":"jdoe","state":"ACTIVE","locked":false}`},
	{200, "", fzAuthOK},
	{200, "", `{"newPassword":"` + fzIssued + `","lastChangedTime":12345}`},
	{200, "", `{"newPassword":"` + fzIssued + `"`},
	{200, "", `{"lastChangedTime":"not a time","expiryTime":"2030-13-45T99:99:99+9999"}`},
	{204, "", ``},
	{400, "req-1", `{"errorCode":"PASSWORD_POLICY_VIOLATION","errorMessage":"Password does not satisfy the policy","parameters":[]}`},
	{400, "", `{"errorCode":"INVALID_PASSWORD","errorMessage":"` + fzPassword + ` was used recently","parameters":["` + fzPassword + `"]}`},
	{400, "", `{"errorCode":"` + fzPassword + `","errorMessage":""}`},
	{401, "", `{"errorCode":"AUTHENTICATION_FAILED","errorMessage":"bad shared secret ` + fzSharedSecret + `"}`},
	{401, fzToken, `{"errorCode":"TOKEN_EXPIRED","errorMessage":"token ` + fzToken + ` expired"}`},
	{403, "", `{"errorCode":"ACCESS_DENIED","errorMessage":"USERPASSWORDS:EDIT required"}`},
	{404, "", `{"errorCode":"USER_NOT_FOUND","errorMessage":"User not found"}`},
	{404, "", `<html><body>Not Found</body></html>`},
	{409, "", `{"errorCode":"CONFLICT","errorMessage":"concurrent update"}`},
	{429, "", `{"errorCode":"TOO_MANY_REQUESTS"}`},
	{500, fzSharedSecret, `<html>` + strings.Repeat("x", 190) + fzPassword + `</html>`},
	{502, "\xff\xfe\x1b[2J", "\xff\xfe upstream \x1b[31m" + fzPassword},
	{503, strings.Repeat("r", 5000), strings.Repeat("{", 10000)},
	{599, "", `null`},
	{500, "", "Fuzz-Planted-\xc0Passw0rd-7c1e90 (an invalid byte inside the secret)"},
}

// checkFuzzError is backendtest.CheckError with this backend's rule: a missing user is an answer 404 in the documented shape.
func checkFuzzError(t *testing.T, err error, secrets ...string) {
	t.Helper()
	backendtest.CheckError(t, err, Name, backendtest.NotFoundByStatus, secrets...)
}

// FuzzIDaaSAPIError feeds arbitrary answers to the error mapping.
func FuzzIDaaSAPIError(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(s.status, uint8(i), s.requestID, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, kind uint8, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		h := http.Header{}
		h["X-Request-Id"] = []string{requestID}
		e := (&Backend{}).apiError("set the password of user "+fzUser, opKind(kind%6), &transport.Response{StatusCode: status, Header: h, Body: body},
			fzPassword, fzSharedSecret, fzToken)
		if e == nil {
			t.Fatal("no error for a failed call")
		}
		if e.StatusCode != status {
			t.Fatalf("status %d reported as %d", status, e.StatusCode)
		}
		checkFuzzError(t, e, fzPassword, fzSharedSecret, fzToken)
	})
}

// FuzzIDaaSResponses sends real calls to a server that answers with the fuzz
// input: the authenticate answer (target 0) or the answer to a set, a
// server-generated set, a reset or a read (targets 1 to 4). Whatever comes
// back, the backend returns a result or an error that passes
// checkFuzzError, and a 2xx answer's password never ends up in an error.
func FuzzIDaaSResponses(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(uint8(i), s.status, s.requestID, []byte(s.body))
	}
	// The authenticate call and every other call get answers of their own.
	srv := backendtest.NewFuzzServer(f, backendtest.ByPath(map[string]string{"/api/web/v1/adminapi/authenticate": "auth"}))
	b, err := New(Config{URL: srv.URL, ApplicationID: "fuzz-app", SharedSecret: fzSharedSecret},
		transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target uint8, status int, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		fuzzed := backendtest.Answer{Status: status, Header: backendtest.RequestID(requestID), Body: body}
		ok := backendtest.Answer{Status: 200, Body: []byte(fzAuthOK)}
		target %= 5
		if target == 0 {
			srv.Set(map[string]backendtest.Answer{"auth": fuzzed, "": {Status: 200, Body: []byte(`{"lastChangedTime":"2030-01-02T03:04:05Z"}`)}})
		} else {
			srv.Set(map[string]backendtest.Answer{"auth": ok, "": fuzzed})
		}
		// A new token source each time, so that the authenticate call is made.
		b.tokens = session.New(b.authenticate, b.cfg.Now)
		ctx := context.Background()
		var err error
		// The secrets this call holds: the password only with a chosen one.
		// The token is sent once an authenticate answer issued it; when that
		// answer is the fuzzed one, it is a secret if the answer is a 2xx or
		// still holds it under its documented name (an issued token with an
		// error status), and otherwise just text the service chose to send.
		secrets := []string{fzSharedSecret}
		if target != 0 || status < 300 || strings.Contains(string(body), `"authToken":"`+fzToken) {
			secrets = append(secrets, fzToken)
		}
		if target <= 1 {
			secrets = append(secrets, fzPassword) // targets 0 and 1 set a chosen password
		}
		if status < 300 {
			secrets = append(secrets, fzIssued)
		}
		switch target {
		case 0, 1:
			_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: fzUser, Password: fzPassword})
		case 2:
			_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: fzUser, Generate: true})
		case 3:
			_, err = b.ResetPassword(ctx, backend.ResetInput{UserID: fzUser})
		case 4:
			_, err = b.ReadUser(ctx, fzUser)
		}
		checkFuzzError(t, err, secrets...)
	})
}

// FuzzIDaaSValidateUserID checks that an id the backend accepts is one path
// segment on the wire: escaped, nothing that ends the path, no dot segment.
func FuzzIDaaSValidateUserID(f *testing.F) {
	for _, id := range []string{fzUser, "", "../x", "..", "%2e%2e", "a/b", fzUser + "/..", fzUser + "?x", " " + fzUser, "6D0E4B2A-91C3-4F7E-8A5B-0C1D2E3F4A5B"} {
		f.Add(id)
	}
	b := &Backend{base: "https://tenant.example"}
	// The messages never repeat the id: there is one per kind of mistake.
	messages := map[string]bool{}
	for _, id := range []string{"", " ", "jdoe"} {
		messages[b.ValidateUserID(id).Error()] = true
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := b.ValidateUserID(id)
		if err != nil {
			if !messages[err.Error()] {
				t.Fatalf("an unexpected message, which may repeat the id: %v", err)
			}
			return
		}
		backendtest.CheckOneSegment(t, b.url("/api/web/v1/users/"+transport.PathEscape(id)+"/passwords"), "/api/web/v1/users/", id, "/passwords")
	})
}

// TestIDaaSUserIDPathEscapedOnTheWire sends a set with an id that
// ValidateUserID would refuse, straight to the request code, and checks what
// reached the server: the id stays one escaped segment ("../x" → "..%2Fx").
func TestIDaaSUserIDPathEscapedOnTheWire(t *testing.T) {
	srv := backendtest.NewWireServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/authenticate") {
			_, _ = w.Write([]byte(fzAuthOK))
			return
		}
		_, _ = w.Write([]byte(`{"lastChangedTime":"2030-01-02T03:04:05Z"}`))
	})
	b, err := New(Config{URL: srv.URL, ApplicationID: "fuzz-app", SharedSecret: fzSharedSecret}, transport.Config{MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	srv.Check(t, func(id string) error {
		_, err := b.putPassword(context.Background(), "set", opSetPassword, id, passwordRequest{Password: fzPassword})
		return err
	}, map[string]string{
		"../x":          "PUT /api/web/v1/users/..%2Fx/passwords",
		"a/b?c#d":       "PUT /api/web/v1/users/a%2Fb%3Fc%23d/passwords",
		"%2e%2e":        "PUT /api/web/v1/users/%252e%252e/passwords",
		"..":            "PUT /api/web/v1/users/../passwords", // not escaped by PathEscape: ValidateUserID must refuse it
		"ü x":           "PUT /api/web/v1/users/%C3%BC%20x/passwords",
		"..\\admin":     "PUT /api/web/v1/users/..%5Cadmin/passwords",
		fzUser + "/../": "PUT /api/web/v1/users/" + fzUser + "%2F..%2F/passwords",
	})
	if b.ValidateUserID("..") == nil {
		t.Error(`ValidateUserID accepts "..", which PathEscape leaves as a dot segment`)
	}
}

// TestIDaaSSecretNotCutInPart: a secret that an answer echoes across the
// point where the body's preview or the request id is cut leaves no part
// behind.
func TestIDaaSSecretNotCutInPart(t *testing.T) {
	h := http.Header{"X-Request-Id": {strings.Repeat("r", 100) + fzSharedSecret}}
	body := strings.Repeat("x", 170) + fzPassword
	e := (&Backend{}).apiError("set", opSetPassword, &transport.Response{StatusCode: 502, Header: h, Body: []byte(body)}, fzPassword, fzSharedSecret)
	if strings.Contains(e.Error(), fzPassword[:8]) || strings.Contains(e.Error(), fzSharedSecret[:8]) {
		t.Fatalf("part of a secret is left: %s", e.Error())
	}
}
