package finspace

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Secrets the fuzz targets plant. The session token goes into every request
// (X-Amz-Security-Token); the secret key signs it. The seeds have the
// service echo them in every place an answer carries text. JSON leaves each
// as it is, so an echo in a JSON body is the secret itself.
const (
	fzSessionToken = "FuzzSessionToken0000PlantedInTheRequest7d2"
	fzSecretKey    = "fuzzSecretAccessKey/planted/0000000000e1"
	fzAccessKey    = "AKIAFUZZPLANTED00001"
	// fzIssued is a temporary password a 2xx answer returns: it may be in
	// state, never in an error.
	fzIssued = "Fz-Temp-Pw-9c2e71"
	fzUser   = "fs-fuzz-user-01"
)

var fzSeeds = []struct {
	status    int
	errorType string
	requestID string
	body      string
}{
	{200, "", "rid-1", `{"userId":"` + fzUser + `","temporaryPassword":"` + fzIssued + `"}`},
	{200, "", "", `{"userId":"` + fzUser + `","status":"ENABLED","firstName":"A","lastName":"B","emailAddress":"a@example.com","type":"APP_USER",` +
		`"apiAccess":"DISABLED","createTime":1700000000000,"lastEnabledTime":1700000000000.5,"lastDisabledTime":null,"lastModifiedTime":1.7e12,"lastLoginTime":-1}`},
	{200, "", "", `{"temporaryPassword":"` + fzIssued + `","userId":7}`},
	{200, "", "", `{"temporaryPassword":"` + fzIssued + `"`},
	{200, "", "", `{"status":"ENABLED","createTime":"yesterday"}`},
	{200, "", "", `{"createTime":1e400}`},
	{200, "", "", `{"createTime":-9223372036854775808000}`},
	{400, "ValidationException:http://internal.amazon.com/coral/com.amazonaws.finspace/", "rid-2", `{"message":"bad userId","reason":"INVALID_PARAMETER"}`},
	{403, "AccessDeniedException", "", `{"Message":"User is not authorized"}`},
	{403, "InvalidSignatureException", "", `{"message":"Signature expired: 20250101T000000Z is now earlier than 20250101T000500Z"}`},
	{403, "UnrecognizedClientException", "", `{"message":"The security token ` + fzSessionToken + ` is invalid"}`},
	{403, fzSessionToken, fzSessionToken, `{"message":"x","reason":"` + fzSecretKey + `"}`},
	{404, "ResourceNotFoundException", "", `{"message":"no such user"}`},
	{409, "ConflictException", "", `{"message":"busy","reason":"CONCURRENT"}`},
	{429, "ThrottlingException", "", `{"message":"Rate exceeded"}`},
	{400, "", "", `{"__type":"com.amazonaws.finspace#LimitExceededException","message":"too many"}`},
	{400, "", "", `{"code":"` + fzSessionToken + `"}`},
	{500, "InternalServerException", "", ``},
	{502, "", "", `<html>` + strings.Repeat("x", 190) + fzSessionToken + `</html>`},
	{503, "\xff\xfe\x1b[2J", "\xff\x1b]0;pwned\x07", "\xff upstream \x1b[31m" + fzSecretKey},
	{504, strings.Repeat("E", 4000), strings.Repeat("r", 4000), strings.Repeat("[", 10000)},
	{502, "", "", "FuzzSessionToken0000\xc0PlantedInTheRequest7d2 (an invalid byte inside the secret)"},
	{203, "", "", `{"userId":"` + fzUser + `","temporaryPassword":"` + fzIssued + `"}`}, // a 2xx other than 200 still carries the password
}

// checkFuzzError is backendtest.CheckError with this backend's rule: only ResourceNotFoundException says a user is missing.
func checkFuzzError(t *testing.T, err error, secrets ...string) {
	t.Helper()
	backendtest.CheckError(t, err, Name, func(ae *backend.APIError) bool {
		return ae.Code == "ResourceNotFoundException"
	}, secrets...)
}

func fuzzHeader(errorType, requestID string) http.Header {
	h := http.Header{}
	if errorType != "" {
		h["X-Amzn-Errortype"] = []string{errorType}
	}
	if requestID != "" {
		h["X-Amzn-Requestid"] = []string{requestID}
	}
	return h
}

// FuzzFinSpaceMapError feeds arbitrary answers to the error mapping.
func FuzzFinSpaceMapError(f *testing.F) {
	for _, s := range fzSeeds {
		f.Add(s.status, s.errorType, s.requestID, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, errorType, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		e := mapError("reset the password of user "+fzUser, &transport.Response{StatusCode: status, Header: fuzzHeader(errorType, requestID), Body: body},
			fzSessionToken, fzSecretKey)
		if e == nil || e.StatusCode != status {
			t.Fatalf("status %d mapped to %+v", status, e)
		}
		checkFuzzError(t, e, fzSessionToken, fzSecretKey)
	})
}

// fuzzBackend is a backend with static credentials (the planted secrets)
// that talks to url.
func fuzzBackend(tb testing.TB, endpoint string) *Backend {
	b := &Backend{
		region:   "us-east-1",
		endpoint: endpoint,
		creds: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: fzAccessKey, SecretAccessKey: fzSecretKey, SessionToken: fzSessionToken}, nil
		}),
		signer: v4.NewSigner(),
		now:    time.Now,
	}
	c, err := transport.New(transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second}, b.sign)
	if err != nil {
		tb.Fatal(err)
	}
	b.http = c
	return b
}

// FuzzFinSpaceResponses sends a reset (target 0) or a read (target 1) to a
// server that answers with the fuzz input, through the signing transport.
func FuzzFinSpaceResponses(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(uint8(i), s.status, s.errorType, s.requestID, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, nil)
	b := fuzzBackend(f, srv.URL)
	f.Fuzz(func(t *testing.T, target uint8, status int, errorType, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		srv.Set(map[string]backendtest.Answer{"": {Status: status, Header: fuzzHeader(errorType, requestID), Body: body}})
		b.skew.Store(0)
		secrets := []string{fzSessionToken, fzSecretKey}
		if status < 300 {
			secrets = append(secrets, fzIssued)
		}
		var err error
		if target%2 == 0 {
			var res backend.ResetResult
			res, err = b.ResetPassword(context.Background(), backend.ResetInput{UserID: fzUser})
			if err == nil && (res.TemporaryPassword == "" || res.ExpiresAt == nil) {
				t.Fatalf("a reset without a password or expiry: %+v", res)
			}
		} else {
			_, err = b.ReadUser(context.Background(), fzUser)
		}
		checkFuzzError(t, err, secrets...)
	})
}

// FuzzFinSpaceValidateUserID checks that an id the backend accepts is one
// path segment on the wire.
func FuzzFinSpaceValidateUserID(f *testing.F) {
	for _, id := range []string{fzUser, "", "../x", "..", ".", "%2e%2e", "a/b", "a?b", "a#b", `a\b`, "AbC123_-:@+", "ü", strings.Repeat("x", 27), "\xff"} {
		f.Add(id)
	}
	b := &Backend{endpoint: "https://finspace-api.us-east-1.amazonaws.com"}
	f.Fuzz(func(t *testing.T, id string) {
		if err := b.ValidateUserID(id); err != nil {
			checkFuzzError(t, err)
			return
		}
		backendtest.CheckOneSegment(t, b.userURL(id)+"/password", "/user/", id, "/password")
	})
}

// TestFinSpaceUserIDPathEscapedOnTheWire sends ids that ValidateUserID
// would refuse straight to the request code, and checks what reached the
// server: each stays one escaped segment ("../x" → "..%2Fx").
func TestFinSpaceUserIDPathEscapedOnTheWire(t *testing.T) {
	srv := backendtest.NewWireServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"userId":"x","temporaryPassword":"` + fzIssued + `"}`))
	})
	b := fuzzBackend(t, srv.URL)
	wants := map[string]string{
		"../x":      "POST /user/..%2Fx/password",
		"a/b?c#d":   "POST /user/a%2Fb%3Fc%23d/password",
		"fs%2F..":   "POST /user/fs%252F../password",
		"..\\admin": "POST /user/..%5Cadmin/password",
		"ü x":       "POST /user/%C3%BC%20x/password",
	}
	srv.Check(t, func(id string) error {
		_, err := b.do(context.Background(), http.MethodPost, b.userURL(id)+"/password", requestHeader(), []byte(`{"clientToken":"t"}`))
		return err
	}, wants)
	backendtest.CheckUserIDs(t, b.ValidateUserID, nil, slices.Collect(maps.Keys(wants)))
}

// TestFinSpaceSecretNotCutInPart: a secret that an answer echoes across the
// point where the preview of the body is cut leaves no part behind.
func TestFinSpaceSecretNotCutInPart(t *testing.T) {
	body := strings.Repeat("x", 190) + fzSessionToken
	h := fuzzHeader(strings.Repeat("E", 100)+fzSecretKey, strings.Repeat("r", 100)+fzSecretKey)
	e := mapError("reset", &transport.Response{StatusCode: 502, Header: h, Body: []byte(body)}, fzSessionToken, fzSecretKey)
	if strings.Contains(e.Error(), fzSessionToken[:8]) || strings.Contains(e.Error(), fzSecretKey[:8]) {
		t.Fatalf("part of the secret is left: %s", e.Error())
	}
}

// TestFinSpaceCheckCredentials: without credentials in the chain the check
// fails, naming the chain and holding no secret; with them it passes, and
// sends nothing.
func TestFinSpaceCheckCredentials(t *testing.T) {
	var sent int
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { sent++ }))
	defer srv.Close()
	b := fuzzBackend(t, srv.URL)
	if err := b.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("static credentials: %v", err)
	}
	b.creds = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("failed to refresh cached credentials, no EC2 IMDS role found")
	})
	err := b.CheckCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no usable AWS credentials from the standard chain") {
		t.Fatalf("no credentials: %v", err)
	}
	checkFuzzError(t, err, fzSecretKey, fzSessionToken)
	if sent != 0 {
		t.Fatalf("the check sent %d requests", sent)
	}
}
