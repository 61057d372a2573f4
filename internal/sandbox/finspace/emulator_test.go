package finspace

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// signing is how a test request is signed (with the SDK's signer, which
// cross-checks the emulator's own SigV4 implementation).
type signing struct {
	creds   aws.Credentials
	region  string
	service string
	at      time.Time
	// unsigned skips the Authorization header.
	unsigned bool
	// tamper changes the body after signing.
	tamper bool
}

func superUser() aws.Credentials {
	return aws.Credentials{AccessKeyID: TestAccessKeyID, SecretAccessKey: TestSecretAccessKey}
}

type answer struct {
	status    int
	errorType string
	date      string
	body      map[string]any
}

func newServer(t *testing.T) (*Emulator, *httptest.Server) {
	t.Helper()
	e := New()
	e.Clock.Set(t0)
	return emutest.Start(t, e)
}

func call(t *testing.T, srv *httptest.Server, method, path, contentType, body string, s signing) answer {
	t.Helper()
	if s.region == "" {
		s.region = TestRegion
	}
	if s.service == "" {
		s.service = signingName
	}
	if s.creds.AccessKeyID == "" {
		s.creds = superUser()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if !s.unsigned {
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(context.Background(), s.creds, req, hex.EncodeToString(sum[:]), s.service, s.region, s.at); err != nil {
			t.Fatal(err)
		}
	}
	if s.tamper {
		tampered := strings.Replace(body, "tok", "TOK", 1)
		req.Body = io.NopCloser(strings.NewReader(tampered))
		req.ContentLength = int64(len(tampered))
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, errorType: resp.Header.Get("X-Amzn-ErrorType"), date: resp.Header.Get("Date")}
	if err := json.Unmarshal(data, &a.body); err != nil {
		t.Fatalf("answer %d is not JSON: %s", resp.StatusCode, data)
	}
	if resp.Header.Get("X-Amzn-RequestId") == "" {
		t.Errorf("no x-amzn-RequestId in the answer")
	}
	return a
}

func reset(t *testing.T, srv *httptest.Server, e *Emulator, userID, token string) answer { //nolint:unparam // the user is part of what each test reads
	t.Helper()
	return call(t, srv, http.MethodPost, "/user/"+transport.PathEscape(userID)+"/password",
		"application/x-amz-json-1.1", `{"clientToken":"`+token+`"}`, signing{at: e.Clock.Now()})
}

func TestSignature(t *testing.T) {
	body := `{"clientToken":"tok-1"}`
	tests := []struct {
		name     string
		s        signing
		userID   string
		status   int
		errType  string
		contains string
	}{
		{name: "good", s: signing{}, status: 200},
		{name: "session credentials", s: signing{creds: aws.Credentials{AccessKeyID: TestSessionAccessKeyID, SecretAccessKey: TestSessionSecretAccessKey, SessionToken: TestSessionToken}}, status: 200},
		{name: "user id escaped in the path", userID: "a:b@c+d", status: 200},
		{name: "signed 14 minutes ago", s: signing{at: t0.Add(-14 * time.Minute)}, status: 200},
		{name: "wrong secret", s: signing{creds: aws.Credentials{AccessKeyID: TestAccessKeyID, SecretAccessKey: "wrong"}}, status: 403, errType: "InvalidSignatureException", contains: "does not match"},
		{name: "body changed after signing", s: signing{tamper: true}, status: 403, errType: "InvalidSignatureException", contains: "does not match"},
		{name: "unknown access key", s: signing{creds: aws.Credentials{AccessKeyID: "AKIAUNKNOWN000000000", SecretAccessKey: TestSecretAccessKey}}, status: 403, errType: "UnrecognizedClientException"},
		{name: "session key without its token", s: signing{creds: aws.Credentials{AccessKeyID: TestSessionAccessKeyID, SecretAccessKey: TestSessionSecretAccessKey}}, status: 403, errType: "UnrecognizedClientException"},
		{name: "wrong session token", s: signing{creds: aws.Credentials{AccessKeyID: TestSessionAccessKeyID, SecretAccessKey: TestSessionSecretAccessKey, SessionToken: "other"}}, status: 403, errType: "UnrecognizedClientException"},
		{name: "expired date", s: signing{at: t0.Add(-16 * time.Minute)}, status: 403, errType: "InvalidSignatureException", contains: "Signature expired"},
		{name: "future date", s: signing{at: t0.Add(16 * time.Minute)}, status: 403, errType: "InvalidSignatureException", contains: "not yet current"},
		{name: "wrong region", s: signing{region: "eu-west-1"}, status: 403, errType: "InvalidSignatureException", contains: "region"},
		{name: "wrong service", s: signing{service: "finspace"}, status: 403, errType: "InvalidSignatureException", contains: "finspace-api"},
		{name: "unsigned", s: signing{unsigned: true}, status: 403, errType: "MissingAuthenticationTokenException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, srv := newServer(t)
			userID := SuperUserID
			if tt.userID != "" {
				userID = tt.userID
				e.AddUser(User{ID: userID})
			}
			if tt.s.at.IsZero() {
				tt.s.at = t0
			}
			a := call(t, srv, http.MethodPost, "/user/"+transport.PathEscape(userID)+"/password", "application/x-amz-json-1.1", body, tt.s)
			if a.status != tt.status || a.errorType != tt.errType {
				t.Fatalf("got %d %q %v, want %d %q", a.status, a.errorType, a.body, tt.status, tt.errType)
			}
			msg, _ := a.body["message"].(string)
			if !strings.Contains(msg, tt.contains) {
				t.Errorf("message %q does not contain %q", msg, tt.contains)
			}
			issued := len(e.IssuedPasswords(userID))
			if want := map[bool]int{true: 1, false: 0}[tt.status == 200]; issued != want {
				t.Errorf("%d passwords issued, want %d", issued, want)
			}
		})
	}
}

func TestSignatureGET(t *testing.T) {
	_, srv := newServer(t)
	if a := call(t, srv, http.MethodGet, "/user/"+AppUserID, "", "", signing{at: t0}); a.status != 200 {
		t.Fatalf("GET signed by the SDK: %d %v", a.status, a.body)
	}
	bad := signing{at: t0, creds: aws.Credentials{AccessKeyID: TestAccessKeyID, SecretAccessKey: TestAppUserSecretAccessKey}}
	if a := call(t, srv, http.MethodGet, "/user/"+AppUserID, "", "", bad); a.status != 403 || a.errorType != "InvalidSignatureException" {
		t.Fatalf("GET with another key's secret: %d %q", a.status, a.errorType)
	}
}

func TestClientTokenReplay(t *testing.T) {
	tests := []struct {
		name      string
		advance   time.Duration
		token2    string
		samePw    bool
		issuedNow int
	}{
		{name: "replay at once", token2: "tok-a", samePw: true, issuedNow: 1},
		{name: "replay inside 10 minutes", advance: TokenWindow - time.Second, token2: "tok-a", samePw: true, issuedNow: 1},
		{name: "replay after 10 minutes", advance: TokenWindow, token2: "tok-a", samePw: false, issuedNow: 2},
		{name: "another token", token2: "tok-b", samePw: false, issuedNow: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, srv := newServer(t)
			first := reset(t, srv, e, AppUserID, "tok-a")
			if first.status != 200 {
				t.Fatalf("first reset: %d %v", first.status, first.body)
			}
			e.Clock.Advance(tt.advance)
			second := reset(t, srv, e, AppUserID, tt.token2)
			if second.status != 200 {
				t.Fatalf("second reset: %d %v", second.status, second.body)
			}
			if want := e.Clock.Now().Format(http.TimeFormat); second.date != want {
				t.Errorf("Date %q, want the emulator's clock %q", second.date, want)
			}
			p1, p2 := first.body["temporaryPassword"].(string), second.body["temporaryPassword"].(string)
			if (p1 == p2) != tt.samePw {
				t.Errorf("same password = %v, want %v", p1 == p2, tt.samePw)
			}
			if n := len(e.IssuedPasswords(AppUserID)); n != tt.issuedNow {
				t.Errorf("%d passwords issued, want %d", n, tt.issuedNow)
			}
			cur, _ := e.CurrentPassword(AppUserID)
			if cur != p2 || !e.PasswordValid(AppUserID, p2) {
				t.Errorf("the last answer is not the current, valid password")
			}
			if !tt.samePw && e.PasswordValid(AppUserID, p1) {
				t.Errorf("the replaced password is still valid")
			}
		})
	}
}

func TestResetValidation(t *testing.T) {
	long := strings.Repeat("t", MaxClientTokenLength)
	tests := []struct {
		name        string
		userID      string
		contentType string
		body        string
		status      int
		errType     string
	}{
		// Shapes from botocore data/finspace-data/2020-07-13/service-2.json
		// (the same in aws-sdk-go models/apis/finspace-data/2020-07-13/api-2.json):
		// ClientToken {min 1, max 128, pattern .*\S.*}, UserId {min 1, max 26, pattern .*\S.*}.
		{name: "token of 128", body: `{"clientToken":"` + long + `"}`, status: 200},
		{name: "boto content type", contentType: "application/json", body: `{"clientToken":"x"}`, status: 200},
		{name: "content type with charset", contentType: "application/json; charset=utf-8", body: `{"clientToken":"x"}`, status: 200},
		{name: "token of 129", body: `{"clientToken":"` + long + `t"}`, status: 400, errType: "ValidationException"},
		{name: "empty token", body: `{"clientToken":""}`, status: 400, errType: "ValidationException"},
		{name: "white-space token", body: `{"clientToken":"  "}`, status: 400, errType: "ValidationException"},
		// ResetUserPasswordRequest requires only userId; clientToken is an idempotencyToken.
		{name: "no token", body: `{}`, status: 200},
		{name: "no body", body: ``, status: 200},
		{name: "not JSON", body: `clientToken=x`, status: 400, errType: "ValidationException"},
		{name: "user id of 27", userID: strings.Repeat("u", 27), body: `{"clientToken":"x"}`, status: 400, errType: "ValidationException"},
		{name: "white-space user id", userID: "%20%20", body: `{"clientToken":"x"}`, status: 400, errType: "ValidationException"},
		// ResourceNotFoundException: httpStatusCode 404.
		{name: "unknown user", userID: "nobody", body: `{"clientToken":"x"}`, status: 404, errType: "ResourceNotFoundException"},
		// Not modelled: what API Gateway-fronted AWS APIs answer (unconfirmed).
		{name: "other content type", contentType: "text/plain", body: `{"clientToken":"x"}`, status: 415, errType: "UnsupportedMediaTypeException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, srv := newServer(t)
			userID := tt.userID
			if userID == "" {
				userID = AppUserID
			}
			ct := tt.contentType
			if ct == "" {
				ct = "application/x-amz-json-1.1"
			}
			a := call(t, srv, http.MethodPost, "/user/"+userID+"/password", ct, tt.body, signing{at: t0})
			// Modelled errors carry the service suffix that clients strip.
			gotType, _, _ := strings.Cut(a.errorType, ":")
			if a.status != tt.status || gotType != tt.errType {
				t.Fatalf("got %d %q %v, want %d %q", a.status, a.errorType, a.body, tt.status, tt.errType)
			}
			if tt.status == 200 {
				pw, _ := a.body["temporaryPassword"].(string)
				if n := len(pw); n < 8 || n > 20 {
					t.Errorf("password length %d is not 8–20", n)
				}
				if a.body["userId"] != userID {
					t.Errorf("userId %v", a.body["userId"])
				}
			} else if len(e.IssuedPasswords(userID)) != 0 {
				t.Errorf("a refused reset issued a password")
			}
		})
	}
}

func TestPasswordLifetime(t *testing.T) {
	e, srv := newServer(t)
	a := reset(t, srv, e, AppUserID, "one")
	pw := a.body["temporaryPassword"].(string)
	if !e.PasswordValid(AppUserID, pw) {
		t.Fatal("a fresh password is not valid")
	}
	if e.PasswordValid(AppUserID, pw+"x") || e.PasswordValid(SuperUserID, pw) {
		t.Fatal("a wrong password or user is valid")
	}
	e.Clock.Advance(PasswordLifetime - time.Second)
	if !e.PasswordValid(AppUserID, pw) {
		t.Fatal("the password expired before 7 days")
	}
	e.Clock.Advance(time.Second)
	if e.PasswordValid(AppUserID, pw) {
		t.Fatal("the password is still valid after 7 days")
	}
	out, ok := e.ResetOutOfBand(AppUserID)
	if !ok || out == pw || !e.PasswordValid(AppUserID, out) {
		t.Fatal("ResetOutOfBand did not issue a new valid password")
	}
}

func TestPasswordsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := passwordRule.Generate()
		if len(pw) != PasswordLength || seen[pw] {
			t.Fatalf("password %d chars or repeated", len(pw))
		}
		seen[pw] = true
		for _, class := range []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#$%&*+-=?@^_"} {
			if !strings.ContainsAny(pw, class) {
				t.Fatalf("a password lacks a character of %q", class)
			}
		}
	}
}

func TestGetUser(t *testing.T) {
	e, srv := newServer(t)
	last := t0.Add(-time.Hour).Add(123 * time.Millisecond)
	e.AddUser(User{ID: "dave", Type: "SUPER_USER", Status: "ENABLED", LastLoginTime: last})
	a := call(t, srv, http.MethodGet, "/user/dave", "", "", signing{at: t0})
	if a.status != 200 {
		t.Fatalf("%d %v", a.status, a.body)
	}
	if a.body["userId"] != "dave" || a.body["status"] != "ENABLED" || a.body["type"] != "SUPER_USER" {
		t.Errorf("user %v", a.body)
	}
	if got := a.body["lastLoginTime"]; got != float64(last.UnixMilli()) {
		t.Errorf("lastLoginTime %v, want epoch ms %d", got, last.UnixMilli())
	}
	if got := a.body["createTime"]; got != float64(t0.UnixMilli()) {
		t.Errorf("createTime %v, want epoch ms %d", got, t0.UnixMilli())
	}
	if _, ok := a.body["temporaryPassword"]; ok {
		t.Error("GetUser returns a password")
	}
	if a := call(t, srv, http.MethodGet, "/user/"+DisabledUserID, "", "", signing{at: t0}); a.body["status"] != "DISABLED" {
		t.Errorf("disabled user: %v", a.body)
	}
	e.DeleteUser("dave")
	if a := call(t, srv, http.MethodGet, "/user/dave", "", "", signing{at: t0}); a.status != 404 || !strings.HasPrefix(a.errorType, "ResourceNotFoundException") {
		t.Errorf("deleted user: %d %q", a.status, a.errorType)
	}
}

func TestOnlySuperuserActsOnOthers(t *testing.T) {
	e, srv := newServer(t)
	app := signing{at: t0, creds: aws.Credentials{AccessKeyID: TestAppUserAccessKeyID, SecretAccessKey: TestAppUserSecretAccessKey}}
	body := `{"clientToken":"x"}`
	if a := call(t, srv, http.MethodPost, "/user/"+SuperUserID+"/password", "application/json", body, app); a.status != 403 || !strings.HasPrefix(a.errorType, "AccessDeniedException") {
		t.Errorf("app user resetting a superuser: %d %q", a.status, a.errorType)
	}
	if a := call(t, srv, http.MethodPost, "/user/"+AppUserID+"/password", "application/json", body, app); a.status != 200 {
		t.Errorf("app user resetting itself: %d %v", a.status, a.body)
	}
	if n := len(e.IssuedPasswords(SuperUserID)); n != 0 {
		t.Errorf("%d passwords issued to the superuser", n)
	}
}

func TestThrottle(t *testing.T) {
	e, srv := newServer(t)
	e.SetThrottle(0.001)
	if a := reset(t, srv, e, AppUserID, "a"); a.status != 200 {
		t.Fatalf("first: %d", a.status)
	}
	a := reset(t, srv, e, AppUserID, "b")
	if a.status != 429 || !strings.HasPrefix(a.errorType, "ThrottlingException") {
		t.Fatalf("second: %d %q", a.status, a.errorType)
	}
	if n := len(e.IssuedPasswords(AppUserID)); n != 1 {
		t.Fatalf("%d passwords issued", n)
	}
}

func TestUnknownOperation(t *testing.T) {
	_, srv := newServer(t)
	for _, p := range []string{"/users/x", "/user/x/passwords", "/user/a%2Fb/c/d"} {
		a := call(t, srv, http.MethodGet, p, "", "", signing{at: t0})
		if a.status != 404 || a.errorType != "UnknownOperationException" {
			t.Errorf("%s: %d %q", p, a.status, a.errorType)
		}
	}
}

// TestRecorded checks requests reach the Base's recorder with their bodies.
func TestRecorded(t *testing.T) {
	e, srv := newServer(t)
	reset(t, srv, e, AppUserID, "rec")
	reqs := e.Recorder.Match(http.MethodPost, "/user/"+AppUserID+"/password")
	if len(reqs) != 1 || !bytes.Contains(reqs[0].Body, []byte(`"rec"`)) || reqs[0].Status != 200 {
		t.Fatalf("recorded %+v", reqs)
	}
}
