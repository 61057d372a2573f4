package provider

import (
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
)

func TestAccPasswordReset_idaas(t *testing.T) {
	user := newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	config := func(trigger string) string {
		return idaasProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id        = %q
  valid_for_days = 3
  triggers       = { n = %q }
}
`, user, trigger)
	}
	ids := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("force_change_on_next_login"), knownvalue.Bool(true)),
						plancheck.ExpectSensitiveValue("identity_password_reset.test", tfjsonpath.New("temporary_password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("temporary_password"), matchesServerPassword("temporary_password", current)),
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("send_email"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("reset_at"), rfc3339Check("reset_at", nil)),
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("expires_at"), rfc3339Check("expires_at", func(e time.Time) error {
						want := time.Now().Add(72 * time.Hour)
						if d := e.Sub(want); d < -5*time.Minute || d > 5*time.Minute {
							return fmt.Errorf("expires_at %s is not reset time + 3 days (%s)", e, want)
						}
						return nil
					})),
					ids.AddStateValue("identity_password_reset.test", tfjsonpath.New("id")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 1),
					func(*terraform.State) error {
						body := idaasPuts(t, user)[0]
						for k, want := range map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false, "forceUpdate": true} {
							if body[k] != want {
								return fmt.Errorf("reset PUT %s = %v, want %v", k, body[k], want)
							}
						}
						if _, ok := body["expiryTime"]; !ok {
							return fmt.Errorf("reset PUT carries no expiryTime although valid_for_days = 3")
						}
						return nil
					},
				),
			},
			{
				// The reset is not repeated on a later apply.
				Config:           config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectIDaaSPuts(t, user, 1),
			},
			{
				// A trigger change resets again: a new resource.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("identity_password_reset.test", plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("temporary_password"), matchesServerPassword("temporary_password", current)),
					ids.AddStateValue("identity_password_reset.test", tfjsonpath.New("id")),
				},
				Check: expectIDaaSPuts(t, user, 2),
			},
		},
	})
}

func TestAccPasswordReset_idaasSendEmail(t *testing.T) {
	user := newIDaaSUser(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: idaasProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id    = %q
  send_email = true
}
`, user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("temporary_password"), knownvalue.Null()),
				statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("send_email"), knownvalue.Bool(true)),
			},
			Check: func(*terraform.State) error {
				puts := idaasPuts(t, user)
				if len(puts) != 1 || puts[0]["emailPassword"] != true || puts[0]["returnPassword"] != false {
					return fmt.Errorf("expected one PUT with emailPassword true and returnPassword false, got %v", len(puts))
				}
				for _, e := range testSandbox.IDaaS.EmailsSent() {
					if e.UserID == user {
						return nil
					}
				}
				return fmt.Errorf("the emulator recorded no email to the user")
			},
		}},
	})
}

func TestAccUserDataSource_idaas(t *testing.T) {
	user := newIDaaSUser(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id                    = %q
  force_change_on_next_login = true
}

data "identity_user" "test" {
  user_id    = identity_user_password.test.user_id
  depends_on = [identity_user_password.test]
}

data "identity_user" "missing" {
  user_id = "00000000-0000-4000-8000-00000000dead"
}
`, user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.identity_user.test", tfjsonpath.New("exists"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.test", tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.test", tfjsonpath.New("password_must_change"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.identity_user.test", tfjsonpath.New("password_last_changed_at"), rfc3339Check("password_last_changed_at", nil)),
				statecheck.ExpectKnownValue("data.identity_user.test", tfjsonpath.New("password_expires_at"), rfc3339Check("password_expires_at", nil)),
				statecheck.CompareValuePairs("data.identity_user.test", tfjsonpath.New("password_last_changed_at"),
					"identity_user_password.test", tfjsonpath.New("last_changed_at"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("exists"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.identity_user.missing", tfjsonpath.New("enabled"), knownvalue.Null()),
			},
		}},
	})
}
