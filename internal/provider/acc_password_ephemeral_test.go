package provider

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/passgen"
)

// cliEphemeral is the feature of identity_password: ephemeral resources
// came with Terraform 1.10 and OpenTofu 1.11, below the oldest CLIs the
// provider supports, so every leg runs its tests.
var cliEphemeral = &cliFeature{
	name:      "ephemeral `identity_password` (into `password_wo`)",
	terraform: minTerraform,
	openTofu:  minOpenTofu,
}

// generatedPasswords collects every secret one test's provider observes
// (identityProvider.observe): each password identity_password generates,
// at plan and at apply, and each password_wo hash, by name for the secret
// checks: noSecretInPlan and noSecretInState read the map when they run.
type generatedPasswords struct {
	mu  sync.Mutex
	all map[string]string
}

func newGeneratedPasswords() *generatedPasswords {
	return &generatedPasswords{all: map[string]string{}}
}

func (g *generatedPasswords) add(kind, value string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.all[fmt.Sprintf("%s #%d", kind, len(g.all)+1)] = value
}

// has says whether pw is one of them.
func (g *generatedPasswords) has(pw string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range g.all {
		if s == pw {
			return true
		}
	}
	return false
}

// factoriesObserving serves the provider in-process, telling g each
// secret it observes.
func factoriesObserving(g *generatedPasswords) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"identity": providerserver.NewProtocol6WithError(&identityProvider{version: "test", now: time.Now, observe: g.add}),
	}
}

// meetsRules explains how pw fails the policy identity_password generates
// to by default for a backend (length, one character of each class, only
// the policy's characters, nothing of the reject list), without quoting it.
func meetsRules(pw string, be backend.Backend) error {
	var m passwordEphemeralModel
	rules := backend.RulesOf(be)
	p := m.policy(be.Capabilities(), rules)
	if n := int64(len([]rune(pw))); n != p.Length {
		return fmt.Errorf("the password has %d characters, want %d", n, p.Length)
	}
	var upper, lower, digit, special int
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		case unicode.IsDigit(r):
			digit++
		case strings.ContainsRune(passgen.DefaultSpecial, r):
			special++
		default:
			return fmt.Errorf("the password holds %U, outside the policy's characters", r)
		}
	}
	if upper == 0 || lower == 0 || digit == 0 || special == 0 {
		return fmt.Errorf("the password lacks a class: %d upper, %d lower, %d digits, %d special", upper, lower, digit, special)
	}
	if n := rules.MinLength; len(pw) < n {
		return fmt.Errorf("the password is shorter than the backend's minimum %d", n)
	}
	for _, bad := range rules.Reject {
		if strings.Contains(strings.ToLower(pw), bad) {
			return fmt.Errorf("the password holds an entry of the reject list (%d characters)", len(bad))
		}
	}
	return nil
}

// TestAccPassword_ephemeral: on every backend that takes a chosen password,
// `ephemeral "identity_password"` feeds password_wo. The password the
// emulator then holds is the one identity_password generated during the
// apply and meets the backend's rules; no password identity_password
// generated (at plan or at apply) is in the plan, the state or the TRACE
// log. The same version plans nothing although each plan generates a new
// password; a new version sets a new one.
func TestAccPassword_ephemeral(t *testing.T) {
	fixtures := accBackendsWith(t, func(c backend.Capabilities) bool { return c.SetChosen })
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		log := traceLog(t)
		gen := newGeneratedPasswords()
		config := func(version string) string {
			return f.provider() + fmt.Sprintf(`
ephemeral "identity_password" "p" {}

resource "identity_user_password" "test" {
  user_id             = %q
  password_wo         = ephemeral.identity_password.p.result
  password_wo_version = %q
}
`, user, version)
		}
		var first string
		current := func(want func(pw string) error) resource.TestCheckFunc {
			return func(*terraform.State) error {
				pw, ok := f.current(user)
				switch {
				case !ok:
					return fmt.Errorf("the emulator holds no password for the user")
				case !gen.has(pw):
					return fmt.Errorf("the emulator's password is not one identity_password generated")
				}
				if err := meetsRules(pw, f.backend); err != nil {
					return err
				}
				return want(pw)
			}
		}
		planned := func(action plancheck.ResourceActionType) []plancheck.PlanCheck {
			return []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(userPasswordAddr, action),
				plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
				noSecretInPlan(gen.all),
			}
		}
		stateChecks := []statecheck.StateCheck{
			statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
			statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password_wo"), knownvalue.Null()),
			noSecretInState(gen.all),
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factoriesObserving(gen),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliEphemeral.check()},
			Steps: []resource.TestStep{
				{
					Config:            config("1"),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: planned(plancheck.ResourceActionCreate)},
					ConfigStateChecks: stateChecks,
					Check: allChecks(f.expectChanges(user, 1), noSecretInAttributes(gen.all),
						current(func(pw string) error { first = pw; return nil })),
				},
				{
					// A new password at this plan, but the same version: nothing to do.
					Config:           config("1"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					Check: allChecks(f.expectChanges(user, 1), current(func(pw string) error {
						if pw != first {
							return fmt.Errorf("the password changed without a new version")
						}
						return nil
					})),
				},
				{
					Config:            config("2"),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: planned(plancheck.ResourceActionUpdate)},
					ConfigStateChecks: stateChecks,
					Check: allChecks(f.expectChanges(user, 2), noSecretInAttributes(gen.all), current(func(pw string) error {
						if pw == first {
							return fmt.Errorf("a new version set the same password again")
						}
						return nil
					})),
				},
			},
		})
		if len(gen.all) < 4 {
			t.Fatalf("identity_password generated %d passwords, want one per plan and apply (4 at least)", len(gen.all))
		}
		if f.recorder != nil {
			scanForSecrets(t, log, gen.all)
		} else {
			for name, pw := range gen.all {
				registerTestSecret(name, pw) // the global scan covers the CLI's logs
			}
		}
	})
}

// TestAccPassword_ephemeralRefused: what identity_password cannot do fails
// the plan, on the attribute at fault where there is one, before any
// request: an impossible policy, a length the identity system refuses, and
// a backend that takes no chosen password.
func TestAccPassword_ephemeralRefused(t *testing.T) {
	zato, finspace := accZato(t), accFinSpace(t)
	step := func(f *accFixture, body, want string) resource.TestStep {
		return resource.TestStep{
			Config: f.provider() + `
ephemeral "identity_password" "p" {
` + body + `
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(strings.ReplaceAll(want, " ", `\s+`)),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliEphemeral.check()},
		Steps: []resource.TestStep{
			step(zato, "  length = 6\n  min_upper = 7", `Attribute length: length \(6\) is less than the sum`),
			step(zato, "  upper = false\n  lower = false\n  numeric = false\n  special = false", `at least one of upper, lower, numeric, special must be true`),
			step(zato, "  length = 6", `Zato SSO refuses passwords shorter than 8 characters`),
			step(zato, "  length = 300", `Zato SSO refuses passwords longer than 256 characters`),
			step(zato, "  length = 2000", `Attribute length value must be between 1 and 1024`),
			step(finspace, "", "Not Supported By "+regexp.QuoteMeta(finspace.backend.Name())),
		},
	})
}
