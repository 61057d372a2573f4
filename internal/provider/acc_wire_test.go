package provider

// What the emulators recorded, checked against each backend's wire facts:
// the requests that set or reset a password, and the times the emulators
// report.

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

var finspaceAuthorizationPattern = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=` + regexp.QuoteMeta(finspaceemu.TestAccessKeyID) +
	`/(\d{8})/us-east-1/finspace-api/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`)

// checkFinSpaceResetRequest checks one recorded ResetUserPassword request
// against the wire facts: path, method, content type, a clientToken of 1–128
// characters and nothing else in the body, and a SigV4 Authorization scoped
// to us-east-1/finspace-api with the test access key. It returns the token.
func checkFinSpaceResetRequest(r emu.Request, userID string) (string, error) {
	if r.Method != http.MethodPost || r.Path != "/user/"+userID+"/password" {
		return "", fmt.Errorf("reset request is %s %s, want POST /user/%s/password", r.Method, r.Path, userID)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		return "", fmt.Errorf("reset request Content-Type = %q, want application/x-amz-json-1.1", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		return "", fmt.Errorf("reset request body is not JSON: %w", err)
	}
	token, ok := body["clientToken"].(string)
	if !ok || len(token) < 1 || len(token) > 128 {
		return "", fmt.Errorf("reset request clientToken is %T of length %d, want a string of 1 to 128 characters", body["clientToken"], len(token))
	}
	if len(body) != 1 {
		return "", fmt.Errorf("reset request body has %d fields, want only clientToken", len(body))
	}
	auth := r.Header.Get("Authorization")
	m := finspaceAuthorizationPattern.FindStringSubmatch(auth)
	if m == nil {
		return "", fmt.Errorf("reset request Authorization %q is not AWS4-HMAC-SHA256 with Credential=%s/<date>/us-east-1/finspace-api/aws4_request", auth, finspaceemu.TestAccessKeyID)
	}
	if date := r.Header.Get("X-Amz-Date"); !strings.HasPrefix(date, m[1]) {
		return "", fmt.Errorf("credential scope date %s does not match X-Amz-Date %q", m[1], date)
	}
	signed := ";" + m[2] + ";"
	for _, h := range []string{"host", "x-amz-date", "content-type"} {
		if !strings.Contains(signed, ";"+h+";") {
			return "", fmt.Errorf("the signature does not cover %s (SignedHeaders=%s)", h, m[2])
		}
	}
	if strings.Contains(string(r.Body)+fmt.Sprint(r.Header), finspaceemu.TestSecretAccessKey) {
		return "", fmt.Errorf("the secret access key was sent in the request")
	}
	return token, nil
}

// finspaceTokens checks the user's first two ResetUserPassword requests
// against the wire facts and returns their clientTokens.
func finspaceTokens(user string) ([2]string, error) {
	var tokens [2]string
	reqs := finspaceResets(user)
	if len(reqs) < 2 {
		return tokens, fmt.Errorf("user %s: %d ResetUserPassword requests, want at least 2", user, len(reqs))
	}
	for i := range tokens {
		var err error
		if tokens[i], err = checkFinSpaceResetRequest(reqs[i], user); err != nil {
			return tokens, err
		}
	}
	return tokens, nil
}

// expectFinSpaceReset checks the i-th ResetUserPassword request for a user
// against the wire facts.
func expectFinSpaceReset(user string, i int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := finspaceResets(user)
		if len(reqs) <= i {
			return fmt.Errorf("user %s: no ResetUserPassword request #%d", user, i+1)
		}
		_, err := checkFinSpaceResetRequest(reqs[i], user)
		return err
	}
}

// finspaceLastResetAt is when the emulator received the user's last reset.
func finspaceLastResetAt(userID string) func() (time.Time, bool) {
	return func() (time.Time, bool) {
		reqs := finspaceResets(userID)
		if len(reqs) == 0 {
			return time.Time{}, false
		}
		return reqs[len(reqs)-1].Time, true
	}
}

var huaweiAuthorizationPattern = regexp.MustCompile(`^SDK-HMAC-SHA256 Access=` + regexp.QuoteMeta(huaweiemu.TestAccessKey) +
	`, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`)

// expectHuaweiReset checks the i-th reset-password request for a user
// against the wire facts: path with the identity store, method, a JSON body
// that is exactly {"mode": mode}, and an SDK-HMAC-SHA256 signature with the
// test access key over X-Sdk-Date.
func expectHuaweiReset(userID string, i int, mode string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := huaweiResets(userID)
		if len(reqs) <= i {
			return fmt.Errorf("user %s: no reset-password request #%d", userID, i+1)
		}
		r := reqs[i]
		wantPath := "/v1/identity-stores/" + huaweiemu.TestIdentityStoreID + "/users/" + userID + "/reset-password"
		if r.Method != http.MethodPost || r.Path != wantPath {
			return fmt.Errorf("reset request is %s %s, want POST %s", r.Method, r.Path, wantPath)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return fmt.Errorf("reset request Content-Type = %q, want application/json", ct)
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			return fmt.Errorf("reset request body is not JSON: %w", err)
		}
		if len(body) != 1 || body["mode"] != mode {
			return fmt.Errorf("reset request body is %s, want {\"mode\":%q}", r.Body, mode)
		}
		auth := r.Header.Get("Authorization")
		m := huaweiAuthorizationPattern.FindStringSubmatch(auth)
		if m == nil {
			return fmt.Errorf("reset request Authorization %q is not SDK-HMAC-SHA256 Access=%s, SignedHeaders=..., Signature=<hex>", auth, huaweiemu.TestAccessKey)
		}
		signed := strings.Split(m[1], ";")
		for _, h := range []string{"x-sdk-date", "host"} {
			if !slices.Contains(signed, h) {
				return fmt.Errorf("the signature does not cover %s (SignedHeaders=%s)", h, m[1])
			}
		}
		date := r.Header.Get("X-Sdk-Date")
		at, err := time.Parse("20060102T150405Z", date)
		if err != nil {
			return fmt.Errorf("X-Sdk-Date %q is not 20060102T150405Z", date)
		}
		if d := at.Sub(r.Time); d < -time.Minute || d > time.Minute {
			return fmt.Errorf("X-Sdk-Date %s is %s off the time the emulator received the request", date, d)
		}
		if strings.Contains(string(r.Body)+fmt.Sprint(r.Header), huaweiemu.TestSecretKey) {
			return fmt.Errorf("the secret key was sent in the request")
		}
		return nil
	}
}

// expectSentPassword checks the i-th password-changing request for a user:
// wire checks it for the backend's wire facts, and the body's new_password
// is the state attribute addr.key.
func (f *accFixture) expectSentPassword(t *testing.T, user string, i int, addr, key string, wire func(r emu.Request, body map[string]any) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		reqs := f.sets(user)
		if len(reqs) <= i {
			return fmt.Errorf("user %s: no %s #%d", user, f.setsName, i+1)
		}
		body := jsonBody(t, reqs[i])
		if err := wire(reqs[i], body); err != nil {
			return fmt.Errorf("user %s: %s #%d: %w", user, f.setsName, i+1, err)
		}
		want, err := stateAttr(s, addr, key)
		if err != nil {
			return err
		}
		if got, _ := body["new_password"].(string); got != want || got == "" {
			return fmt.Errorf("user %s: the new_password sent (%d characters) is not %s.%s in state (%d characters)", user, len(got), addr, key, len(want))
		}
		return nil
	}
}

// ocariotSetWire checks a password set on OCARIoT: answered 204, sent with
// the admin's bearer token, with a body holding exactly new_password.
func ocariotSetWire(r emu.Request, body map[string]any) error {
	if r.Status != http.StatusNoContent {
		return fmt.Errorf("answered %d, want 204", r.Status)
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.Count(token, ".") != 2 {
		return fmt.Errorf("does not carry \"Authorization: Bearer <JWT>\"")
	}
	if len(body) != 1 {
		return fmt.Errorf("the body has the keys %v, want only new_password", slices.Sorted(maps.Keys(body)))
	}
	return nil
}

// zatoPasswordWire checks a password PATCH on Zato: answered 200, sent with
// a session token and the current_app, password_expiry as wanted (absent
// when days is 0), and no must-change flag (Zato 3.x refuses it there).
func zatoPasswordWire(days int) func(r emu.Request, body map[string]any) error {
	return func(r emu.Request, body map[string]any) error {
		if r.Status != http.StatusOK {
			return fmt.Errorf("answered %d, want 200", r.Status)
		}
		if ust, _ := body["ust"].(string); ust == "" {
			return fmt.Errorf("carries no ust")
		}
		if body["current_app"] != zatoemu.TestCurrentApp {
			return fmt.Errorf("current_app = %v, want %q", body["current_app"], zatoemu.TestCurrentApp)
		}
		for _, k := range []string{"must_change", "password_must_change"} {
			if _, ok := body[k]; ok {
				return fmt.Errorf("carries %s (Zato 3.x refuses it on this endpoint)", k)
			}
		}
		got, hasDays := body["password_expiry"]
		switch {
		case days == 0 && hasDays:
			return fmt.Errorf("carries password_expiry = %v although no expiry was asked for", got)
		case days != 0 && got != float64(days):
			return fmt.Errorf("password_expiry = %v, want %d", got, days)
		}
		return nil
	}
}

// expectZatoMustChange checks the user's PATCH /zato/sso/user requests: n
// in all so far, the first (when there is one) setting password_must_change
// and answered 200.
func expectZatoMustChange(t *testing.T, user string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		calls := zatoCalls(t, zatoUserPath, user)
		if len(calls) != n {
			return fmt.Errorf("expected %d PATCH %s for user %s so far, the emulator recorded %d", n, zatoUserPath, user, len(calls))
		}
		if n > 0 && (calls[0]["password_must_change"] != true || calls[0]["(status)"] != http.StatusOK) {
			return fmt.Errorf("PATCH %s: password_must_change = %v, answered %v; want true, 200", zatoUserPath, calls[0]["password_must_change"], calls[0]["(status)"])
		}
		return nil
	}
}

// zatoRFC3339 renders a time as the provider does in state: RFC 3339 UTC,
// whole seconds.
func zatoRFC3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// zatoEmuTime checks that a state value is a time the emulator reports for
// a user, read when the check runs.
func zatoEmuTime(desc, userID string, field func(zatoemu.User) time.Time) stringCheck {
	return stringCheck{desc: desc, fn: func(s string) error {
		u, ok := testSandbox.Zato.GetUser(userID)
		if !ok {
			return fmt.Errorf("%s: the emulator has no user %s", desc, userID)
		}
		if want := zatoRFC3339(field(u)); s != want {
			return fmt.Errorf("%s = %q, the emulator reports %q", desc, s, want)
		}
		return nil
	}}
}

func zatoLastSet(u zatoemu.User) time.Time { return u.PasswordLastSet }
func zatoExpiry(u zatoemu.User) time.Time  { return u.PasswordExpiry }
