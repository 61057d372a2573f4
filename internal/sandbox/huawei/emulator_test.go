package huawei

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

const testHost = "identitystore.sandbox.test"

// fixedNow is the emulator clock in these tests.
var fixedNow = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// sdkSign signs r (whose body is body) with the Huawei Cloud SDK signer, the
// way a client would, and sets the headers it returns. The SDK signs every
// header it is given, so only the ones passed in headers are signed.
func sdkSign(t *testing.T, r *http.Request, body []byte, ak, sk string, date time.Time, headers map[string]string) {
	t.Helper()
	b := request.NewHttpRequestBuilder().
		WithMethod(r.Method).
		WithEndpoint("https://" + r.Host).
		WithPath(r.URL.Path)
	if len(body) > 0 {
		b.WithBody("json", string(body))
	}
	for k, vs := range r.URL.Query() {
		b.AddQueryParam(k, reflect.ValueOf(vs))
	}
	for k, v := range headers {
		b.AddHeaderParam(k, v)
		if !strings.EqualFold(k, "host") {
			r.Header.Set(k, v)
		}
	}
	b.AddHeaderParam("X-Sdk-Date", date.UTC().Format("20060102T150405Z"))
	added, err := signer.Sign(b.Build(), ak, sk)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range added {
		r.Header.Set(k, v)
	}
}

// newRequest builds a request to the emulator, signed with the test
// credentials at the emulator's clock.
func newRequest(t *testing.T, method, path, body string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "https://"+testHost+path, strings.NewReader(body))
	h := map[string]string{}
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	sdkSign(t, r, []byte(body), TestAccessKey, TestSecretKey, fixedNow, h)
	return r
}

func newEmulator(t *testing.T) (*Emulator, http.Handler) {
	t.Helper()
	e := New()
	e.Clock.Set(fixedNow)
	return e, e.Handler()
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkError asserts a Huawei-shaped error answer.
func checkError(t *testing.T, w *httptest.ResponseRecorder, status int, code string) errorBody {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body %s", w.Code, status, w.Body)
	}
	var body errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, w.Body)
	}
	if body.ErrorCode != code {
		t.Errorf("error_code = %q, want %q (%s)", body.ErrorCode, code, body.ErrorMsg)
	}
	if body.ErrorMsg == "" {
		t.Error("error_msg is empty")
	}
	if len(body.RequestID) != 32 || body.RequestID != w.Header().Get("X-Request-Id") {
		t.Errorf("request_id = %q, X-Request-Id = %q; want the same 32 hex digits", body.RequestID, w.Header().Get("X-Request-Id"))
	}
	return body
}

func userPath(store, user string) string {
	return "/v1/identity-stores/" + store + "/users/" + user
}

// TestSignatureSDKVectors pins the emulator's independent verifier to the
// test vectors of the SDK's own signer_test.go.
func TestSignatureSDKVectors(t *testing.T) {
	tests := []struct {
		name, method, url, body, contentType, want string
	}{
		{"get with query", "GET", "https://example.huaweicloud.com/path?limit=1", "", "",
			"5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"},
		// The SDK JSON-encodes the body with a json.Encoder: trailing newline.
		{"post with JSON body", "POST", "https://example.huaweicloud.com/path?key=value", "{\"Name\":\"test\",\"Id\":1}\n", "application/json",
			"cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			r.Header.Set("X-Sdk-Date", "20060102T150405Z")
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			got, err := signature(r, []byte(tt.body), []string{"x-sdk-date"}, "20060102T150405Z", "SecretKey")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("signature = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestSignatureAgreesWithSDK checks the verifier against the SDK signer on
// requests with escaped paths, repeated and unusual query parameters, the
// host header and a security token.
func TestSignatureAgreesWithSDK(t *testing.T) {
	tests := []struct {
		name, method, target, body string
		headers                    map[string]string
	}{
		{"bare get", "GET", "/v1/x", "", nil},
		{"trailing slash", "GET", "/v1/x/", "", map[string]string{"User-Agent": "test/1"}},
		{"escaped path", "GET", "/v1/a%20b/%C3%A9~x", "", nil},
		{"query", "GET", "/v1/x?b=2&a=1&a=0&empty=&sp=a+b&u=%C3%A9%2F", "", nil},
		{"host and token", "POST", "/v1/x", `{"mode":"OTP"}`, map[string]string{"Host": testHost, "X-Security-Token": "tok", "Content-Type": "application/json"}},
		{"unsigned payload", "POST", "/v1/x", "a=b", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "https://"+testHost+tt.target, strings.NewReader(tt.body))
			sdkSign(t, r, []byte(tt.body), "AK", "SK", fixedNow, tt.headers)
			auth, err := parseAuthorization(r.Header.Get("Authorization"))
			if err != nil {
				t.Fatal(err)
			}
			// processContentHeader adds X-Sdk-Content-Sha256 for non-JSON
			// bodies to the SDK's request only; a client sends it.
			if slices.Contains(auth.signedHeaders, "x-sdk-content-sha256") {
				r.Header.Set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")
			}
			got, err := signature(r, []byte(tt.body), auth.signedHeaders, r.Header.Get("X-Sdk-Date"), "SK")
			if err != nil {
				t.Fatal(err)
			}
			if got != auth.signature {
				t.Errorf("verifier computed %s, SDK signed %s (signed headers %v)", got, auth.signature, auth.signedHeaders)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	const tempAK, tempSK, tempToken = "HSTTEMPAK0000000001", "temporary-secret", "temporary-session-token"
	const memberAK, memberSK = "HPUAMEMBERAK0000001", "member-secret"
	get := userPath(TestIdentityStoreID, UserAlice)
	sign := func(ak, sk string, at time.Time, headers map[string]string) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request {
			r := httptest.NewRequest("GET", "https://"+testHost+get, nil)
			sdkSign(t, r, nil, ak, sk, at, headers)
			return r
		}
	}
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		status int
		code   string
	}{
		{"good signature", sign(TestAccessKey, TestSecretKey, fixedNow, nil), 200, ""},
		{"host signed", sign(TestAccessKey, TestSecretKey, fixedNow, map[string]string{"Host": testHost}), 200, ""},
		{"wrong secret key", sign(TestAccessKey, "not-the-secret", fixedNow, nil), 401, "APIGW.0301"},
		{"unknown access key", sign("HPUAUNKNOWN000000000", TestSecretKey, fixedNow, nil), 401, "APIGW.0301"},
		{"no authorization", func(t *testing.T) *http.Request { return httptest.NewRequest("GET", "https://"+testHost+get, nil) }, 401, "APIGW.0301"},
		{"14 minutes old", sign(TestAccessKey, TestSecretKey, fixedNow.Add(-14*time.Minute), nil), 200, ""},
		{"16 minutes old", sign(TestAccessKey, TestSecretKey, fixedNow.Add(-16*time.Minute), nil), 401, "APIGW.0301"},
		{"16 minutes ahead", sign(TestAccessKey, TestSecretKey, fixedNow.Add(16*time.Minute), nil), 401, "APIGW.0301"},
		{"tampered path", func(t *testing.T) *http.Request {
			r := sign(TestAccessKey, TestSecretKey, fixedNow, nil)(t)
			r.URL.Path = userPath(TestIdentityStoreID, UserBob)
			return r
		}, 401, "APIGW.0301"},
		{"tampered query", func(t *testing.T) *http.Request {
			r := sign(TestAccessKey, TestSecretKey, fixedNow, nil)(t)
			r.URL.RawQuery = "x=1"
			return r
		}, 401, "APIGW.0301"},
		{"tampered signed header", func(t *testing.T) *http.Request {
			r := sign(TestAccessKey, TestSecretKey, fixedNow, map[string]string{"User-Agent": "a"})(t)
			r.Header.Set("User-Agent", "b")
			return r
		}, 401, "APIGW.0301"},
		{"temporary with token", sign(tempAK, tempSK, fixedNow, map[string]string{"X-Security-Token": tempToken}), 200, ""},
		{"temporary without token", sign(tempAK, tempSK, fixedNow, nil), 401, "APIGW.0301"},
		{"temporary with wrong token", sign(tempAK, tempSK, fixedNow, map[string]string{"X-Security-Token": "other"}), 401, "APIGW.0301"},
		{"temporary with unsigned token", func(t *testing.T) *http.Request {
			r := sign(tempAK, tempSK, fixedNow, nil)(t)
			r.Header.Set("X-Security-Token", tempToken)
			return r
		}, 401, "APIGW.0301"},
		{"member account", sign(memberAK, memberSK, fixedNow, nil), 403, "IIC.1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, h := newEmulator(t)
			e.AddTemporaryCredentials(tempAK, tempSK, tempToken)
			e.AddMemberAccountCredentials(memberAK, memberSK)
			w := serve(h, tt.req(t))
			if tt.status == 200 {
				if w.Code != 200 {
					t.Fatalf("status = %d, want 200: %s", w.Code, w.Body)
				}
				return
			}
			body := checkError(t, w, tt.status, tt.code)
			if tt.status == 403 && len(body.EncodedAuthorizationMessage) < 1000 {
				t.Errorf("a 403 should carry a long encoded_authorization_message, got %d characters", len(body.EncodedAuthorizationMessage))
			}
		})
	}
}

func TestTamperedBody(t *testing.T) {
	_, h := newEmulator(t)
	r := newRequest(t, "POST", userPath(TestIdentityStoreID, UserAlice)+"/reset-password", `{"mode":"OTP"}`)
	r.Body = io.NopCloser(strings.NewReader(`{"mode":"EMAIL"}`))
	checkError(t, serve(h, r), 401, "APIGW.0301")
}

func TestResetModes(t *testing.T) {
	reset := userPath(TestIdentityStoreID, UserBob) + "/reset-password"
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"OTP", `{"mode":"OTP"}`, 200, ""},
		{"EMAIL", `{"mode":"EMAIL"}`, 200, ""},
		{"lower case", `{"mode":"otp"}`, 400, "IIC.400"},
		{"mixed case", `{"mode":"Email"}`, 400, "IIC.400"},
		{"padded", `{"mode":"OTP "}`, 400, "IIC.400"},
		{"empty", `{"mode":""}`, 400, "IIC.400"},
		{"missing", `{}`, 400, "IIC.400"},
		{"not JSON", `mode=OTP`, 400, "IIC.400"},
		{"not a string", `{"mode":1}`, 400, "IIC.400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, h := newEmulator(t)
			w := serve(h, newRequest(t, "POST", reset, tt.body))
			if tt.status != 200 {
				checkError(t, w, tt.status, tt.code)
				if _, ok := e.CurrentPassword(UserBob); ok || len(e.EmailsSent()) != 0 {
					t.Error("a refused reset changed the user")
				}
				return
			}
			if w.Code != 200 {
				t.Fatalf("status = %d: %s", w.Code, w.Body)
			}
			var out map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			pw, _ := out["password"].(string)
			cur, ok := e.CurrentPassword(UserBob)
			switch tt.name {
			case "OTP":
				if pw == "" || !ok || cur != pw {
					t.Errorf("password %q, current %q (%v): want the OTP returned and current", pw, cur, ok)
				}
				if len(e.EmailsSent()) != 0 {
					t.Error("an OTP reset sent an email")
				}
			case "EMAIL":
				if _, has := out["password"]; has || ok {
					t.Errorf("an EMAIL reset returned or set a password: %s", w.Body)
				}
				if got := e.EmailsSent(); len(got) != 1 || got[0] != UserBob {
					t.Errorf("EmailsSent = %v, want [%s]", got, UserBob)
				}
			}
		})
	}
}

func TestOTPIsNotIdempotent(t *testing.T) {
	e, h := newEmulator(t)
	reset := userPath(TestIdentityStoreID, UserAlice) + "/reset-password"
	var got []string
	for range 3 {
		w := serve(h, newRequest(t, "POST", reset, `{"mode":"OTP"}`))
		var out struct{ Password string }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 200 {
			t.Fatalf("status %d, %v", w.Code, err)
		}
		got = append(got, out.Password)
	}
	if got[0] == got[1] || got[1] == got[2] || got[0] == got[2] {
		t.Errorf("OTPs repeat: %q", got)
	}
	if issued := e.IssuedPasswords(UserAlice); !reflect.DeepEqual(issued, got) {
		t.Errorf("IssuedPasswords = %q, want %q", issued, got)
	}
	if cur, _ := e.CurrentPassword(UserAlice); cur != got[2] {
		t.Errorf("CurrentPassword = %q, want the last OTP %q", cur, got[2])
	}
	for _, pw := range got {
		if len(pw) != 16 || !strings.ContainsAny(pw, "ABCDEFGHJKLMNPQRSTUVWXYZ") || !strings.ContainsAny(pw, "23456789") || !strings.ContainsAny(pw, "!@#$%^&*-_=+") {
			t.Errorf("OTP %q lacks a character class", pw)
		}
	}
}

func TestNotFound(t *testing.T) {
	const otherStore = "d-0000000000"
	tests := []struct {
		name, method, path, body, code string
	}{
		{"read, unknown store", "GET", userPath(otherStore, UserAlice), "", "IIC.404"},
		{"read, unknown user", "GET", userPath(TestIdentityStoreID, "nobody"), "", "IIC.1002"},
		{"read, deleted user", "GET", userPath(TestIdentityStoreID, UserCarol), "", "IIC.1002"},
		{"reset, unknown store", "POST", userPath(otherStore, UserAlice) + "/reset-password", `{"mode":"OTP"}`, "IIC.404"},
		{"reset, unknown user", "POST", userPath(TestIdentityStoreID, "nobody") + "/reset-password", `{"mode":"EMAIL"}`, "IIC.1002"},
		{"unknown API", "DELETE", userPath(TestIdentityStoreID, UserAlice), "", "APIGW.0101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, h := newEmulator(t)
			e.DeleteUser(UserCarol)
			checkError(t, serve(h, newRequest(t, tt.method, tt.path, tt.body)), http.StatusNotFound, tt.code)
			if len(e.EmailsSent()) != 0 {
				t.Error("email recorded for a 404")
			}
		})
	}
}

func TestReadUser(t *testing.T) {
	e, h := newEmulator(t)
	const dora = "d0a00000-7c1d-4e4f-9a01-000000000004"
	e.AddUser(User{ID: dora, UserName: "dora", Email: "dora@example.com", Enabled: true})
	e.Clock.Advance(time.Hour)
	e.SetEnabled(dora, false)
	e.Clock.Set(fixedNow)
	w := serve(h, newRequest(t, "GET", userPath(TestIdentityStoreID, dora), ""))
	if w.Code != 200 {
		t.Fatalf("status = %d: %s", w.Code, w.Body)
	}
	var got map[string]any
	dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"user_id":    dora,
		"user_name":  "dora",
		"enabled":    false,
		"created_at": json.Number(strconv.FormatInt(fixedNow.UnixMilli(), 10)),
		"updated_at": json.Number(strconv.FormatInt(fixedNow.Add(time.Hour).UnixMilli(), 10)),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if emails, _ := got["emails"].([]any); len(emails) != 1 {
		t.Errorf("emails = %v, want one", got["emails"])
	}
	if w.Header().Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id on a success")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestThrottle(t *testing.T) {
	e, h := newEmulator(t)
	e.SetThrottle(1)
	path := userPath(TestIdentityStoreID, UserAlice)
	if w := serve(h, newRequest(t, "GET", path, "")); w.Code != 200 {
		t.Fatalf("first request: status %d", w.Code)
	}
	w := serve(h, newRequest(t, "GET", path, ""))
	checkError(t, w, http.StatusTooManyRequests, "APIGW.0308")
	if w.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// TestURLHostIsSigned makes sure the host header is checked against r.Host.
func TestURLHostIsSigned(t *testing.T) {
	_, h := newEmulator(t)
	r := httptest.NewRequest("GET", "https://"+testHost+userPath(TestIdentityStoreID, UserAlice), nil)
	sdkSign(t, r, nil, TestAccessKey, TestSecretKey, fixedNow, map[string]string{"Host": testHost})
	r.Host = "elsewhere.test"
	r.URL = must(url.Parse("https://elsewhere.test" + r.URL.Path))
	checkError(t, serve(h, r), 401, "APIGW.0301")
}
