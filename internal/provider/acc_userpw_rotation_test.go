package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccUserPassword_idaasRotation moves the provider's clock: with
// rotation_days = 30, a password set at T is kept at T+29d and replaced at
// T+31d, and IDaaS then holds the new one.
func TestAccUserPassword_idaasRotation(t *testing.T) {
	user := newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	clock := &userpwClock{}
	const day = 24 * time.Hour
	config := idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id       = %q
  rotation_days = 30
}
`, user)
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(clock.now),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
					passwords.AddStateValue("identity_user_password.test", tfjsonpath.New("password")),
				},
				Check: expectIDaaSPuts(t, user, 1),
			},
			{
				// 29 days later: not due (PlanOnly fails on a non-empty plan).
				PreConfig: func() { clock.setOffset(29 * day) },
				Config:    config,
				PlanOnly:  true,
			},
			{
				// 31 days later: due, and the apply issues a new password.
				PreConfig: func() { clock.setOffset(31 * day) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue("identity_user_password.test", tfjsonpath.New("password")),
						plancheck.ExpectUnknownValue("identity_user_password.test", tfjsonpath.New("last_changed_at")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
					passwords.AddStateValue("identity_user_password.test", tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 2),
					func(*terraform.State) error {
						// The new password's last_changed_at is IDaaS's time
						// (the real clock, which the test cannot move): the
						// provider's clock comes back to one day after it,
						// and the plans after the apply must show the new
						// password as not due.
						clock.setOffset(day)
						return nil
					},
				),
			},
		},
	})
}
