package provider

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
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
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// zatoProviderConfig is a provider block for the Zato SSO REST emulator.
func zatoProviderConfig() string {
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  max_retries        = 2
  zato_sso {
    url         = %q
    username    = %q
    password    = %q
    current_app = %q
  }
}
`, testCAFile, testSandbox.ZatoURL, zatoemu.TestUsername, zatoemu.TestPassword, zatoemu.TestCurrentApp)
}

// zatoProviderConfigFromEnv is a provider block whose super-user password
// comes from ZATO_SSO_PASSWORD, as a CI pipeline sets it.
func zatoProviderConfigFromEnv(t *testing.T) string {
	t.Setenv("ZATO_SSO_PASSWORD", zatoemu.TestPassword)
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  zato_sso {
    url         = %q
    username    = %q
    current_app = %q
  }
}
`, testCAFile, testSandbox.ZatoURL, zatoemu.TestUsername, zatoemu.TestCurrentApp)
}

// zatoCLIProviderConfig is a provider block for the fake zato command on a
// fake server path.
func zatoCLIProviderConfig(t *testing.T, serverPath string) string {
	return fmt.Sprintf(`
provider "identity" {
  zato_sso {
    server_path  = %q
    zato_command = %q
  }
}
`, serverPath, zatoFakeCommand(t))
}

var (
	zatoFakeOnce sync.Once
	zatoFakePath string
	zatoFakeErr  error
)

// zatoFakeCommand builds the fake zato command once per test process. It
// goes into a directory of its own made with os.MkdirTemp, not t.TempDir:
// the first test to ask would otherwise delete it under the parallel tests
// still using it. Nothing removes that directory afterwards (TestMain is not
// ours to change, and no test knows it is the last user): it is left in the
// system temporary directory as identity-acc-fakezato-*.
func zatoFakeCommand(t *testing.T) string {
	t.Helper()
	zatoFakeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "identity-acc-fakezato-") //nolint:usetesting // shared by every test: see above
		if err != nil {
			zatoFakeErr = err
			return
		}
		zatoFakePath, zatoFakeErr = zatoemu.BuildFakeZato(dir)
	})
	if zatoFakeErr != nil {
		t.Fatalf("building the fake zato command: %v", zatoFakeErr)
	}
	return zatoFakePath
}

// zatoRandom returns n random bytes in hex.
func zatoRandom(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// zatoInitialPassword is a seed password that passes the server rules.
func zatoInitialPassword(t *testing.T) string {
	return "Initial-Seed-" + strings.NewReplacer("1", "x", "a", "y").Replace(zatoRandom(t, 6))
}

// newZatoUser adds a fresh user to the Zato REST emulator and returns its
// user_id, so that parallel tests never share a user.
func newZatoUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	return testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-" + zatoRandom(t, 6), Password: zatoInitialPassword(t)})
}

// newZatoCLIServer makes a fake Zato server path for one test, seeded with
// the given usernames (fresh passwords, must-change off), and builds the
// fake command if needed.
func newZatoCLIServer(t *testing.T, usernames ...string) string {
	t.Helper()
	testAccPreCheck(t)
	zatoFakeCommand(t)
	dir := t.TempDir()
	users := make([]zatoemu.CLIUser, len(usernames))
	for i, u := range usernames {
		users[i] = zatoemu.CLIUser{Username: u, Password: zatoInitialPassword(t)}
	}
	if err := zatoemu.CreateCLIServer(dir, users...); err != nil {
		t.Fatalf("creating the fake Zato server path: %v", err)
	}
	trackZatoCLIServer(t, dir)
	return dir
}

// zatoCalls returns the decoded bodies of the PATCH requests (every Zato
// write is one) to this exact path whose user_id is userID, oldest first.
func zatoCalls(t *testing.T, path, userID string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range testSandbox.Zato.Recorder.Requests() {
		if r.Method != http.MethodPatch || r.Path != path {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			continue // not one of ours: the provider always sends JSON
		}
		if body["user_id"] == userID {
			body["(status)"] = r.Status
			out = append(out, body)
		}
	}
	return out
}

const (
	zatoPasswordPath = "/zato/sso/user/password"
	zatoUserPath     = "/zato/sso/user"
)

// expectZatoCalls is a step check on the number of PATCH requests to path
// for a user so far.
func expectZatoCalls(t *testing.T, path, userID string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(zatoCalls(t, path, userID)); got != n {
			return fmt.Errorf("expected %d PATCH %s for user %s so far, the emulator recorded %d", n, path, userID, got)
		}
		return nil
	}
}

// zatoStateAttr reads one attribute of a resource from the state.
func zatoStateAttr(s *terraform.State, addr, key string) (string, error) {
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

// expectZatoPasswordPatch checks the i-th password PATCH for a user: sent
// with a session token and the current_app, answered 200, with new_password
// equal to addr.key in state, password_expiry as wanted (absent when
// wantDays is 0), and no must-change flag (Zato 3.x refuses it there).
func expectZatoPasswordPatch(t *testing.T, userID string, i int, addr, key string, wantDays int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		calls := zatoCalls(t, zatoPasswordPath, userID)
		if len(calls) <= i {
			return fmt.Errorf("user %s: no password PATCH #%d", userID, i+1)
		}
		body := calls[i]
		if body["(status)"] != 200 {
			return fmt.Errorf("user %s: password PATCH #%d was answered %v, want 200", userID, i+1, body["(status)"])
		}
		if ust, _ := body["ust"].(string); ust == "" {
			return fmt.Errorf("user %s: password PATCH #%d carries no ust", userID, i+1)
		}
		if body["current_app"] != zatoemu.TestCurrentApp {
			return fmt.Errorf("user %s: password PATCH #%d current_app = %v, want %q", userID, i+1, body["current_app"], zatoemu.TestCurrentApp)
		}
		for _, k := range []string{"must_change", "password_must_change"} {
			if _, ok := body[k]; ok {
				return fmt.Errorf("user %s: password PATCH #%d carries %s (Zato 3.x refuses it on this endpoint)", userID, i+1, k)
			}
		}
		days, hasDays := body["password_expiry"]
		switch {
		case wantDays == 0 && hasDays:
			return fmt.Errorf("user %s: password PATCH #%d carries password_expiry = %v although no expiry was asked for", userID, i+1, days)
		case wantDays != 0 && days != float64(wantDays):
			return fmt.Errorf("user %s: password PATCH #%d password_expiry = %v, want %d", userID, i+1, days, wantDays)
		}
		want, err := zatoStateAttr(s, addr, key)
		if err != nil {
			return err
		}
		if got, _ := body["new_password"].(string); got != want || got == "" {
			return fmt.Errorf("user %s: the new_password sent (%d characters) is not %s.%s in state (%d characters)", userID, len(got), addr, key, len(want))
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

// zatoDefaultPolicy checks a password against the default generate policy:
// 32 characters from letters, digits and the default specials.
var zatoDefaultPolicy = stringCheck{desc: "default generate policy", fn: func(s string) error {
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

// zatoNoSecretError matches an error output that holds every fragment in
// order and no "§" anywhere: the refused passwords of these tests contain
// "§", so the match fails if any part of one is echoed.
func zatoNoSecretError(fragments ...string) *regexp.Regexp {
	return regexp.MustCompile(`^[^§]*` + strings.Join(fragments, `[^§]*`) + `[^§]*$`)
}

// TestAccUserPassword_zato covers, over the REST API, a provider-generated
// password (the default: Zato's REST API cannot generate) and a chosen one
// with the must-change flag and a requested expiry: what is sent; that state
// holds what the server reports; that the plan after apply is empty and
// nothing more is set; import by user_id followed by an empty plan;
// triggers issuing a new password; and a user deleted outside Terraform
// planned for creation again.
func TestAccUserPassword_zato(t *testing.T) {
	generated, chosen := newZatoUser(t), newZatoUser(t)
	const chosenPassword = "Chosen-Sso-Pw-4821!"
	requested := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	current := func(id string) func() (string, bool) {
		return func() (string, bool) { return testSandbox.Zato.CurrentPassword(id) }
	}
	chosenBlock := fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id                    = %q
  password                   = %q
  force_change_on_next_login = true
  expires_at                 = %q
}
`, chosen, chosenPassword, zatoRFC3339(requested))
	// config has no triggers until one is given: an imported resource
	// has none in state, so triggers in the configuration would set a new
	// password at once (see the import steps).
	config := func(trigger string) string {
		triggers := ""
		if trigger != "" {
			triggers = fmt.Sprintf("triggers = { rotation = %q }", trigger)
		}
		return zatoProviderConfig() + chosenBlock + fmt.Sprintf(`
resource "identity_user_password" "generated" {
  user_id = %q
  %s
}
`, generated, triggers)
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	const gen, cho = "identity_user_password.generated", "identity_user_password.chosen"
	// noMoreSets: the password and must-change PATCHes so far.
	noMoreSets := func(genSets int) resource.TestCheckFunc {
		return resource.ComposeTestCheckFunc(
			expectZatoCalls(t, zatoPasswordPath, generated, genSets),
			expectZatoCalls(t, zatoUserPath, generated, 0),
			expectZatoCalls(t, zatoPasswordPath, chosen, 1),
			expectZatoCalls(t, zatoUserPath, chosen, 1),
		)
	}

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
						plancheck.ExpectKnownValue(cho, tfjsonpath.New("expires_at"), knownvalue.StringExact(zatoRFC3339(requested))),
					},
					// The same configuration planned again after the apply
					// (with refresh, which reads the users): nothing to do.
					// The request counts of the later steps show that
					// nothing was set meanwhile.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("id"), knownvalue.StringExact(generated)),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), matchesServerPassword("password", current(generated))),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), zatoDefaultPolicy),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("generated_by"), knownvalue.StringExact("provider")),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("last_changed_at"), zatoEmuTime("last_changed_at", generated, zatoLastSet)),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("expires_at"), zatoEmuTime("expires_at", generated, zatoExpiry)),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("password"), knownvalue.StringExact(chosenPassword)),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("password"), matchesServerPassword("password", current(chosen))),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("generated_by"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("force_change_on_next_login"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("expires_at"), knownvalue.StringExact(zatoRFC3339(requested))),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("last_changed_at"), zatoEmuTime("last_changed_at", chosen, zatoLastSet)),
					passwords.AddStateValue(gen, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					// The must-change flag goes with PATCH /zato/sso/user, and
					// only where it is configured.
					noMoreSets(1),
					expectZatoPasswordPatch(t, generated, 0, gen, "password", 0),
					// 30 days: the requested time, rounded up to whole days from now.
					expectZatoPasswordPatch(t, chosen, 0, cho, "password", 30),
					func(*terraform.State) error {
						if body := zatoCalls(t, zatoUserPath, chosen)[0]; body["password_must_change"] != true || body["(status)"] != 200 {
							return fmt.Errorf("PATCH %s: password_must_change = %v, answered %v; want true, 200", zatoUserPath, body["password_must_change"], body["(status)"])
						}
						u, _ := testSandbox.Zato.GetUser(chosen)
						if !u.MustChange {
							return fmt.Errorf("the emulator does not hold the must-change flag")
						}
						if u.PasswordExpiry.Before(requested) || !u.PasswordExpiry.Before(requested.Add(24*time.Hour)) {
							return fmt.Errorf("the emulator's password_expiry %s is not within a day after the requested %s", u.PasswordExpiry, requested)
						}
						return nil
					},
				),
			},
			{
				// Terraform forgets the generated password (it stays in place)...
				Config: zatoProviderConfig() + chosenBlock + `
removed {
  from = identity_user_password.generated
  lifecycle {
    destroy = false
  }
}
`,
				Check: noMoreSets(1),
			},
			{
				// ...and imports it again by user_id: no password, the defaults.
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
				// A trigger change sets a new generated password in place;
				// the chosen password is left alone. One more set in all:
				// nothing was set since the first apply.
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
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("last_changed_at"), zatoEmuTime("last_changed_at", generated, zatoLastSet)),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("expires_at"), zatoEmuTime("expires_at", generated, zatoExpiry)),
					passwords.AddStateValue(gen, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					noMoreSets(2),
					expectZatoPasswordPatch(t, generated, 1, gen, "password", 0),
				),
			},
			{
				// The user is deleted behind Terraform's back: refresh drops
				// the resource and the plan creates it again.
				PreConfig:          func() { testSandbox.Zato.DeleteUser(generated) },
				Config:             config("2"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(cho, plancheck.ResourceActionNoop),
					},
				},
			},
		},
	})
}

// TestAccPasswordResetAndUserDataSource_zato resets over REST by setting a
// provider-generated password with the requested lifetime and (by default)
// the must-change flag, then reads users with identity_user: the reset user,
// one with fixed password times, a locked one and an unknown one, each
// attribute as the server reports it.
func TestAccPasswordResetAndUserDataSource_zato(t *testing.T) {
	user := newZatoUser(t)
	lastSet := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	expiry := time.Date(2027, 8, 9, 10, 11, 12, 0, time.UTC)
	fixed := testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-" + zatoRandom(t, 6), Password: zatoInitialPassword(t),
		MustChange: true, PasswordLastSet: lastSet, PasswordExpiry: expiry})
	locked := testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-" + zatoRandom(t, 6), Password: zatoInitialPassword(t), Locked: true})
	missing := "zusr" + zatoRandom(t, 12)
	const addr = "identity_password_reset.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: zatoProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id        = %q
  valid_for_days = 5
}

data "identity_user" "reset" {
  user_id    = identity_password_reset.test.user_id
  depends_on = [identity_password_reset.test]
}

data "identity_user" "fixed" {
  user_id = %q
}

data "identity_user" "locked" {
  user_id = %q
}

data "identity_user" "missing" {
  user_id = %q
}
`, user, fixed, locked, missing),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("force_change_on_next_login"), knownvalue.Bool(true)),
					plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("temporary_password")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("temporary_password"),
					matchesServerPassword("temporary_password", func() (string, bool) { return testSandbox.Zato.CurrentPassword(user) })),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("temporary_password"), zatoDefaultPolicy),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("force_change_on_next_login"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("reset_at"), zatoEmuTime("reset_at", user, zatoLastSet)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("expires_at"), zatoEmuTime("expires_at", user, zatoExpiry)),

				statecheck.ExpectKnownValue("data.identity_user.reset", tfjsonpath.New("exists"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.reset", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.reset", tfjsonpath.New("password_must_change"), knownvalue.Bool(true)),
				statecheck.CompareValuePairs("data.identity_user.reset", tfjsonpath.New("password_last_changed_at"), addr, tfjsonpath.New("reset_at"), compare.ValuesSame()),
				statecheck.CompareValuePairs("data.identity_user.reset", tfjsonpath.New("password_expires_at"), addr, tfjsonpath.New("expires_at"), compare.ValuesSame()),

				statecheck.ExpectKnownValue("data.identity_user.fixed", tfjsonpath.New("exists"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.fixed", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.fixed", tfjsonpath.New("password_last_changed_at"), knownvalue.StringExact(zatoRFC3339(lastSet))),
				statecheck.ExpectKnownValue("data.identity_user.fixed", tfjsonpath.New("password_expires_at"), knownvalue.StringExact(zatoRFC3339(expiry))),
				statecheck.ExpectKnownValue("data.identity_user.fixed", tfjsonpath.New("password_must_change"), knownvalue.Bool(true)),

				statecheck.ExpectKnownValue("data.identity_user.locked", tfjsonpath.New("exists"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.locked", tfjsonpath.New("enabled"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.identity_user.locked", tfjsonpath.New("password_must_change"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.identity_user.locked", tfjsonpath.New("password_last_changed_at"), rfc3339Check("password_last_changed_at", nil)),

				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("exists"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("enabled"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("password_last_changed_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("password_expires_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("password_must_change"), knownvalue.Null()),
			},
			Check: resource.ComposeTestCheckFunc(
				expectZatoCalls(t, zatoPasswordPath, user, 1),
				expectZatoPasswordPatch(t, user, 0, addr, "temporary_password", 5),
				expectZatoCalls(t, zatoUserPath, user, 1),
				func(s *terraform.State) error {
					if body := zatoCalls(t, zatoUserPath, user)[0]; body["password_must_change"] != true {
						return fmt.Errorf("PATCH %s: password_must_change = %v, want true", zatoUserPath, body["password_must_change"])
					}
					resetAt, err := zatoStateAttr(s, addr, "reset_at")
					if err != nil {
						return err
					}
					expiresAt, err := zatoStateAttr(s, addr, "expires_at")
					if err != nil {
						return err
					}
					r, err1 := time.Parse(time.RFC3339, resetAt)
					e, err2 := time.Parse(time.RFC3339, expiresAt)
					if err1 != nil || err2 != nil {
						return fmt.Errorf("reset_at %q or expires_at %q is not RFC 3339", resetAt, expiresAt)
					}
					if d := e.Sub(r); d != 5*24*time.Hour {
						return fmt.Errorf("expires_at - reset_at = %s, want 5 days", d)
					}
					if u, _ := testSandbox.Zato.GetUser(user); !u.MustChange {
						return fmt.Errorf("the emulator does not hold the must-change flag after the reset")
					}
					return nil
				},
			),
		}},
	})
}

// TestAccValidation_zatoPlanTime runs configurations Zato SSO's REST API
// cannot honour: each fails at plan with errors naming the attribute and the
// backend, and none sends a request.
func TestAccValidation_zatoPlanTime(t *testing.T) {
	testAccPreCheck(t)
	user := "zusr" + zatoRandom(t, 12)
	notSupported := func(attr string) string {
		return `Error: Not Supported By Zato SSO.*?` + attr + `\s+cannot\s+be\s+used\s+with\s+this\s+provider\s+block`
	}
	cases := []struct {
		name, config, want string
	}{
		{
			// The attributes appear in the order the provider checks them,
			// so the diagnostics come in this order whether or not Terraform
			// sorts them by source position.
			name: "user password attributes",
			config: fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id                = %q
  generated_by           = "server"
  notify_user            = true
  clear_password_history = true
}
`, user),
			want: `(?s)` + notSupported("generated_by") + `.*?` + notSupported("notify_user") + `.*?` + notSupported("clear_password_history"),
		},
		{
			name: "reset send_email",
			config: fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id    = %q
  send_email = true
}
`, user),
			want: `(?s)` + notSupported("send_email"),
		},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			before := len(testSandbox.Zato.Recorder.Requests())
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(nil),
				Steps: []resource.TestStep{{
					Config:      zatoProviderConfig() + tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
				CheckDestroy: func(*terraform.State) error {
					if n := len(testSandbox.Zato.Recorder.Requests()) - before; n != 0 {
						return fmt.Errorf("an invalid configuration sent %d requests to Zato", n)
					}
					return nil
				},
			})
		})
	}
}

// TestAccUserPassword_zatoRejectedPassword sets a chosen password on the
// server's reject list: the apply fails naming E003001 and what it means,
// without echoing the password, and the password stays as it was.
func TestAccUserPassword_zatoRejectedPassword(t *testing.T) {
	user := newZatoUser(t)
	before, _ := testSandbox.Zato.CurrentPassword(user)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: zatoProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id  = %q
  password = "My§Qwerty§Choice§2291"
}
`, user),
			ExpectError: zatoNoSecretError(`Unable To Set Password`, `HTTP\s+403\s+E003001`, `password\s+is\s+on\s+the\s+reject\s+list`),
		}},
		CheckDestroy: func(*terraform.State) error {
			calls := zatoCalls(t, zatoPasswordPath, user)
			if len(calls) != 1 || calls[0]["(status)"] != 403 {
				return fmt.Errorf("expected one password PATCH answered 403, got %d", len(calls))
			}
			if pw, _ := testSandbox.Zato.CurrentPassword(user); pw != before {
				return fmt.Errorf("the user's password changed although the server refused the new one")
			}
			return nil
		},
	})
}

// TestAccSecrets_zatoNotInTraceLogs applies a provider-generated and a
// chosen password and a reset over REST, then a set the server refuses, with
// Terraform and the provider logging at TRACE into one file, and fails if
// the super-user password, any session token or any password set appears.
func TestAccSecrets_zatoNotInTraceLogs(t *testing.T) {
	testAccPreCheck(t)
	userGen, userChosen, userReset := newZatoUser(t), newZatoUser(t), newZatoUser(t)
	log := traceLog(t)
	const chosen, refused = "Secret-Sso-Chosen-7731!", "Secret-Qwerty-Refused-8842!"
	t.Setenv("TF_VAR_chosen_password", chosen)
	t.Setenv("TF_VAR_refused_password", refused)
	provider := zatoProviderConfigFromEnv(t)
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
					expectZatoCalls(t, zatoPasswordPath, userGen, 1),
					expectZatoCalls(t, zatoPasswordPath, userChosen, 1),
					expectZatoCalls(t, zatoPasswordPath, userReset, 1),
				),
			},
			{
				// A failing call: the server refuses the password (reject
				// list), and neither the diagnostic nor any log may echo it.
				Config: provider + variables + fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id  = %q
  password = var.refused_password
}
`, userChosen),
				ExpectError: regexp.MustCompile(`(?s)Unable To Set Password.*E003001`),
			},
		},
	})
	secrets := map[string]string{
		"Zato super-user password": zatoemu.TestPassword,
		"chosen password":          chosen,
		"refused password":         refused,
	}
	for name, id := range map[string]string{"generated": userGen, "chosen": userChosen, "reset": userReset} {
		issued := testSandbox.Zato.IssuedPasswords(id)
		if len(issued) < 2 {
			t.Fatalf("the emulator holds no password set for the %s user", name)
		}
		for i, pw := range issued {
			secrets[fmt.Sprintf("%s password %d", name, i)] = pw
		}
	}
	usts := testSandbox.Zato.IssuedUSTs()
	if len(usts) == 0 {
		t.Fatal("the emulator issued no session token")
	}
	for i, ust := range usts {
		secrets[fmt.Sprintf("session token %d", i)] = ust
	}
	scanForSecrets(t, log, secrets)
}

// zatoCLIUser reads one user of a fake server path, failing the test when
// the state cannot be read.
func zatoCLIUser(t *testing.T, serverPath, username string) zatoemu.CLIUser {
	t.Helper()
	u, err := zatoemu.CLIUserState(serverPath, username)
	if err != nil {
		t.Fatalf("reading the fake Zato server's state: %v", err)
	}
	return u
}

// zatoCLICurrent is the user's current password in the fake CLI's state.
func zatoCLICurrent(serverPath, username string) func() (string, bool) {
	return func() (string, bool) {
		u, err := zatoemu.CLIUserState(serverPath, username)
		return u.Password, err == nil
	}
}

// expectZatoCLIIssued is a step check on how many passwords a user has had
// in the fake CLI's state (the seed counts as one).
func expectZatoCLIIssued(serverPath, username string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, err := zatoemu.CLIUserState(serverPath, username)
		if err != nil {
			return err
		}
		if len(u.Issued) != n {
			return fmt.Errorf("user %s has had %d passwords in the fake CLI's state, want %d", username, len(u.Issued), n)
		}
		return nil
	}
}

// TestAccUserPassword_zatoCLI covers the CLI transport: a password generated
// by the server (reset-user-password, the default here), a chosen one with
// the must-change flag and an expiry (change-user-password), an empty plan
// after apply with nothing run, triggers, and refresh keeping state (the CLI
// cannot read).
func TestAccUserPassword_zatoCLI(t *testing.T) {
	generated, chosen := "tf-gen-"+zatoRandom(t, 4), "tf-cho-"+zatoRandom(t, 4)
	dir := newZatoCLIServer(t, generated, chosen)
	const chosenPassword = "Chosen-Cli-Pass-5521!"
	requested := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	config := func(trigger string) string {
		return zatoCLIProviderConfig(t, dir) + fmt.Sprintf(`
resource "identity_user_password" "generated" {
  user_id  = %q
  triggers = { rotation = %q }
}

resource "identity_user_password" "chosen" {
  user_id                    = %q
  password                   = %q
  force_change_on_next_login = true
  expires_at                 = %q
}
`, generated, trigger, chosen, chosenPassword, zatoRFC3339(requested))
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	const gen, cho = "identity_user_password.generated", "identity_user_password.chosen"
	// nearCLILastSet checks a state time against the user's last_set in the
	// fake CLI's state (the provider takes its own clock, to the second).
	nearCLILastSet := func(username string) knownvalue.Check {
		return rfc3339Check("last_changed_at", func(c time.Time) error {
			u := zatoCLIUser(t, dir, username)
			if d := c.Sub(u.LastSet); d < -2*time.Second || d > time.Minute {
				return fmt.Errorf("last_changed_at %s is not the fake server's last_set %s", c, u.LastSet)
			}
			return nil
		})
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(gen, tfjsonpath.New("password")),
						plancheck.ExpectKnownValue(gen, tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
						plancheck.ExpectKnownValue(cho, tfjsonpath.New("generated_by"), knownvalue.Null()),
					},
					// Planned again after the apply: nothing to do.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("id"), knownvalue.StringExact(generated)),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), matchesServerPassword("password", zatoCLICurrent(dir, generated))),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("last_changed_at"), nearCLILastSet(generated)),
					// Without --expiry the server's configured default applies,
					// which the CLI does not print: unknown, so null.
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("password"), knownvalue.StringExact(chosenPassword)),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("password"), matchesServerPassword("password", zatoCLICurrent(dir, chosen))),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("generated_by"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("expires_at"), knownvalue.StringExact(zatoRFC3339(requested))),
					statecheck.ExpectKnownValue(cho, tfjsonpath.New("last_changed_at"), nearCLILastSet(chosen)),
					passwords.AddStateValue(gen, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectZatoCLIIssued(dir, generated, 2),
					expectZatoCLIIssued(dir, chosen, 2),
					func(*terraform.State) error {
						g := zatoCLIUser(t, dir, generated)
						if g.MustChange {
							return fmt.Errorf("the generated password's user must change it although nothing asked for it")
						}
						c := zatoCLIUser(t, dir, chosen)
						if !c.MustChange {
							return fmt.Errorf("the fake server does not hold the must-change flag for the chosen password")
						}
						// --expiry 30: the requested time rounded up to whole days.
						if c.Expiry.Before(requested) || !c.Expiry.Before(requested.Add(24*time.Hour)) {
							return fmt.Errorf("the fake server's expiry %s is not within a day after the requested %s", c.Expiry, requested)
						}
						return nil
					},
				),
			},
			{
				// A trigger change has the server generate a new password:
				// the third the user has had, so nothing ran in between.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(gen, tfjsonpath.New("password")),
						plancheck.ExpectResourceAction(cho, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, tfjsonpath.New("password"), matchesServerPassword("password", zatoCLICurrent(dir, generated))),
					passwords.AddStateValue(gen, tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(expectZatoCLIIssued(dir, generated, 3), expectZatoCLIIssued(dir, chosen, 2)),
			},
			{
				// The CLI cannot read users: a password changed behind
				// Terraform's back goes unnoticed and the plan stays empty.
				PreConfig: func() {
					if err := zatoemu.SetCLIPasswordBehindBack(dir, generated, "Behind-The-Back-4417"); err != nil {
						t.Fatalf("changing the password behind Terraform's back: %v", err)
					}
				},
				Config:   config("2"),
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			// Refresh, plan and destroy ran nothing (the behind-the-back
			// change is the fourth password).
			expectZatoCLIIssued(dir, generated, 4),
			expectZatoCLIIssued(dir, chosen, 2),
		),
	})
}

// TestAccPasswordResetAndUserDataSource_zatoCLI resets with
// reset-user-password, with a lifetime and the must-change flag, and reads
// the printed password; then reads the user with identity_user, which the
// CLI cannot do: every attribute is null, and the command is not run again.
func TestAccPasswordResetAndUserDataSource_zatoCLI(t *testing.T) {
	user := "tf-reset-" + zatoRandom(t, 4)
	dir := newZatoCLIServer(t, user)
	const addr, data = "identity_password_reset.test", "data.identity_user.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: zatoCLIProviderConfig(t, dir) + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id                    = %q
  valid_for_days             = 5
  force_change_on_next_login = true
}

data "identity_user" "test" {
  user_id    = identity_password_reset.test.user_id
  depends_on = [identity_password_reset.test]
}
`, user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(data, tfjsonpath.New("user_id"), knownvalue.StringExact(user)),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("exists"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("enabled"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("password_last_changed_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("password_expires_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("password_must_change"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("temporary_password"), matchesServerPassword("temporary_password", zatoCLICurrent(dir, user))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("force_change_on_next_login"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("valid_for_days"), knownvalue.Int64Exact(5)),
				statecheck.CompareValuePairs(addr, tfjsonpath.New("reset_at"), addr, tfjsonpath.New("expires_at"), compare.ValuesDiffer()),
			},
			Check: resource.ComposeTestCheckFunc(
				// The reset's one password, and no run for the data source.
				expectZatoCLIIssued(dir, user, 2),
				func(s *terraform.State) error {
					u := zatoCLIUser(t, dir, user)
					if !u.MustChange {
						return fmt.Errorf("the fake server does not hold the must-change flag after the reset")
					}
					if u.Expiry != u.LastSet.AddDate(0, 0, 5) {
						return fmt.Errorf("the fake server's expiry %s is not its last_set %s + 5 days", u.Expiry, u.LastSet)
					}
					resetAt, err := zatoStateAttr(s, addr, "reset_at")
					if err != nil {
						return err
					}
					expiresAt, err := zatoStateAttr(s, addr, "expires_at")
					if err != nil {
						return err
					}
					r, err1 := time.Parse(time.RFC3339, resetAt)
					e, err2 := time.Parse(time.RFC3339, expiresAt)
					if err1 != nil || err2 != nil {
						return fmt.Errorf("reset_at %q or expires_at %q is not RFC 3339", resetAt, expiresAt)
					}
					if d := e.Sub(r); d != 5*24*time.Hour {
						return fmt.Errorf("expires_at - reset_at = %s, want 5 days", d)
					}
					if d := r.Sub(u.LastSet); d < -2*time.Second || d > time.Minute {
						return fmt.Errorf("reset_at %s is not the fake server's last_set %s", r, u.LastSet)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccUserPassword_zatoCLIErrors checks the CLI's failures: an unknown
// username (exit code 22) and a chosen password the server's rules refuse
// (exit code 21), whose diagnostic names the reason code without echoing it.
func TestAccUserPassword_zatoCLIErrors(t *testing.T) {
	user := "tf-err-" + zatoRandom(t, 4)
	dir := newZatoCLIServer(t, user)
	seed := zatoCLIUser(t, dir, user).Password
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: zatoCLIProviderConfig(t, dir) + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, "tf-nobody-"+zatoRandom(t, 4)),
				ExpectError: regexp.MustCompile(`(?s)Unable To Set Password.*exit\s+code\s+22.*no\s+such\s+user.*Zato\s+username`),
			},
			{
				Config: zatoCLIProviderConfig(t, dir) + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id  = %q
  password = "Cli§Qwerty§Choice§5501"
}
`, user),
				ExpectError: zatoNoSecretError(`Unable To Set Password`, `E003001`, `password\s+is\s+on\s+the\s+reject\s+list`),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			u := zatoCLIUser(t, dir, user)
			if u.Password != seed || len(u.Issued) != 1 {
				return fmt.Errorf("the user's password changed although the server refused the new one")
			}
			return nil
		},
	})
}
