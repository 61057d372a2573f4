package zato

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Secrets the fuzz targets plant: the super-user's password goes into the
// login, the session token (UST) and the new password into the calls. The
// seeds have the service echo them in every place an answer carries text.
const (
	fzSuperPassword = "Fuzz-Super-User-Passw0rd-1c0b"
	fzUST           = "fuzz-ust-0a1b2c3d4e5f60718293a4b5"
	fzPassword      = "Fuzz-Planted-Passw0rd-e7d2c4"
	// fzIssued is a password the zato command prints: it may be in state,
	// never in an error.
	fzIssued = "Fz-Issued-Pw-Url-Safe_b64-0123456"
	fzUser   = "zusr3x1fuzz0000000000000001"
)

var fzSeeds = []struct {
	status int
	body   string
}{
	{200, `{"status":"ok","cid":"cid-1","ust":"` + fzUST + `"}`},
	{200, `{"status":"warning","sub_status":["E004004"],"cid":"cid-2","ust":"` + fzUST + `"}`},
	{200, `{"status":"ok","cid":"cid-3"}`},
	{200, `{"status":"ok","cid":"cid-4","user_id":"` + fzUser + `","username":"alice","password_expiry":"2027-01-02T03:04:05.123456","password_last_set":"2025-01-02 03:04:05",` +
		`"password_must_change":"yes","password_is_set":true,"is_locked":false,"is_active":1}`},
	{200, `{"status":"ok","password_last_set":"yesterday"}`},
	{200, `{"status":"ok","password_expiry":"2025-01-02T03:04:05+0530","is_active":"maybe"}`},
	{200, `{"status":"error","sub_status":"E007002","cid":"cid-5"}`},
	{200, `{"cid":"cid-5a","status":"error","sub_status":["E004001"]}`},
	{200, `{"status":"ok","cid":"cid-5b","total":0,"result":[]}`},
	{200, `{"status":"ok","cid":"cid-5c","total":1,"result":[{"user_id":"` + fzUser + `","username":"admin1"}]}`},
	{200, `{"cid":"cid-5d","sub_status":[]}`},
	{400, `{"result":"Error","cid":"cid-5e","details":"Bad request"}`},
	{500, `{"result":"Error","cid":"` + fzUST + `","details":"` + fzPassword + `"}`},
	{200, `not json ` + fzUST},
	{200, `{"status":"ok","ust":7}`},
	{403, `{"cid":"cid-6","status":"error","sub_status":["E003001","E003002"]}`},
	{403, `{"cid":"cid-7","status":"error","sub_status":["E005001"]}`},
	{403, `{"cid":"cid-8","status":"error","sub_status":["E007001"]}`},
	{403, `{"cid":"cid-9","status":"error","sub_status":["E008002"]}`},
	{403, `{"cid":"` + fzUST + `","status":"error","sub_status":["` + fzPassword + `","` + fzSuperPassword + `","` + fzUST + `"]}`},
	{403, `{"cid":"\u001b[2J","status":"error","sub_status":["\u001b]0;pwned\u0007E003001"]}`},
	{403, `{"status":"error","sub_status":{"a":1}}`},
	{403, `{"status":"error"}`},
	{404, `<html>Not Found</html>`},
	{429, `{"status":"error","sub_status":[]}`},
	{500, `<html>` + strings.Repeat("x", 180) + fzPassword + `</html>`},
	{502, "\xff\xfe upstream \x1b[31m" + fzSuperPassword},
	{503, strings.Repeat("{", 10000)},
	{502, "Fuzz-Planted-\xc0Passw0rd-e7d2c4 (an invalid byte inside the secret)"},
}

// checkFuzzError is backendtest.CheckError with this backend's rule: a
// user is missing only where the super-user search found none (REST: after
// an E005001, or before a set) or the command's exit code is 22 (CLI).
func checkFuzzError(t *testing.T, err error, backendName string, secrets ...string) {
	t.Helper()
	backendtest.CheckError(t, err, backendName, func(ae *backend.APIError) bool {
		searched := strings.Contains(ae.Message, "super-user search finds no user") || strings.Contains(ae.Message, "super-user search found none")
		return searched && (ae.Code == codeNotAllowed || ae.Code == "") || ae.Code == "exit code 22"
	}, secrets...)
}

// FuzzZatoParseAnswer feeds arbitrary answers to the answer parsing and
// error mapping of the REST transport.
func FuzzZatoParseAnswer(f *testing.F) {
	for _, s := range fzSeeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = backendtest.FuzzStatus(status)
		raw, e := parseAnswer(&transport.Response{StatusCode: status, Header: http.Header{}, Body: body}, "set the password of user "+fzUser,
			status%2 == 0, fzUST, fzSuperPassword, fzPassword)
		switch {
		case e == nil && (status >= 300 || raw == nil):
			t.Fatalf("HTTP %d taken as a success", status)
		case e != nil:
			if e.StatusCode != status {
				t.Fatalf("HTTP %d reported as %d", status, e.StatusCode)
			}
			checkFuzzError(t, e, restName, fzUST, fzSuperPassword, fzPassword)
		}
		_ = subStatusCodes(raw)
	})
}

// FuzzZatoRESTResponses sets a password (with the must-change flag) and
// reads a user through a server that answers the login (target 0), the set
// (1), the flag (2), the read (3) or the super-user search (4) with the
// fuzz input.
func FuzzZatoRESTResponses(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(uint8(i), s.status, []byte(s.body))
	}
	// The calls after the set echo the new password.
	f.Add(uint8(2), 403, []byte(`{"status":"error","sub_status":["`+fzPassword+`"],"cid":"`+fzPassword+`"}`))
	f.Add(uint8(3), 200, []byte(`{"status":"ok","password_last_set":"`+fzPassword+`"}`))
	// The login, the set, the must-change flag (the other PATCH) and the
	// read get answers of their own.
	srv := backendtest.NewFuzzServer(f, func(r *http.Request) string {
		switch {
		case r.URL.Path == "/zato/sso/user/login":
			return "login"
		case r.URL.Path == "/zato/sso/user/password":
			return "set"
		case r.URL.Path == "/zato/sso/user/search":
			return "search"
		case r.Method == http.MethodPatch:
			return "flag"
		}
		return "read"
	})
	b, err := NewREST(RESTConfig{URL: srv.URL, Username: "admin1", Password: fzSuperPassword, CurrentApp: "CRM"},
		transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	ok := backendtest.Answer{Status: 200, Body: []byte(`{"status":"ok","cid":"c"}`)}
	answers := map[string]backendtest.Answer{
		"login": {Status: 200, Body: []byte(`{"status":"ok","cid":"c","ust":"` + fzUST + `"}`)},
		"set":   ok, "flag": ok,
		"search": {Status: 200, Body: []byte(`{"status":"ok","cid":"c","total":1,"result":[{"user_id":"` + fzUser + `","username":"alice"}]}`)},
		"read":   {Status: 200, Body: []byte(`{"status":"ok","cid":"c","user_id":"` + fzUser + `","password_last_set":"2025-01-02T03:04:05.123456"}`)},
	}
	f.Fuzz(func(t *testing.T, target uint8, status int, body []byte) {
		status = backendtest.FuzzStatus(status)
		target %= 5
		fuzzed := maps.Clone(answers)
		fuzzed[[]string{"login", "set", "flag", "read", "search"}[target]] = backendtest.Answer{Status: status, Body: body}
		srv.Set(fuzzed)
		b.sessions.Invalidate(b.sessions.Current()) // so that the login is made
		// What the calls send: the session token once a login gave it; the
		// new password in the set (SetPassword keeps it out of the errors of
		// the calls that follow, too).
		secrets := []string{fzSuperPassword, fzUST}
		if target == 0 {
			secrets = secrets[:1]
		}
		_, err := b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: fzUser, Password: fzPassword, ForceChange: new(bool)})
		checkFuzzError(t, err, restName, append(secrets, fzPassword)...)
		if target == 0 || target >= 3 {
			_, err = b.ReadUser(context.Background(), fzUser)
			checkFuzzError(t, err, restName, secrets...)
		}
	})
}

// FuzzZatoCLIOutput feeds arbitrary output of the zato command to the exit
// code mapping (target 0), the reset output parsing (1) and the change
// output check (2).
func FuzzZatoCLIOutput(f *testing.F) {
	for _, s := range []struct {
		code           int
		stdout, stderr string
	}{
		{0, "Password for user `alice` reset to `" + fzIssued + "`\n", ""},
		{0, "", "Password for user `alice` reset to `" + fzIssued + "`"},
		{0, "Password for user `alice` reset to `" + fzIssued + "`\nPassword for user `alice` reset to `" + fzIssued + "x`\n", ""},
		{0, "Changed password for user `alice`\n", ""},
		{0, "Password for user `bob` reset to `" + fzIssued + "`\n", "warning: " + fzPassword},
		{21, "Password validation error, reason code:`E003002,E003001`\n", ""},
		{21, "Password validation error, reason code:`" + fzPassword + "`\n", ""},
		{21, "Password validation error, reason code:`\x1b[2J\xff,E003008`", ""},
		{22, "No such user\n", ""},
		{23, "", "Not a Zato server"},
		{1, "", "Traceback (most recent call last):\n  ... --password " + fzPassword + "\n"},
		{2, strings.Repeat("x", 190) + fzPassword, ""},
		{1, "reset to `" + fzIssued + "`", "\xff\xfe\x1b[31m"},
		{1, "", "Password for user `alice` reset to `" + fzIssued}, // cut before the closing backquote
		{137, "", ""},
	} {
		for target := range uint8(3) {
			f.Add(target, s.code, s.stdout, s.stderr)
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, code int, stdout, stderr string) {
		out := cliOutput{stdout: stdout, stderr: stderr}
		switch target % 3 {
		case 0:
			if code == 0 {
				code = 1
			}
			e := exitError("set the password of user alice", code, out, fzPassword, "/opt/zato/env/server1")
			if e == nil {
				t.Fatal("no error for a failed command")
			}
			checkFuzzError(t, e, cliName, fzPassword, "reset to `"+fzIssued)
		case 1:
			pw, err := parseReset(out, "alice", "reset the password of user alice")
			if err == nil {
				if pw == "" || strings.ContainsAny(pw, "` \n") || !strings.Contains(stdout+stderr, "reset to `"+pw+"`") {
					t.Fatalf("read a password (%d characters) that the output does not print", len(pw))
				}
				return
			}
			checkFuzzError(t, err, cliName, fzIssued)
		case 2:
			err := checkChanged(out, "alice", "set the password of user alice", fzPassword)
			checkFuzzError(t, err, cliName, fzPassword, "reset to `"+fzIssued)
		}
	})
}

// FuzzZatoValidateUserID: a user id the REST transport accepts travels in a
// JSON body and may hold anything but white space, control characters and
// path characters; a username the CLI transport accepts cannot be read as
// an option.
func FuzzZatoValidateUserID(f *testing.F) {
	for _, id := range []string{fzUser, "", "../x", "zusr/../admin", "zusr%2F", "--help", "-x", "a b", "a\nb", "a\u2028b", "\xff", "alice"} {
		f.Add(id)
	}
	rest, cli := &RESTBackend{}, &CLIBackend{}
	f.Fuzz(func(t *testing.T, id string) {
		if err := rest.ValidateUserID(id); err == nil {
			if id == "" || strings.ContainsAny(id, `/\?#%`) || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
				t.Fatalf("the REST transport accepts %q", id)
			}
		} else {
			checkFuzzError(t, err, restName)
		}
		if err := cli.ValidateUserID(id); err == nil {
			if id == "" || id[0] == '-' || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
				t.Fatalf("the CLI transport accepts %q", id)
			}
		} else {
			checkFuzzError(t, err, cliName)
		}
	})
}

// TestZatoSecretNotCutInPart: a secret that an answer echoes across the
// point where the preview of the body is cut leaves no part behind.
func TestZatoSecretNotCutInPart(t *testing.T) {
	body := strings.Repeat("x", 190) + fzPassword
	_, e := parseAnswer(&transport.Response{StatusCode: 502, Header: http.Header{}, Body: []byte(body)}, "set", false, fzPassword)
	if e == nil || strings.Contains(e.Error(), fzPassword[:8]) {
		t.Fatalf("part of the secret is left: %v", e)
	}
	ce := exitError("set", 1, cliOutput{stderr: body}, fzPassword, "/srv")
	if strings.Contains(ce.Error(), fzPassword[:8]) {
		t.Fatalf("part of the secret is left: %v", ce)
	}
	long := `{"status":"error","cid":"` + strings.Repeat("c", 100) + fzUST + `","sub_status":["` + strings.Repeat("E", 50) + fzPassword + `"]}`
	_, e = parseAnswer(&transport.Response{StatusCode: 403, Header: http.Header{}, Body: []byte(long)}, "set", false, fzPassword, fzUST)
	if e == nil || strings.Contains(e.Error(), fzPassword[:8]) || strings.Contains(e.Error(), fzUST[:8]) {
		t.Fatalf("part of a secret is left: %v", e)
	}
	ce = exitError("set", 21, cliOutput{stdout: "Password validation error, reason code:`" + strings.Repeat("E", 50) + fzPassword + "`"}, fzPassword, "/srv")
	if strings.Contains(ce.Error(), fzPassword[:8]) {
		t.Fatalf("part of the secret is left: %v", ce)
	}
}
