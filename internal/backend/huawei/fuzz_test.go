package huawei

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Secrets the fuzz targets plant: the security token goes into every
// request (X-Security-Token), the secret key signs it. The seeds have the
// service echo them in every place an answer carries text.
const (
	fzSecurityToken = "FuzzSecurityTokenPlantedInTheRequest00c4"
	fzSecretKey     = "fuzzHuaweiSecretKeyPlanted0000000000ab12"
	fzAccessKey     = "HPUAFUZZPLANTED00001"
	fzStoreID       = "d-0123456789"
	// fzIssued is a one-time password a 2xx answer returns: it may be in
	// state, never in an error.
	fzIssued = "Fz-Otp-Passw0rd-4b1d"
	fzUser   = "fz-user-0001"
)

var fzSeeds = []struct {
	status    int
	requestID string
	body      string
}{
	{200, "", `{"password":"` + fzIssued + `"}`},
	{200, "", `{"user_id":"` + fzUser + `","user_name":"alice","display_name":"Alice","emails":[{"value":"a@example.com","primary":true}],"enabled":true,"created_at":1700000000000,"updated_at":1700000000001}`},
	{200, "", `{"password":"` + fzIssued + `"`},
	{200, "", `{"password":7}`},
	{200, "", `{"enabled":"yes","created_at":-1,"updated_at":9223372036854775807}`},
	{200, "", `{}`},
	{200, "", ``},
	{400, "", `{"error_code":"IIC.400","error_msg":"Invalid mode","request_id":"rid-1"}`},
	{403, "", `{"error_code":"IIC.1003","error_msg":"Not the management account","request_id":"rid-2","encoded_authorization_message":"` + strings.Repeat("A", 3000) + `"}`},
	{404, "", `{"error_code":"IIC.404","error_msg":"user not found","request_id":"rid-3"}`},
	{404, "", `{"error_code":"IIC.1002","error_msg":"no such user"}`},
	{404, "", `<html>Not Found</html>`},
	{409, "", `{"error_code":"IIC.1006","error_msg":"concurrency conflict, try again later"}`},
	{401, "rid-4", `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token ` + fzSecurityToken + `"}`},
	{401, fzSecurityToken, `{"error_code":"` + fzSecurityToken + `","error_msg":"` + fzSecretKey + `","request_id":"` + fzSecurityToken + `"}`},
	{429, "", `{"error_code":"APIGW.0308","error_msg":"throttled"}`},
	{500, "", `<html>` + strings.Repeat("x", 190) + fzSecurityToken + `</html>`},
	{502, "\xff\xfe\x1b[2J", "\xff\xfe upstream \x1b[31m" + fzSecretKey},
	{503, strings.Repeat("r", 4000), strings.Repeat("{", 10000)},
	{504, "", `{"error_code":"\u001b[2J` + "\xff" + `","error_msg":"x","request_id":"\u001b]0;pwned\u0007"}`},
	{502, "", "FuzzSecurityToken\xc0PlantedInTheRequest00c4 (an invalid byte inside the secret)"},
}

// checkFuzzError is backendtest.CheckError with this backend's rule: only
// Identity Center's own codes say a user is missing: a 404 page from a
// wrong endpoint or a proxy must not drop resources from state.
func checkFuzzError(t *testing.T, err error, secrets ...string) {
	t.Helper()
	backendtest.CheckError(t, err, backendName, func(ae *backend.APIError) bool {
		return ae.Code == "IIC.404" || ae.Code == "IIC.1002"
	}, secrets...)
}

// fuzzBackend is a backend with the planted credentials that talks to endpoint.
func fuzzBackend(tb testing.TB, endpoint string) *Backend {
	b, err := New(Config{IdentityStoreID: fzStoreID, AccessKey: fzAccessKey, SecretKey: fzSecretKey, SecurityToken: fzSecurityToken, Endpoint: endpoint},
		transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzHuaweiAPIError feeds arbitrary answers to the error mapping.
func FuzzHuaweiAPIError(f *testing.F) {
	for _, s := range fzSeeds {
		f.Add(s.status, s.requestID, []byte(s.body))
	}
	b := fuzzBackend(f, "https://identitystore.example")
	f.Fuzz(func(t *testing.T, status int, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		h := http.Header{}
		h["X-Request-Id"] = []string{requestID}
		err := b.apiError(context.Background(), "reset the password of user "+fzUser, &transport.Response{StatusCode: status, Header: h, Body: body})
		var ae *backend.APIError
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Fatalf("status %d mapped to %v", status, err)
		}
		checkFuzzError(t, err, fzSecurityToken, fzSecretKey)
	})
}

// FuzzHuaweiResponses sends a one-time-password set (target 0), an OTP reset
// (1), an email reset (2) or a read (3) to a server that answers with the
// fuzz input, through the signing transport.
func FuzzHuaweiResponses(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add(uint8(i), s.status, s.requestID, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, nil)
	b := fuzzBackend(f, srv.URL)
	f.Fuzz(func(t *testing.T, target uint8, status int, requestID string, body []byte) {
		status = backendtest.FuzzStatus(status)
		srv.Set(map[string]backendtest.Answer{"": {Status: status, Header: backendtest.RequestID(requestID), Body: body}})
		secrets := []string{fzSecurityToken, fzSecretKey}
		if status < 300 {
			secrets = append(secrets, fzIssued)
		}
		ctx := context.Background()
		var err error
		switch target % 4 {
		case 0:
			var res backend.PasswordResult
			res, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: fzUser, Generate: true})
			if err == nil && res.Password == "" {
				t.Fatal("a set without a password")
			}
		case 1:
			var res backend.ResetResult
			res, err = b.ResetPassword(ctx, backend.ResetInput{UserID: fzUser})
			if err == nil && res.TemporaryPassword == "" {
				t.Fatal("a reset without a password")
			}
		case 2:
			var res backend.ResetResult
			res, err = b.ResetPassword(ctx, backend.ResetInput{UserID: fzUser, SendEmail: true})
			if err == nil && res.TemporaryPassword != "" {
				t.Fatal("an email reset returned a password")
			}
		case 3:
			_, err = b.ReadUser(ctx, fzUser)
		}
		checkFuzzError(t, err, secrets...)
	})
}

// FuzzHuaweiValidateUserID checks that an id the backend accepts is one
// path segment on the wire.
func FuzzHuaweiValidateUserID(f *testing.F) {
	for _, id := range []string{fzUser, "", "../x", "..", ".", "%2e%2e", "a/b", "a?b", "a#b", `a\b`, "ü", "\ufffd", "\xff", strings.Repeat("x", 129)} {
		f.Add(id)
	}
	b := &Backend{baseURL: "https://identitystore.ap-southeast-1.myhuaweicloud.com", cfg: Config{IdentityStoreID: fzStoreID}}
	f.Fuzz(func(t *testing.T, id string) {
		if err := b.ValidateUserID(id); err != nil {
			checkFuzzError(t, err)
			return
		}
		prefix := "/v1/identity-stores/" + fzStoreID + "/users/"
		backendtest.CheckOneSegment(t, b.baseURL+b.resetPath(id), prefix, id, "/reset-password")
	})
}

// TestHuaweiUserIDPathEscapedOnTheWire sends ids that ValidateUserID would
// refuse straight to the request code, and checks what reached the server:
// each stays one escaped segment ("../x" → "..%2Fx").
func TestHuaweiUserIDPathEscapedOnTheWire(t *testing.T) {
	srv := backendtest.NewWireServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"password":"` + fzIssued + `"}`))
	})
	b := fuzzBackend(t, srv.URL)
	prefix := "POST /v1/identity-stores/" + fzStoreID + "/users/"
	wants := map[string]string{
		"../x":                  prefix + "..%2Fx/reset-password",
		"a/b?c#d":               prefix + "a%2Fb%3Fc%23d/reset-password",
		"u%252e":                prefix + "u%25252e/reset-password",
		"..\\admin":             prefix + "..%5Cadmin/reset-password",
		"../../d-9999999999/..": prefix + "..%2F..%2Fd-9999999999%2F../reset-password",
	}
	srv.Check(t, func(id string) error {
		_, err := b.do(context.Background(), "reset", http.MethodPost, b.resetPath(id), modeOTP)
		return err
	}, wants)
	backendtest.CheckUserIDs(t, b.ValidateUserID, nil, slices.Collect(maps.Keys(wants)))
}

// TestHuaweiSecretNotCutInPart: a secret that an answer echoes across the
// point where the preview of the body is cut leaves no part behind.
func TestHuaweiSecretNotCutInPart(t *testing.T) {
	b := fuzzBackend(t, "https://identitystore.example")
	body := strings.Repeat("x", 190) + fzSecurityToken
	h := http.Header{"X-Request-Id": {strings.Repeat("r", 100) + fzSecretKey}}
	err := b.apiError(context.Background(), "reset", &transport.Response{StatusCode: 502, Header: h, Body: []byte(body)})
	if strings.Contains(err.Error(), fzSecurityToken[:8]) || strings.Contains(err.Error(), fzSecretKey[:8]) {
		t.Fatalf("part of the secret is left: %s", err.Error())
	}
}
