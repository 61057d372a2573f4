package provider

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
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
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
)

// finspaceProviderConfig is a provider block for the FinSpace emulator. The
// credentials come from the AWS_* environment TestMain set, as from any AWS
// credential chain.
func finspaceProviderConfig() string {
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  max_retries        = 2
  aws_finspace {
    region   = %q
    endpoint = %q
  }
}
`, testCAFile, finspaceemu.TestRegion, testSandbox.FinSpaceURL)
}

// newFinSpaceUser adds a fresh APP_USER with the given status (ENABLED or
// DISABLED) to the FinSpace emulator and returns its userId, so that
// parallel tests never share a user.
func newFinSpaceUser(t *testing.T, status string) string {
	t.Helper()
	testAccPreCheck(t)
	id := "fs-acc-" + finspaceRandomHex(t, 8) // 23 characters: FinSpace allows 26
	testSandbox.FinSpace.AddUser(finspaceemu.User{ID: id, FirstName: "Acc", LastName: "Test", EmailAddress: id + "@example.com", Status: status})
	return id
}

func finspaceRandomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// finspaceResets returns the ResetUserPassword requests recorded for a user.
func finspaceResets(userID string) []emu.Request {
	return testSandbox.FinSpace.Recorder.Match("POST", "/user/"+userID+"/password")
}

// expectFinSpaceResets is a step check on the number of ResetUserPassword
// requests for a user so far.
func expectFinSpaceResets(userID string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(finspaceResets(userID)); got != n {
			return fmt.Errorf("expected %d ResetUserPassword requests for user %s so far, the emulator recorded %d", n, userID, got)
		}
		return nil
	}
}

var finspaceAuthorizationPattern = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=` + regexp.QuoteMeta(finspaceemu.TestAccessKeyID) +
	`/(\d{8})/us-east-1/finspace-api/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`)

// checkFinSpaceResetRequest checks one recorded ResetUserPassword request
// against the wire facts: path, method, content type, a clientToken of 1–128
// characters and nothing else in the body, and a SigV4 Authorization scoped
// to us-east-1/finspace-api with the test access key. It returns the token.
func checkFinSpaceResetRequest(r emu.Request, userID string) (string, error) {
	if r.Method != "POST" || r.Path != "/user/"+userID+"/password" {
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

// finspaceTimeOffset is a compare.ValueComparer for two RFC 3339 values:
// the second must be the first plus d.
type finspaceTimeOffset struct{ d time.Duration }

var _ compare.ValueComparer = finspaceTimeOffset{}

func (c finspaceTimeOffset) CompareValues(values ...any) error {
	if len(values) != 2 {
		return fmt.Errorf("expected two values, got %d", len(values))
	}
	var ts [2]time.Time
	for i, v := range values {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("value %d is %T, want an RFC 3339 string", i+1, v)
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return fmt.Errorf("value %d %q is not RFC 3339: %w", i+1, s, err)
		}
		ts[i] = t
	}
	if !ts[1].Equal(ts[0].Add(c.d)) {
		return fmt.Errorf("%s is not %s + %s", ts[1].Format(time.RFC3339), ts[0].Format(time.RFC3339), c.d)
	}
	return nil
}

// finspaceNear checks an RFC 3339 value lies within 5 seconds of when the
// emulator received the given request (the emulator clock is real time).
func finspaceNear(desc string, at func() (time.Time, bool)) knownvalue.Check {
	return rfc3339Check(desc, func(v time.Time) error {
		want, ok := at()
		if !ok {
			return fmt.Errorf("%s: the emulator recorded no request to compare with", desc)
		}
		if d := v.Sub(want); d < -5*time.Second || d > 5*time.Second {
			return fmt.Errorf("%s %s is not when the emulator answered (%s)", desc, v.Format(time.RFC3339), want.Format(time.RFC3339))
		}
		return nil
	})
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

func TestAccUserPassword_finspaceServerGenerated(t *testing.T) {
	user := newFinSpaceUser(t, "ENABLED")
	current := func() (string, bool) { return testSandbox.FinSpace.CurrentPassword(user) }
	config := func(trigger string) string {
		return finspaceProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id  = %q
  triggers = { rotation = %q }
}
`, user, trigger)
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	const res = "identity_user_password.test"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
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
					statecheck.ExpectKnownValue(res, tfjsonpath.New("last_changed_at"), finspaceNear("last_changed_at", finspaceLastResetAt(user))),
					statecheck.CompareValuePairs(res, tfjsonpath.New("last_changed_at"), res, tfjsonpath.New("expires_at"), finspaceTimeOffset{7 * 24 * time.Hour}),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("expiry_notification_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
					passwords.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectFinSpaceResets(user, 1),
					func(*terraform.State) error {
						_, err := checkFinSpaceResetRequest(finspaceResets(user)[0], user)
						return err
					},
				),
			},
			{
				// The same configuration again: nothing to do, no reset.
				Config:           config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectFinSpaceResets(user, 1),
			},
			{
				// A trigger change issues a new password in place, which the
				// emulator holds as current (the first no longer works).
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(res, tfjsonpath.New("password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), matchesServerPassword("password", current)),
					statecheck.CompareValuePairs(res, tfjsonpath.New("last_changed_at"), res, tfjsonpath.New("expires_at"), finspaceTimeOffset{7 * 24 * time.Hour}),
					passwords.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectFinSpaceResets(user, 2),
					func(*terraform.State) error {
						reqs := finspaceResets(user)
						first, err := checkFinSpaceResetRequest(reqs[0], user)
						if err != nil {
							return err
						}
						second, err := checkFinSpaceResetRequest(reqs[1], user)
						if err != nil {
							return err
						}
						if first == second {
							return fmt.Errorf("two separate resets reused one clientToken: the service would replay the first password")
						}
						if n := len(testSandbox.FinSpace.IssuedPasswords(user)); n != 2 {
							return fmt.Errorf("the emulator issued %d passwords, want 2", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccUserPassword_finspaceImport: a password Terraform forgot is imported
// by user id with no change planned; then the user is deleted outside
// Terraform and the next plan creates the resource again.
func TestAccUserPassword_finspaceImport(t *testing.T) {
	user := newFinSpaceUser(t, "ENABLED")
	testAccServerGeneratedImport(t, finspaceProviderConfig(), user, expectFinSpaceResets(user, 1),
		func() { testSandbox.FinSpace.DeleteUser(user) })
}

// TestAccUserPassword_finspaceLostResponse: the emulator issues a password
// and drops the connection before answering. The transport retries with the
// same clientToken, so the service replays the first answer: one password
// issued, and it is the one in state.
func TestAccUserPassword_finspaceLostResponse(t *testing.T) {
	user := newFinSpaceUser(t, "ENABLED")
	testSandbox.FinSpace.Faults.Inject(emu.Fault{
		Kind:         emu.FaultResetAfter,
		Method:       "POST",
		PathContains: "/user/" + user + "/password",
		Times:        1,
	})
	current := func() (string, bool) { return testSandbox.FinSpace.CurrentPassword(user) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: finspaceProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
			},
			Check: func(*terraform.State) error {
				reqs := finspaceResets(user)
				if len(reqs) != 2 {
					return fmt.Errorf("expected the lost reset and one retry (2 requests), the emulator recorded %d", len(reqs))
				}
				if reqs[0].Status != 0 || reqs[1].Status != 200 {
					return fmt.Errorf("answers were %d then %d, want a dropped connection (0) then 200: the fault did not apply", reqs[0].Status, reqs[1].Status)
				}
				first, err := checkFinSpaceResetRequest(reqs[0], user)
				if err != nil {
					return err
				}
				retry, err := checkFinSpaceResetRequest(reqs[1], user)
				if err != nil {
					return err
				}
				if first != retry {
					return fmt.Errorf("the retry carried a different clientToken than the lost request")
				}
				if n := len(testSandbox.FinSpace.IssuedPasswords(user)); n != 1 {
					return fmt.Errorf("the emulator issued %d passwords for one apply, want exactly 1", n)
				}
				return nil
			},
		}},
	})
}

func TestAccPasswordReset_finspace(t *testing.T) {
	user := newFinSpaceUser(t, "ENABLED")
	current := func() (string, bool) { return testSandbox.FinSpace.CurrentPassword(user) }
	config := func(trigger string) string {
		return finspaceProviderConfig() + fmt.Sprintf(`
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
					statecheck.ExpectKnownValue(res, tfjsonpath.New("reset_at"), finspaceNear("reset_at", finspaceLastResetAt(user))),
					statecheck.CompareValuePairs(res, tfjsonpath.New("reset_at"), res, tfjsonpath.New("expires_at"), finspaceTimeOffset{7 * 24 * time.Hour}),
					ids.AddStateValue(res, tfjsonpath.New("id")),
					passwords.AddStateValue(res, tfjsonpath.New("temporary_password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectFinSpaceResets(user, 1),
					func(*terraform.State) error {
						_, err := checkFinSpaceResetRequest(finspaceResets(user)[0], user)
						return err
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
					statecheck.CompareValuePairs(res, tfjsonpath.New("reset_at"), res, tfjsonpath.New("expires_at"), finspaceTimeOffset{7 * 24 * time.Hour}),
					ids.AddStateValue(res, tfjsonpath.New("id")),
					passwords.AddStateValue(res, tfjsonpath.New("temporary_password")),
				},
				Check: expectFinSpaceResets(user, 2),
			},
		},
	})
}

func TestAccUserDataSource_finspace(t *testing.T) {
	enabled, disabled := newFinSpaceUser(t, "ENABLED"), newFinSpaceUser(t, "DISABLED")
	unknown := "fs-none-" + finspaceRandomHex(t, 8)
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.identity_user.enabled", tfjsonpath.New("exists"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.identity_user.enabled", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.identity_user.disabled", tfjsonpath.New("exists"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue("data.identity_user.disabled", tfjsonpath.New("enabled"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.identity_user.unknown", tfjsonpath.New("exists"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.identity_user.unknown", tfjsonpath.New("enabled"), knownvalue.Null()),
	}
	// FinSpace's GetUser says nothing about passwords.
	for _, ds := range []string{"enabled", "disabled", "unknown"} {
		for _, attr := range []string{"password_last_changed_at", "password_expires_at", "password_must_change"} {
			checks = append(checks, statecheck.ExpectKnownValue("data.identity_user."+ds, tfjsonpath.New(attr), knownvalue.Null()))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: finspaceProviderConfig() + fmt.Sprintf(`
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
					if n := testSandbox.FinSpace.Recorder.Count("GET", "/user/"+u); n == 0 {
						return fmt.Errorf("no GetUser request for %s: the data source did not ask the service", u)
					}
					if n := len(finspaceResets(u)); n != 0 {
						return fmt.Errorf("reading user %s sent %d resets", u, n)
					}
				}
				return nil
			},
		}},
	})
}

// TestAccValidation_finspaceUnsupported: each attribute FinSpace cannot
// honour fails at plan, naming the attribute and the backend, and no
// request reaches the service for that user.
func TestAccValidation_finspaceUnsupported(t *testing.T) {
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
		{"reset send_email", "identity_password_reset", "send_email", `send_email = true`},
		{"reset force change", "identity_password_reset", "force_change_on_next_login", `force_change_on_next_login = true`},
	}
	// One test case, one step per attribute: each step is a plan only, so
	// the case runs Terraform init once.
	users := make([]string, len(cases))
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		users[i] = newFinSpaceUser(t, "ENABLED")
		steps[i] = resource.TestStep{
			Config: finspaceProviderConfig() + fmt.Sprintf(`
resource %q "test" {
  user_id = %q
  %s
}
`, tc.resource, users[i], tc.body),
			PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)Error: Not Supported By AWS FinSpace.*AWS\s+FinSpace\s+cannot\s.*\sso\s+` +
				regexp.QuoteMeta(tc.attr) + `\s+cannot\s+be\s+used`),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps:                    steps,
	})
	for i, tc := range cases {
		if n := testSandbox.FinSpace.Recorder.Count("", "/user/"+users[i]); n != 0 {
			t.Errorf("%s: a configuration refused at plan sent %d requests for its user", tc.name, n)
		}
	}
}

// errorCheckWithoutSecrets is a TestCase.ErrorCheck (used instead of ExpectError)
// that accepts only an error matching want and holding none of the secrets.
// The test fails at cleanup if no error came at all.
func errorCheckWithoutSecrets(t *testing.T, want *regexp.Regexp, secrets map[string]string) resource.ErrorCheckFunc {
	t.Helper()
	for name, s := range secrets {
		registerTestSecret(name, s) // the global scan looks for them in the logs too
	}
	seen := false
	t.Cleanup(func() {
		if !seen {
			t.Error("expected the apply to fail, but it did not")
		}
	})
	return func(err error) error {
		seen = true
		msg, redacted := err.Error(), err.Error()
		var shown []string
		for name, s := range secrets {
			if strings.Contains(msg, s) {
				shown = append(shown, name)
			}
			redacted = strings.ReplaceAll(redacted, s, "<"+name+">")
		}
		if len(shown) > 0 {
			return fmt.Errorf("the error shows the %s: %s", strings.Join(shown, " and the "), redacted)
		}
		if !want.MatchString(msg) {
			return fmt.Errorf("expected an error matching %s, got: %s", want, redacted)
		}
		return nil
	}
}

// TestAccUserPassword_finspaceWrongCredentials signs with a wrong secret
// access key: the apply fails with the service's error type and advice, and
// without the key. Not parallel: it sets the environment.
func TestAccUserPassword_finspaceWrongCredentials(t *testing.T) {
	user := newFinSpaceUser(t, "ENABLED")
	const wrong = "wrong/FinSpace/secret+key/0000000000099"
	t.Setenv("AWS_SECRET_ACCESS_KEY", wrong)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		ErrorCheck: errorCheckWithoutSecrets(t,
			regexp.MustCompile(`(?s)Error: Unable To Set Password.*InvalidSignatureException.*check\s+the\s+secret\s+access\s+key`),
			map[string]string{"wrong secret access key": wrong, "sandbox secret access key": finspaceemu.TestSecretAccessKey}),
		Steps: []resource.TestStep{{
			Config: finspaceProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user),
		}},
	})
	if n := len(finspaceResets(user)); n != 1 {
		t.Errorf("expected one refused reset request (a bad signature is not retried), got %d", n)
	}
	if n := len(testSandbox.FinSpace.IssuedPasswords(user)); n != 0 {
		t.Errorf("the emulator issued %d passwords on a bad signature", n)
	}
}

// TestAccSecrets_finspaceNotInTraceLogs applies a user password and a reset
// with Terraform and the provider logging at TRACE, and fails if the secret
// access key or any password the emulator issued appears in the log. The
// credentials come from the environment, as the AWS chain takes them.
func TestAccSecrets_finspaceNotInTraceLogs(t *testing.T) {
	testAccPreCheck(t)
	userSet, userReset := newFinSpaceUser(t, "ENABLED"), newFinSpaceUser(t, "ENABLED")
	log := traceLog(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: finspaceProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "set" {
  user_id = %q
}

resource "identity_password_reset" "reset" {
  user_id = %q
}
`, userSet, userReset),
		}},
	})
	secrets := map[string]string{"AWS secret access key": finspaceemu.TestSecretAccessKey}
	for name, id := range map[string]string{"user password": userSet, "temporary password": userReset} {
		issued := testSandbox.FinSpace.IssuedPasswords(id)
		if len(issued) == 0 {
			t.Fatalf("the emulator issued no %s", name)
		}
		for i, pw := range issued {
			secrets[fmt.Sprintf("%s %d", name, i+1)] = pw
		}
	}
	scanForSecrets(t, log, secrets)
}
