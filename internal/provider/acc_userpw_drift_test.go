package provider

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// userpwDriftBackend is what the drift scenario needs of one emulator.
type userpwDriftBackend struct {
	provider string
	// extra is added to the chosen resource (e.g. clear_password_history).
	extra string
	// sets returns the times of the password-setting requests for a user.
	sets          func(t *testing.T, user string) []time.Time
	current       func(user string) (string, bool)
	setBehindBack func(user, pw string)
}

func userpwIDaaSDrift(t *testing.T) (userpwDriftBackend, [3]string) {
	testAccPreCheck(t)
	return userpwDriftBackend{
		provider: idaasProviderConfig(),
		// IDaaS keeps a history of 5: setting the chosen password back
		// needs it cleared.
		extra: "clear_password_history = true",
		sets: func(t *testing.T, user string) []time.Time {
			var out []time.Time
			for _, r := range testSandbox.IDaaS.Recorder.Match("PUT", "/users/"+user+"/passwords") {
				out = append(out, r.Time)
			}
			return out
		},
		current:       testSandbox.IDaaS.CurrentPassword,
		setBehindBack: testSandbox.IDaaS.SetPasswordBehindBack,
	}, [3]string{newIDaaSUser(t), newIDaaSUser(t), newIDaaSUser(t)}
}

// userpwNewZatoUser adds a fresh user to the Zato REST emulator.
func userpwNewZatoUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	h := hex.EncodeToString(b)
	return testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-drift-" + h, Password: "Seed-Secret-" + h})
}

func userpwZatoDrift(t *testing.T) (userpwDriftBackend, [3]string) {
	testAccPreCheck(t)
	return userpwDriftBackend{
		provider: fmt.Sprintf(`
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
`, testCAFile, testSandbox.ZatoURL, zatoemu.TestUsername, zatoemu.TestPassword, zatoemu.TestCurrentApp),
		sets: func(t *testing.T, user string) []time.Time {
			var out []time.Time
			for _, r := range testSandbox.Zato.Recorder.Match("PATCH", "/zato/sso/user/password") {
				var body struct {
					UserID string `json:"user_id"`
				}
				if err := json.Unmarshal(r.Body, &body); err != nil {
					t.Errorf("a recorded password PATCH body is not JSON: %v", err)
					continue
				}
				if body.UserID == user {
					out = append(out, r.Time)
				}
			}
			return out
		},
		current:       testSandbox.Zato.CurrentPassword,
		setBehindBack: testSandbox.Zato.SetPasswordBehindBack,
	}, [3]string{userpwNewZatoUser(t), userpwNewZatoUser(t), userpwNewZatoUser(t)}
}

// testAccUserPasswordDrift: a chosen, a generated and a must-change
// password are set; the refreshed plan right after shows nothing. Then all
// three are changed behind Terraform's back: the next plan updates the
// first two, and the apply sets the chosen one back and issues a new
// generated one. The must-change password was meant to be replaced by its
// user: it is left alone. The refreshed plan after that is empty again.
func testAccUserPasswordDrift(t *testing.T, be userpwDriftBackend, users [3]string) {
	chosenUser, genUser, mustUser := users[0], users[1], users[2]
	const chosen = "Chosen-Drift-Secret-71!"
	const portal1, portal2, own = "Portal-Changed-Secret-1!", "Portal-Changed-Secret-2!", "Users-Own-Secret-3!"
	config := be.provider + fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id  = %q
  password = %q
  %s
}

resource "identity_user_password" "generated" {
  user_id = %q
}

resource "identity_user_password" "must_change" {
  user_id                    = %q
  force_change_on_next_login = true
}
`, chosenUser, chosen, be.extra, genUser, mustUser)
	expectSets := func(chosenN, genN int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			c, g, m := len(be.sets(t, chosenUser)), len(be.sets(t, genUser)), len(be.sets(t, mustUser))
			if c != chosenN || g != genN || m != 1 {
				return fmt.Errorf("password sets so far: chosen %d, generated %d, must-change %d; want %d, %d, 1", c, g, m, chosenN, genN)
			}
			return nil
		}
	}
	generated := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// Right after the provider's own write, refresh sees no drift.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					generated.AddStateValue("identity_user_password.generated", tfjsonpath.New("password")),
				},
				Check: expectSets(1, 1),
			},
			{
				PreConfig: func() {
					last := time.Time{}
					for _, u := range users {
						if s := be.sets(t, u); len(s) > 0 && s[len(s)-1].After(last) {
							last = s[len(s)-1]
						}
					}
					userpwSettle(last)
					be.setBehindBack(chosenUser, portal1)
					be.setBehindBack(genUser, portal2)
					be.setBehindBack(mustUser, own)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.chosen", plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue("identity_user_password.chosen", tfjsonpath.New("last_changed_at")),
						plancheck.ExpectResourceAction("identity_user_password.generated", plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue("identity_user_password.generated", tfjsonpath.New("password")),
						plancheck.ExpectResourceAction("identity_user_password.must_change", plancheck.ResourceActionNoop),
					},
					// Set back or replaced: the drift is forgotten.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.chosen", tfjsonpath.New("password"), knownvalue.StringExact(chosen)),
					statecheck.ExpectKnownValue("identity_user_password.generated", tfjsonpath.New("password"),
						matchesServerPassword("generated password", func() (string, bool) { return be.current(genUser) })),
					generated.AddStateValue("identity_user_password.generated", tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectSets(2, 2),
					func(*terraform.State) error {
						if pw, ok := be.current(chosenUser); !ok || pw != chosen {
							return fmt.Errorf("the chosen password was not set back")
						}
						if pw, ok := be.current(genUser); !ok || pw == portal2 {
							return fmt.Errorf("no new generated password was issued")
						}
						if pw, ok := be.current(mustUser); !ok || pw != own {
							return fmt.Errorf("the must-change user's own password was replaced")
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccUserPassword_idaasDrift(t *testing.T) {
	be, users := userpwIDaaSDrift(t)
	testAccUserPasswordDrift(t, be, users)
}

func TestAccUserPassword_zatoDrift(t *testing.T) {
	be, users := userpwZatoDrift(t)
	testAccUserPasswordDrift(t, be, users)
}
