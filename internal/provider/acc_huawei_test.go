package provider

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
)

// huaweiBackendName is the backend's name in diagnostics.
const huaweiBackendName = "Huawei Cloud IAM Identity Center"

// huaweiProviderConfig is a provider block for the Huawei emulator with
// every huawei_identity_center attribute set in HCL.
func huaweiProviderConfig() string {
	return huaweiProviderConfigWithSecret(huaweiemu.TestSecretKey)
}

// huaweiProviderConfigWithSecret is huaweiProviderConfig with another secret key.
func huaweiProviderConfigWithSecret(secretKey string) string {
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  max_retries        = 2
  huawei_identity_center {
    region            = "ap-southeast-1"
    identity_store_id = %q
    access_key        = %q
    secret_key        = %q
    endpoint          = %q
  }
}
`, testCAFile, huaweiemu.TestIdentityStoreID, huaweiemu.TestAccessKey, secretKey, testSandbox.HuaweiURL)
}

// huaweiProviderConfigFromEnv is a provider block whose secret key comes
// from HW_SECRET_KEY, as a CI pipeline sets it. Tests that use it cannot run
// in parallel.
func huaweiProviderConfigFromEnv(t *testing.T) string {
	t.Setenv("HW_SECRET_KEY", huaweiemu.TestSecretKey)
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  huawei_identity_center {
    region            = "ap-southeast-1"
    identity_store_id = %q
    access_key        = %q
    endpoint          = %q
  }
}
`, testCAFile, huaweiemu.TestIdentityStoreID, huaweiemu.TestAccessKey, testSandbox.HuaweiURL)
}

// newHuaweiUser adds a fresh user to the Huawei emulator and returns its
// user_id, so that parallel tests never share a user.
func newHuaweiUser(t *testing.T, enabled bool) string {
	t.Helper()
	testAccPreCheck(t)
	id := huaweiRandomUUID(t)
	name := "acc-" + id[:8]
	testSandbox.Huawei.AddUser(huaweiemu.User{ID: id, UserName: name, DisplayName: "Acc " + id[:8], Email: name + "@example.com", Enabled: enabled})
	return id
}

func huaweiRandomUUID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// huaweiResets returns the reset-password requests recorded for a user.
func huaweiResets(userID string) []emu.Request {
	return testSandbox.Huawei.Recorder.Match("POST", "/users/"+userID+"/reset-password")
}

// expectHuaweiResets is a step check on the number of reset-password
// requests for a user so far.
func expectHuaweiResets(userID string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(huaweiResets(userID)); got != n {
			return fmt.Errorf("expected %d reset-password requests for user %s so far, the emulator recorded %d", n, userID, got)
		}
		return nil
	}
}

var huaweiAuthorizationPattern = regexp.MustCompile(`^SDK-HMAC-SHA256 Access=` + regexp.QuoteMeta(huaweiemu.TestAccessKey) +
	`, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`)

// checkHuaweiResetRequest checks one recorded reset-password request against
// the wire facts: path with the identity store, method, a JSON body that is
// exactly {"mode": mode}, and an SDK-HMAC-SHA256 signature with the test
// access key over X-Sdk-Date.
func checkHuaweiResetRequest(r emu.Request, userID, mode string) error {
	wantPath := "/v1/identity-stores/" + huaweiemu.TestIdentityStoreID + "/users/" + userID + "/reset-password"
	if r.Method != "POST" || r.Path != wantPath {
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

func TestAccUserPassword_huaweiServerGenerated(t *testing.T) {
	user := newHuaweiUser(t, true)
	current := func() (string, bool) { return testSandbox.Huawei.CurrentPassword(user) }
	config := func(trigger string) string {
		return huaweiProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id  = %q
  triggers = { rotation = %q }
}
`, user, trigger)
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	const res = "identity_user_password.test"
	var before time.Time

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { before = time.Now().UTC().Truncate(time.Second) },
				Config:    config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(res, tfjsonpath.New("password")),
						plancheck.ExpectKnownValue(res, tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
						plancheck.ExpectSensitiveValue(res, tfjsonpath.New("password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(user)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), matchesServerPassword("password", current)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("last_changed_at"), rfc3339Check("last_changed_at", func(v time.Time) error {
						if v.Before(before) || v.After(time.Now().Add(time.Second)) {
							return fmt.Errorf("last_changed_at %s is not the time of this apply (after %s)", v.Format(time.RFC3339), before.Format(time.RFC3339))
						}
						return nil
					})),
					// Identity Center does not publish the OTP lifetime.
					statecheck.ExpectKnownValue(res, tfjsonpath.New("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("expiry_notification_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
					passwords.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectHuaweiResets(user, 1),
					func(*terraform.State) error {
						return checkHuaweiResetRequest(huaweiResets(user)[0], user, "OTP")
					},
				),
			},
			{
				// The same configuration again: nothing to do, no reset.
				Config:           config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectHuaweiResets(user, 1),
			},
			{
				// A trigger change issues a new one-time password in place.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(res, tfjsonpath.New("password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), matchesServerPassword("password", current)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("expires_at"), knownvalue.Null()),
					passwords.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectHuaweiResets(user, 2),
					func(*terraform.State) error {
						if err := checkHuaweiResetRequest(huaweiResets(user)[1], user, "OTP"); err != nil {
							return err
						}
						if n := len(testSandbox.Huawei.IssuedPasswords(user)); n != 2 {
							return fmt.Errorf("the emulator issued %d one-time passwords, want 2", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccUserPassword_huaweiImport: a password Terraform forgot is imported
// by user id with no change planned; then the user is deleted outside
// Terraform and the next plan creates the resource again.
func TestAccUserPassword_huaweiImport(t *testing.T) {
	user := newHuaweiUser(t, true)
	testAccServerGeneratedImport(t, huaweiProviderConfig(), user, expectHuaweiResets(user, 1),
		func() { testSandbox.Huawei.DeleteUser(user) })
}

func TestAccPasswordReset_huawei(t *testing.T) {
	user := newHuaweiUser(t, true)
	current := func() (string, bool) { return testSandbox.Huawei.CurrentPassword(user) }
	config := func(trigger string) string {
		return huaweiProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id  = %q
  triggers = { n = %q }
}
`, user, trigger)
	}
	const res = "identity_password_reset.test"
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
						plancheck.ExpectSensitiveValue(res, tfjsonpath.New("temporary_password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("temporary_password"), matchesServerPassword("temporary_password", current)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("send_email"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("reset_at"), rfc3339Check("reset_at", nil)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("expires_at"), knownvalue.Null()),
					ids.AddStateValue(res, tfjsonpath.New("id")),
					passwords.AddStateValue(res, tfjsonpath.New("temporary_password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectHuaweiResets(user, 1),
					func(*terraform.State) error {
						return checkHuaweiResetRequest(huaweiResets(user)[0], user, "OTP")
					},
				),
			},
			{
				// A trigger change resets again: a new resource, a new password.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("temporary_password"), matchesServerPassword("temporary_password", current)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("expires_at"), knownvalue.Null()),
					ids.AddStateValue(res, tfjsonpath.New("id")),
					passwords.AddStateValue(res, tfjsonpath.New("temporary_password")),
				},
				Check: expectHuaweiResets(user, 2),
			},
		},
	})
}

func TestAccPasswordReset_huaweiSendEmail(t *testing.T) {
	user := newHuaweiUser(t, true)
	const res = "identity_password_reset.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: huaweiProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id    = %q
  send_email = true
}
`, user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("temporary_password"), knownvalue.Null()),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("send_email"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("reset_at"), rfc3339Check("reset_at", nil)),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("expires_at"), knownvalue.Null()),
			},
			Check: func(*terraform.State) error {
				reqs := huaweiResets(user)
				if len(reqs) != 1 {
					return fmt.Errorf("expected one reset-password request, the emulator recorded %d", len(reqs))
				}
				if err := checkHuaweiResetRequest(reqs[0], user, "EMAIL"); err != nil {
					return err
				}
				if n := len(testSandbox.Huawei.IssuedPasswords(user)); n != 0 {
					return fmt.Errorf("an EMAIL reset issued %d one-time passwords", n)
				}
				if n := len(slices.DeleteFunc(testSandbox.Huawei.EmailsSent(), func(id string) bool { return id != user })); n != 1 {
					return fmt.Errorf("the emulator recorded %d reset emails to the user, want 1", n)
				}
				return nil
			},
		}},
	})
}

func TestAccUserDataSource_huawei(t *testing.T) {
	enabled, disabled := newHuaweiUser(t, true), newHuaweiUser(t, false)
	unknown := huaweiRandomUUID(t)
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.identity_user.enabled", tfjsonpath.New("exists"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.identity_user.enabled", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.identity_user.disabled", tfjsonpath.New("exists"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.identity_user.disabled", tfjsonpath.New("enabled"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.identity_user.unknown", tfjsonpath.New("exists"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.identity_user.unknown", tfjsonpath.New("enabled"), knownvalue.Null()),
	}
	// Identity Center reports nothing about passwords.
	for _, ds := range []string{"enabled", "disabled", "unknown"} {
		for _, attr := range []string{"password_last_changed_at", "password_expires_at", "password_must_change"} {
			checks = append(checks, statecheck.ExpectKnownValue("data.identity_user."+ds, tfjsonpath.New(attr), knownvalue.Null()))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: huaweiProviderConfig() + fmt.Sprintf(`
data "identity_user" "enabled" {
  user_id = %q
}

data "identity_user" "disabled" {
  user_id = %q
}

data "identity_user" "unknown" {
  user_id = %q
}
`, enabled, disabled, unknown),
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				for _, u := range []string{enabled, disabled, unknown} {
					want := "/v1/identity-stores/" + huaweiemu.TestIdentityStoreID + "/users/" + u
					if n := testSandbox.Huawei.Recorder.Count("GET", want); n == 0 {
						return fmt.Errorf("no GET %s: the data source did not ask the service", want)
					}
					if n := len(huaweiResets(u)); n != 0 {
						return fmt.Errorf("reading user %s sent %d resets", u, n)
					}
				}
				return nil
			},
		}},
	})
}

// TestAccValidation_huaweiUnsupported: each attribute Identity Center cannot
// honour fails at plan, naming the attribute and the backend, and no request
// reaches the service for that user.
func TestAccValidation_huaweiUnsupported(t *testing.T) {
	testAccPreCheck(t)
	cases := []struct {
		name, resource, attr, body string
	}{
		{"chosen password", "identity_user_password", "password", `password = "Chosen-Passw0rd-1!"`},
		{"provider generated", "identity_user_password", "generated_by", `generated_by = "provider"`},
		{"force change", "identity_user_password", "force_change_on_next_login", `force_change_on_next_login = true`},
		{"expires_at", "identity_user_password", "expires_at", `expires_at = "2030-01-01T00:00:00Z"`},
		{"notify_user", "identity_user_password", "notify_user", `notify_user = true`},
		{"clear_password_history", "identity_user_password", "clear_password_history", `clear_password_history = true`},
		{"reset valid_for_days", "identity_password_reset", "valid_for_days", `valid_for_days = 3`},
		{"reset force change", "identity_password_reset", "force_change_on_next_login", `force_change_on_next_login = true`},
	}
	// One test case, one plan-only step per attribute (one Terraform init).
	users := make([]string, len(cases))
	steps := make([]resource.TestStep, len(cases))
	summary := strings.ReplaceAll(regexp.QuoteMeta("Not Supported By "+huaweiBackendName), " ", `\s+`)
	for i, tc := range cases {
		users[i] = newHuaweiUser(t, true)
		steps[i] = resource.TestStep{
			Config: huaweiProviderConfig() + fmt.Sprintf(`
resource %q "test" {
  user_id = %q
  %s
}
`, tc.resource, users[i], tc.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Error: ` + summary + `.*\sso\s+` + regexp.QuoteMeta(tc.attr) + `\s+cannot\s+be\s+used`),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps:                    steps,
	})
	for i, tc := range cases {
		if n := testSandbox.Huawei.Recorder.Count("", "/users/"+users[i]); n != 0 {
			t.Errorf("%s: a configuration refused at plan sent %d requests for its user", tc.name, n)
		}
	}
}

// TestAccUserPassword_huaweiWrongCredentials signs with a wrong secret key:
// the apply fails with the gateway's error code and advice, and without the
// key.
func TestAccUserPassword_huaweiWrongCredentials(t *testing.T) {
	user := newHuaweiUser(t, true)
	const wrong = "wrongHuaweiSecretKey0000000000000000000099"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		ErrorCheck: errorCheckWithoutSecrets(t,
			regexp.MustCompile(`(?s)Error: Unable To Set Password.*APIGW\.0301.*Check\s+access_key,\s+secret_key`),
			map[string]string{"wrong secret key": wrong, "sandbox secret key": huaweiemu.TestSecretKey}),
		Steps: []resource.TestStep{{
			Config: huaweiProviderConfigWithSecret(wrong) + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user),
		}},
	})
	if n := len(huaweiResets(user)); n != 1 {
		t.Errorf("expected one refused reset request (a bad signature is not retried), got %d", n)
	}
	if n := len(testSandbox.Huawei.IssuedPasswords(user)); n != 0 {
		t.Errorf("the emulator issued %d one-time passwords on a bad signature", n)
	}
}

// TestAccSecrets_huaweiNotInTraceLogs applies a user password and a reset
// with Terraform and the provider logging at TRACE, and fails if the secret
// key or any one-time password the emulator issued appears in the log. The
// secret key comes from HW_SECRET_KEY: Terraform logs literal HCL at TRACE.
func TestAccSecrets_huaweiNotInTraceLogs(t *testing.T) {
	testAccPreCheck(t)
	userSet, userReset := newHuaweiUser(t, true), newHuaweiUser(t, true)
	log := traceLog(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: huaweiProviderConfigFromEnv(t) + fmt.Sprintf(`
resource "identity_user_password" "set" {
  user_id = %q
}

resource "identity_password_reset" "reset" {
  user_id = %q
}
`, userSet, userReset),
		}},
	})
	secrets := map[string]string{"Huawei secret key": huaweiemu.TestSecretKey}
	for name, id := range map[string]string{"user password": userSet, "temporary password": userReset} {
		issued := testSandbox.Huawei.IssuedPasswords(id)
		if len(issued) == 0 {
			t.Fatalf("the emulator issued no %s", name)
		}
		for i, pw := range issued {
			secrets[fmt.Sprintf("%s %d", name, i+1)] = pw
		}
	}
	scanForSecrets(t, log, secrets)
}
