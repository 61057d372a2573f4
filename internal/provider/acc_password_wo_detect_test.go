package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// woPasswordVariable is the ephemeral variable that password_wo reads
// (TF_VAR_wo_password), as a CI pipeline passes it.
const woPasswordVariable = `
variable "wo_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
`

// TestAccUserPassword_writeOnlyDetectChange: with password_wo_detect_change
// and no password_wo_version, a new password_wo plans an update that sets
// it (the emulator then holds it), and the same value plans nothing. Turning
// the option on beside a version sets nothing and records the configured
// value; then a new value under the same version, and a new version, each
// set the password. Neither the passwords nor the hashes the provider kept
// (in private state) appear in a plan, in state attributes or in the TRACE
// log. Serial: it sets the environment.
func TestAccUserPassword_writeOnlyDetectChange(t *testing.T) {
	testAccEach(t, []*accFixture{accIDaaS(t), accZato(t)}, func(t *testing.T, f *accFixture) {
		log := traceLog(t)
		seen := newGeneratedPasswords() // the hashes the provider kept
		pws := []string{"Detect-Change-Passw0rd-One!", "Detect-Change-Passw0rd-Two!", "Detect-Change-Passw0rd-Three!",
			"Detect-Change-Passw0rd-Four!", "Detect-Change-Passw0rd-Five!", "Detect-Change-Passw0rd-Six!"}
		secrets := seen.all
		for i, pw := range pws {
			secrets[fmt.Sprintf("password_wo #%d", i+1)] = pw
		}
		provider := f.providerWith(f.settings, f.blockFromEnv(t))
		config := func(user string, lines ...string) string {
			return provider + woPasswordVariable + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id     = %q
  password_wo = var.wo_password
  %s
}
`, user, strings.Join(lines, "\n  "))
		}
		// with sets password_wo (TF_VAR_wo_password) before the step.
		with := func(pw string, step resource.TestStep) resource.TestStep {
			step.PreConfig = func() { t.Setenv("TF_VAR_wo_password", pw) }
			return step
		}
		isCurrent := func(user, want string) resource.TestCheckFunc {
			return func(*terraform.State) error {
				if pw, ok := f.current(user); !ok || pw != want {
					return fmt.Errorf("the emulator's current password is not the expected password_wo")
				}
				return nil
			}
		}
		hashes := func(n int) resource.TestCheckFunc {
			return func(*terraform.State) error {
				if got := len(seen.all) - len(pws); got != n {
					return fmt.Errorf("the provider kept %d password_wo hashes, want %d", got, n)
				}
				return nil
			}
		}
		update := func(set bool) []plancheck.PlanCheck {
			checks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate), noSecretInPlan(secrets)}
			if set {
				return append(checks, plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("last_changed_at")))
			}
			return append(checks, plancheck.ExpectKnownValue(userPasswordAddr, attrAt("last_changed_at"), recentTime("last_changed_at")))
		}
		stateChecks := []statecheck.StateCheck{
			statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
			statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password_wo_detect_change"), knownvalue.Bool(true)),
			noSecretInState(secrets),
		}
		empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

		// Version-less.
		user := f.newUser(t)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factoriesObserving(seen),
			Steps: []resource.TestStep{
				with(pws[0], resource.TestStep{
					Config: config(user, "password_wo_detect_change = true"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionCreate), noSecretInPlan(secrets),
					}},
					ConfigStateChecks: stateChecks,
					Check:             allChecks(f.expectChanges(user, 1), isCurrent(user, pws[0]), hashes(1), noSecretInAttributes(secrets)),
				}),
				with(pws[0], resource.TestStep{
					Config:           config(user, "password_wo_detect_change = true"),
					ConfigPlanChecks: empty,
					Check:            allChecks(f.expectChanges(user, 1), isCurrent(user, pws[0])),
				}),
				with(pws[1], resource.TestStep{
					Config:            config(user, "password_wo_detect_change = true"),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: update(true)},
					ConfigStateChecks: stateChecks,
					Check:             allChecks(f.expectChanges(user, 2), isCurrent(user, pws[1]), hashes(2), noSecretInAttributes(secrets)),
				}),
				with(pws[1], resource.TestStep{
					Config:           config(user, "password_wo_detect_change = true"),
					ConfigPlanChecks: empty,
					Check:            allChecks(f.expectChanges(user, 2), isCurrent(user, pws[1])),
				}),
			},
		})

		// Turned on beside a version, then both ways of asking for a set.
		user = f.newUser(t)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factoriesObserving(seen),
			Steps: []resource.TestStep{
				with(pws[2], resource.TestStep{
					Config: config(user, `password_wo_version = "1"`),
					Check:  allChecks(f.expectChanges(user, 1), isCurrent(user, pws[2]), hashes(2)),
				}),
				with(pws[2], resource.TestStep{
					// The option alone: an update that records the hash, no set.
					Config:            config(user, `password_wo_version = "1"`, "password_wo_detect_change = true"),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: update(false)},
					ConfigStateChecks: stateChecks,
					Check:             allChecks(f.expectChanges(user, 1), isCurrent(user, pws[2]), hashes(3)),
				}),
				with(pws[2], resource.TestStep{
					Config:           config(user, `password_wo_version = "1"`, "password_wo_detect_change = true"),
					ConfigPlanChecks: empty,
				}),
				with(pws[3], resource.TestStep{
					// A new value under the same version.
					Config:           config(user, `password_wo_version = "1"`, "password_wo_detect_change = true"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: update(true)},
					Check:            allChecks(f.expectChanges(user, 2), isCurrent(user, pws[3]), hashes(4)),
				}),
				with(pws[4], resource.TestStep{
					// A new version with a new value.
					Config:            config(user, `password_wo_version = "2"`, "password_wo_detect_change = true"),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: update(true)},
					ConfigStateChecks: stateChecks,
					Check:             allChecks(f.expectChanges(user, 3), isCurrent(user, pws[4]), hashes(5), noSecretInAttributes(secrets)),
				}),
			},
		})
		scanForSecrets(t, log, secrets)
	})
}
