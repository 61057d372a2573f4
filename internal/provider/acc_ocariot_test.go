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

	"github.com/identityops/terraform-provider-identity/internal/passgen"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
)

// ocariotProviderConfig is a provider block for the OCARIoT emulator, logged
// in as its admin (whose tokens carry users:resetPassword).
func ocariotProviderConfig() string {
	return ocariotProviderConfigAs(ocariotemu.TestUsername, ocariotemu.TestPassword)
}

// ocariotProviderConfigAs is a provider block for the OCARIoT emulator,
// logged in as the given user.
func ocariotProviderConfigAs(username, password string) string {
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  max_retries        = 2
  ocariot {
    url      = %q
    username = %q
    password = %q
  }
}
`, testCAFile, testSandbox.OCARIoTURL, username, password)
}

// ocariotProviderConfigFromEnv is a provider block whose password comes from
// OCARIOT_PASSWORD, as a CI pipeline sets it (Terraform logs HCL source at
// TRACE, so a literal there would be out of the provider's hands).
func ocariotProviderConfigFromEnv(t *testing.T) string {
	t.Setenv("OCARIOT_PASSWORD", ocariotemu.TestPassword)
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  ocariot {
    url      = %q
    username = %q
  }
}
`, testCAFile, testSandbox.OCARIoTURL, ocariotemu.TestUsername)
}

// newOCARIoTID returns a random OCARIoT id: 24 lowercase hex characters.
func newOCARIoTID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// newOCARIoTUser adds a fresh user (no password yet) to the OCARIoT
// emulator and returns its id, so that parallel tests never share a user.
func newOCARIoTUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	id := newOCARIoTID(t)
	testSandbox.OCARIoT.AddUser(id)
	return id
}

// ocariotSet is one recorded POST /v1/users/{id}/reset-password.
type ocariotSet struct {
	auth   string
	status int
	body   map[string]any
}

// ocariotSets returns the password-setting requests the emulator received
// for a user, oldest first.
func ocariotSets(t *testing.T, userID string) []ocariotSet {
	t.Helper()
	var out []ocariotSet
	for _, r := range testSandbox.OCARIoT.Recorder.Match("POST", "/v1/users/"+userID+"/reset-password") {
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("a recorded reset-password body is not JSON: %v", err)
		}
		out = append(out, ocariotSet{auth: r.Header.Get("Authorization"), status: r.Status, body: body})
	}
	return out
}

// expectOCARIoTSets is a step check on the number of password-setting
// requests for a user so far.
func expectOCARIoTSets(t *testing.T, userID string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(ocariotSets(t, userID)); got != n {
			return fmt.Errorf("expected %d reset-password requests for user %s so far, the emulator recorded %d", n, userID, got)
		}
		return nil
	}
}

// ocariotStateAttr reads one attribute of a resource from the state.
func ocariotStateAttr(s *terraform.State, addr, key string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok || rs.Primary == nil {
		return "", fmt.Errorf("%s is not in the state", addr)
	}
	v, ok := rs.Primary.Attributes[key]
	if !ok {
		return "", fmt.Errorf("%s has no attribute %s in the state", addr, key)
	}
	return v, nil
}

// expectOCARIoTSetOf checks the i-th recorded set for a user: answered 204,
// sent with the admin's bearer token, and with a body holding exactly
// new_password, equal to the state attribute addr.key.
func expectOCARIoTSetOf(t *testing.T, userID string, i int, addr, key string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		sets := ocariotSets(t, userID)
		if len(sets) <= i {
			return fmt.Errorf("user %s: no reset-password request #%d", userID, i+1)
		}
		set := sets[i]
		if set.status != 204 {
			return fmt.Errorf("user %s: reset-password request #%d was answered %d, want 204", userID, i+1, set.status)
		}
		token, ok := strings.CutPrefix(set.auth, "Bearer ")
		if !ok || strings.Count(token, ".") != 2 {
			return fmt.Errorf("user %s: reset-password request #%d does not carry \"Authorization: Bearer <JWT>\"", userID, i+1)
		}
		if len(set.body) != 1 {
			keys := make([]string, 0, len(set.body))
			for k := range set.body {
				keys = append(keys, k)
			}
			return fmt.Errorf("user %s: reset-password body has the keys %v, want only new_password", userID, keys)
		}
		want, err := ocariotStateAttr(s, addr, key)
		if err != nil {
			return err
		}
		if got, _ := set.body["new_password"].(string); got != want || got == "" {
			return fmt.Errorf("user %s: the new_password sent (%d characters) is not %s.%s in state (%d characters)", userID, len(got), addr, key, len(want))
		}
		return nil
	}
}

// ocariotDefaultPolicy checks a password against the default generate
// policy: 32 characters from letters, digits and the default specials.
var ocariotDefaultPolicy = stringCheck{desc: "default generate policy", fn: func(s string) error {
	if len(s) != 32 {
		return fmt.Errorf("a generated password of %d characters, want the default 32", len(s))
	}
	for _, c := range s {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune(passgen.DefaultSpecial, c)
		if !ok {
			return fmt.Errorf("the generated password holds a character outside the default sets")
		}
	}
	return nil
}}

// TestAccUserPassword_ocariot covers a provider-generated password (the
// default: OCARIoT cannot generate) and a chosen one: what is sent and what
// lands in state; that the plan after apply is empty and nothing more is
// sent; import by user id followed by an empty plan; triggers issuing a new
// password; and refresh keeping state even when the users are gone.
func TestAccUserPassword_ocariot(t *testing.T) {
	generated, chosen := newOCARIoTUser(t), newOCARIoTUser(t)
	const chosenPassword = "Chosen-OCARIoT-Passw0rd!"
	current := func(id string) func() (string, bool) {
		return func() (string, bool) { return testSandbox.OCARIoT.CurrentPassword(id) }
	}
	chosenBlock := fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id  = %q
  password = %q
}
`, chosen, chosenPassword)
	// config has no triggers until one is given: an imported resource
	// has none in state, so triggers in the configuration would set a new
	// password at once (see the import steps).
	config := func(trigger string) string {
		triggers := ""
		if trigger != "" {
			triggers = fmt.Sprintf("triggers = { rotation = %q }", trigger)
		}
		return ocariotProviderConfig() + chosenBlock + fmt.Sprintf(`
resource "identity_user_password" "generated" {
  user_id = %q
  %s
}
`, generated, triggers)
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	const gen, cho = "identity_user_password.generated", "identity_user_password.chosen"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(gen, tfjsonpath.New("password")),
						plancheck.ExpectKnownValue(gen, tfjsonpath.New("generated_by"), knownvalue.StringExact("provider")),
						plancheck.ExpectSensitiveValue(gen, tfjsonpath.New("password")),
						plancheck.ExpectKnownValue(cho, tfjsonpath.New("generated_by"), knownvalue.Null()),
					},
					// The same configuration planned again after the apply
					// (with refresh): nothing to do. The request counts of
					// the later steps show that nothing was sent meanwhile.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("id"), knownvalue.StringExact(generated)),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), matchesServerPassword("password", current(generated))),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), ocariotDefaultPolicy),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("generated_by"), knownvalue.StringExact("provider")),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("last_changed_at"), rfc3339Check("last_changed_at", func(c time.Time) error {
						if d := time.Since(c); d < -time.Minute || d > 5*time.Minute {
							return fmt.Errorf("last_changed_at %s is not the time of this apply", c)
						}
						return nil
					})),
					// OCARIoT reports no expiry and takes no must-change flag.
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("expiry_notification_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("password"), knownvalue.StringExact(chosenPassword)),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("password"), matchesServerPassword("password", current(chosen))),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("generated_by"), knownvalue.Null()),
					passwords.AddStateValue(gen, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectOCARIoTSets(t, generated, 1),
					expectOCARIoTSets(t, chosen, 1),
					expectOCARIoTSetOf(t, generated, 0, gen, "password"),
					expectOCARIoTSetOf(t, chosen, 0, cho, "password"),
				),
			},
			{
				// Terraform forgets the generated password (it stays in place)...
				Config: ocariotProviderConfig() + chosenBlock + `
removed {
  from = identity_user_password.generated
  lifecycle {
    destroy = false
  }
}
`,
				Check: resource.ComposeTestCheckFunc(expectOCARIoTSets(t, generated, 1), expectOCARIoTSets(t, chosen, 1)),
			},
			{
				// ...and imports it again by user id: no password, the defaults.
				Config:             config(""),
				ResourceName:       gen,
				ImportState:        true,
				ImportStateId:      generated,
				ImportStatePersist: true,
				// The state holds the chosen password too.
				ImportStateCheck: importedWithoutPassword(generated, "provider", 0),
			},
			{
				// After import: an empty plan.
				Config:   config(""),
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Triggers first configured on an imported password are
				// adopted: the update only records them, sends nothing and
				// brings no password into state.
				Config: config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(gen, tfjsonpath.New("password"), knownvalue.Null()),
					},
				},
			},
			{
				// A trigger change sets a new provider-generated password in
				// place; the chosen password is left alone. One request in
				// all since the first apply: nothing was sent before.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(gen, tfjsonpath.New("password")),
						plancheck.ExpectResourceAction(cho, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), matchesServerPassword("password", current(generated))),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), ocariotDefaultPolicy),
					passwords.AddStateValue(gen, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectOCARIoTSets(t, generated, 2),
					expectOCARIoTSets(t, chosen, 1),
					expectOCARIoTSetOf(t, generated, 1, gen, "password"),
				),
			},
			{
				// The documented limitation: OCARIoT cannot read users, so
				// refresh keeps state as it is, even for users that no longer
				// exist, and the plan stays empty.
				PreConfig: func() {
					testSandbox.OCARIoT.DeleteUser(generated)
					testSandbox.OCARIoT.DeleteUser(chosen)
				},
				Config:   config("2"),
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
		CheckDestroy: func(s *terraform.State) error {
			// Refresh, plan and destroy sent nothing.
			if err := expectOCARIoTSets(t, generated, 2)(s); err != nil {
				return err
			}
			return expectOCARIoTSets(t, chosen, 1)(s)
		},
	})
}

// TestAccPasswordResetAndUserDataSource_ocariot resets by setting a
// provider-generated password (OCARIoT has no reset of its own, no expiry
// and no must-change flag), then reads the user with identity_user: OCARIoT
// cannot read users, so every attribute is null and nothing is sent for it.
func TestAccPasswordResetAndUserDataSource_ocariot(t *testing.T) {
	user := newOCARIoTUser(t)
	const addr, data = "identity_password_reset.test", "data.identity_user.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: ocariotProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id = %q
}

data "identity_user" "test" {
  user_id    = identity_password_reset.test.user_id
  depends_on = [identity_password_reset.test]
}
`, user),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
					plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("temporary_password")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("temporary_password"),
					matchesServerPassword("temporary_password", func() (string, bool) { return testSandbox.OCARIoT.CurrentPassword(user) })),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("temporary_password"), ocariotDefaultPolicy),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("send_email"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("reset_at"), rfc3339Check("reset_at", func(r time.Time) error {
					if d := time.Since(r); d < -time.Minute || d > 5*time.Minute {
						return fmt.Errorf("reset_at %s is not the time of this apply", r)
					}
					return nil
				})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("user_id"), knownvalue.StringExact(user)),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("exists"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("enabled"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("password_last_changed_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("password_expires_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("password_must_change"), knownvalue.Null()),
			},
			Check: resource.ComposeTestCheckFunc(
				// The reset's one request, and none from the data source.
				expectOCARIoTSets(t, user, 1),
				expectOCARIoTSetOf(t, user, 0, addr, "temporary_password"),
				func(*terraform.State) error {
					if n := testSandbox.OCARIoT.Recorder.Count("", user); n != 1 {
						return fmt.Errorf("%d requests mention the user, want only the reset's", n)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccValidation_ocariotPlanTime runs configurations OCARIoT cannot
// honour: each fails at plan with errors naming the attribute and the
// backend, and none sends a request.
func TestAccValidation_ocariotPlanTime(t *testing.T) {
	testAccPreCheck(t)
	user := newOCARIoTID(t)
	// notSupported matches the plan-time error for one attribute.
	notSupported := func(attr string) string {
		return `Error: Not Supported By OCARIoT.*?` + attr + `\s+cannot\s+be\s+used\s+with\s+this\s+provider\s+block`
	}
	cases := []struct {
		name, config, want string
	}{
		{
			// One error per attribute, in the order the provider checks
			// them, which is also their order in the file: the diagnostics
			// come in this order whether or not Terraform sorts them by
			// source position. The user id has 23 characters.
			name: "user password attributes",
			config: `
resource "identity_user_password" "test" {
  user_id                    = "5a62be07d6f33400146c9b6"
  generated_by               = "server"
  force_change_on_next_login = true
  expires_at                 = "2030-01-02T03:04:05Z"
  notify_user                = true
}
`,
			want: `(?s)Error: Invalid User ID.*?OCARIoT\s+expects\s+the\s+24-character\s+hex\s+OCARIoT\s+user\s+id:\s+` +
				`A\s+24-byte\s+hex\s+ID\s+similar\s+to\s+this:\s+507f191e810c19729de860ea\s+is\s+expected.*?` +
				notSupported("generated_by") + `.*?` + notSupported("force_change_on_next_login") +
				`.*?` + notSupported("expires_at") + `.*?` + notSupported("notify_user"),
		},
		{
			name: "reset attributes",
			config: fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id                    = %q
  send_email                 = true
  valid_for_days             = 3
  force_change_on_next_login = true
}
`, user),
			want: `(?s)` + notSupported("send_email") + `.*?` + notSupported("valid_for_days") + `.*?` + notSupported("force_change_on_next_login"),
		},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			before := len(testSandbox.OCARIoT.Recorder.Requests())
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(nil),
				Steps: []resource.TestStep{{
					Config:      ocariotProviderConfig() + tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
				CheckDestroy: func(*terraform.State) error {
					if n := len(testSandbox.OCARIoT.Recorder.Requests()) - before; n != 0 {
						return fmt.Errorf("an invalid configuration sent %d requests to OCARIoT", n)
					}
					return nil
				},
			})
		})
	}
}

// TestAccUserPassword_ocariotMissingScope logs in as a user whose token
// lacks users:resetPassword: the apply fails with a diagnostic that says so,
// and no state is written.
func TestAccUserPassword_ocariotMissingScope(t *testing.T) {
	user := newOCARIoTUser(t)
	config := ocariotProviderConfigAs(ocariotemu.TestNoScopeUsername, ocariotemu.TestNoScopePassword) + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Unable To Set Password.*HTTP\s+403.*FORBIDDEN.*scope\s+must\s+include\s+users:resetPassword`),
			},
			{
				// Nothing was written to state: the plan creates the
				// resource again (a tainted one would be replaced).
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionCreate),
					},
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			sets := ocariotSets(t, user)
			if len(sets) != 1 || sets[0].status != 403 {
				return fmt.Errorf("expected one reset-password request answered 403, got %d", len(sets))
			}
			if !strings.HasPrefix(sets[0].auth, "Bearer ") {
				return fmt.Errorf("the refused request carried no bearer token")
			}
			if pw, ok := testSandbox.OCARIoT.CurrentPassword(user); !ok || pw != "" || len(testSandbox.OCARIoT.IssuedPasswords(user)) != 0 {
				return fmt.Errorf("the user's password changed although the request was refused")
			}
			return nil
		},
	})
}

// TestAccSecrets_ocariotNotInTraceLogs applies a provider-generated and a
// chosen password and a reset, then a set refused for an unknown user, with
// Terraform and the provider logging at TRACE into one file, and fails if
// the admin password, any access token or any password set appears there.
func TestAccSecrets_ocariotNotInTraceLogs(t *testing.T) {
	testAccPreCheck(t)
	userGen, userChosen, userReset := newOCARIoTUser(t), newOCARIoTUser(t), newOCARIoTUser(t)
	unknown := newOCARIoTID(t)
	log := traceLog(t)
	const chosen, refused = "Secret-OCARIoT-Chosen-1!", "Secret-OCARIoT-Refused-2!"
	t.Setenv("TF_VAR_chosen_password", chosen)
	t.Setenv("TF_VAR_refused_password", refused)
	provider := ocariotProviderConfigFromEnv(t)
	variables := `
variable "chosen_password" {
  type      = string
  sensitive = true
}

variable "refused_password" {
  type      = string
  sensitive = true
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: provider + variables + fmt.Sprintf(`
resource "identity_user_password" "generated" {
  user_id = %q
}

resource "identity_user_password" "chosen" {
  user_id  = %q
  password = var.chosen_password
}

resource "identity_password_reset" "reset" {
  user_id = %q
}
`, userGen, userChosen, userReset),
				Check: resource.ComposeTestCheckFunc(
					expectOCARIoTSets(t, userGen, 1),
					expectOCARIoTSets(t, userChosen, 1),
					expectOCARIoTSets(t, userReset, 1),
				),
			},
			{
				// A failing call: the user does not exist, and neither the
				// diagnostic nor any log line may echo the password sent.
				Config: provider + variables + fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id  = %q
  password = var.refused_password
}
`, unknown),
				ExpectError: regexp.MustCompile(`(?s)Unable To Set Password.*User not found`),
			},
		},
	})
	secrets := map[string]string{
		"OCARIoT admin password": ocariotemu.TestPassword,
		"chosen password":        chosen,
		"refused password":       refused,
	}
	for name, id := range map[string]string{"generated": userGen, "chosen": userChosen, "reset": userReset} {
		issued := testSandbox.OCARIoT.IssuedPasswords(id)
		if len(issued) == 0 {
			t.Fatalf("the emulator holds no password set for the %s user", name)
		}
		for i, pw := range issued {
			secrets[fmt.Sprintf("%s password %d", name, i)] = pw
		}
	}
	seen := map[string]bool{}
	for _, r := range testSandbox.OCARIoT.Recorder.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" && !seen[tok] {
			seen[tok] = true
			secrets[fmt.Sprintf("access token %d", len(seen))] = tok
		}
	}
	if len(seen) == 0 {
		t.Fatal("the emulator recorded no bearer token")
	}
	scanForSecrets(t, log, secrets)
}

// TestAccUserPassword_generateNullUnlessSet: an unset generate policy stays
// null in state and the defaults apply; setting the defaults explicitly, or
// removing them, is an update that sends nothing and keeps the password; a
// policy that differs generates a new password that follows it.
func TestAccUserPassword_generateNullUnlessSet(t *testing.T) {
	user := newOCARIoTUser(t)
	const res = "identity_user_password.p"
	config := func(generate string) string {
		return ocariotProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "p" {
  user_id = %q
  %s
}
`, user, generate)
	}
	current := func() (string, bool) { return testSandbox.OCARIoT.CurrentPassword(user) }
	same := statecheck.CompareValue(compare.ValuesSame())
	differ := statecheck.CompareValue(compare.ValuesDiffer())
	length := func(n int) stringCheck {
		return stringCheck{desc: fmt.Sprintf("%d characters", n), fn: func(s string) error {
			if len(s) != n {
				return fmt.Errorf("a password of %d characters, want %d", len(s), n)
			}
			return nil
		}}
	}
	explicitDefaults := "generate = {\n    length  = 32\n    special = true\n    min_upper = 0\n  }"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("generate"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), ocariotDefaultPolicy),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), matchesServerPassword("password", current)),
					same.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: expectOCARIoTSets(t, user, 1),
			},
			{
				// The defaults, set explicitly: generate changes in state, the password does not.
				Config: config(explicitDefaults),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("last_changed_at"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("generate").AtMapKey("length"), knownvalue.Int64Exact(32)),
					same.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: expectOCARIoTSets(t, user, 1),
			},
			{
				// ...and removed again: no new password either.
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("last_changed_at"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("generate"), knownvalue.Null()),
					same.AddStateValue(res, tfjsonpath.New("password")),
					differ.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: expectOCARIoTSets(t, user, 1),
			},
			{
				// A policy that differs from the defaults: a new password that follows it.
				Config: config("generate = {\n    length = 20\n  }"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(res, tfjsonpath.New("password")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), length(20)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), matchesServerPassword("password", current)),
					differ.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(expectOCARIoTSets(t, user, 2), expectOCARIoTSetOf(t, user, 1, res, "password")),
			},
			{
				// Back to the unset policy, which is not length 20: a new default password.
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("password"), ocariotDefaultPolicy),
					differ.AddStateValue(res, tfjsonpath.New("password")),
				},
				Check: expectOCARIoTSets(t, user, 3),
			},
			{Config: config(""), PlanOnly: true},
		},
	})
}
