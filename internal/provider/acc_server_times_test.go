package provider

// Acceptance tests against the times the identity system reports: import
// adopts them (identity_user_password, identity_password_reset), and drift
// detection compares with them. They move the emulators' clocks, which
// parallel tests share, so they run serially (Go runs them before any
// parallel test resumes).

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// userViews is what a fixture's emulator shows of its users.
type userViews interface{ Users() []emu.UserView }

// viewOf returns what the fixture's emulator shows of a user.
func (f *accFixture) viewOf(t *testing.T, user string) emu.UserView {
	t.Helper()
	e, ok := map[string]userViews{"idaas": testSandbox.IDaaS, "zato": testSandbox.Zato}[f.name]
	if !ok {
		t.Fatalf("no user view for fixture %s", f.name)
	}
	v, found := emu.FindUser(e.Users(), user)
	if !found {
		t.Fatalf("the emulator has no user %s", user)
	}
	return v
}

// setEarlier changes a user's password behind Terraform's back as if it
// were done ago, on the emulator's clock, which it then gives back.
func (f *accFixture) setEarlier(t *testing.T, user, password string, ago time.Duration) {
	f.clock.Set(time.Now().Add(-ago))
	defer f.clock.Reset()
	f.setBehindBack(t, user, password)
}

// TestAccUserPassword_importAdoptsServerTimes: a password imported by user
// id adopts the last change time and the expiry the identity system
// reports, with no password in state and nothing set. rotation_days then
// counts from that last change: a password changed 40 days ago is not due
// at 60 days (the plan adopts the configuration and sets nothing), and is
// due at 30, when the apply issues a new one.
func TestAccUserPassword_importAdoptsServerTimes(t *testing.T) {
	fixtures := accBackendsWith(t, func(c backend.Capabilities) bool { return c.ReadPasswordChangedAt })
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		f.setEarlier(t, user, "Set-Before-Import-Passw0rd-7", 40*24*time.Hour)
		before := f.viewOf(t, user)
		if before.LastChanged == nil || before.Expiry == nil {
			t.Fatal("the emulator reports no last change or expiry to adopt")
		}
		setsBefore := len(f.sets(user))
		config := func(days int) string { return userPasswordConfig(f, user, fmt.Sprintf("rotation_days = %d", days)) }
		rfc := func(t *time.Time) string { return t.UTC().Format(time.RFC3339) }
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{Config: f.provider()},
				{
					Config:             config(60),
					ResourceName:       userPasswordAddr,
					ImportState:        true,
					ImportStateId:      user,
					ImportStatePersist: true,
					ImportStateCheck: func(states []*terraform.InstanceState) error {
						if err := importedWithoutPassword(user, defaultGeneratedBy(f.caps()), 1)(states); err != nil {
							return err
						}
						attrs := states[0].Attributes
						if attrs["last_changed_at"] != rfc(before.LastChanged) || attrs["expires_at"] != rfc(before.Expiry) {
							return fmt.Errorf("imported last_changed_at %q and expires_at %q, want the server's %s and %s",
								attrs["last_changed_at"], attrs["expires_at"], rfc(before.LastChanged), rfc(before.Expiry))
						}
						return nil
					},
				},
				{
					// 40 days old, rotation at 60: the configuration is
					// adopted, nothing is set.
					Config: config(60),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(userPasswordAddr, attrAt("last_changed_at"), knownvalue.StringExact(rfc(before.LastChanged))),
					}},
					Check: f.expectSets(user, setsBefore),
				},
				{
					// Rotation at 30: due, and the apply issues a new password.
					Config: config(30),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("password")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user))),
					},
					Check: f.expectSets(user, setsBefore+1),
				},
			},
		})
	})
}

// TestAccUserPassword_driftWithinASecond: a password changed outside
// Terraform one second after the provider set it is detected at refresh:
// the provider compares the change time the identity system reports with
// the one it reported after the provider's own set, not with the
// provider's clock within a tolerance. The emulators' clocks are fixed, so
// the second is exact.
func TestAccUserPassword_driftWithinASecond(t *testing.T) {
	fixtures := accBackendsWith(t, func(c backend.Capabilities) bool { return c.ReadPasswordChangedAt })
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		const outside = "Changed-Outside-Passw0rd-3"
		config := userPasswordConfig(f, user)
		f.clock.Set(time.Now())
		t.Cleanup(f.clock.Reset)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						// The provider's own set, read back at the same instant: no drift.
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				{
					PreConfig: func() {
						f.clock.Advance(time.Second)
						f.setBehindBack(t, user, outside)
					},
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("password")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user))),
					},
					Check: f.expectSets(user, 2),
				},
			},
		})
		if pw, _ := f.current(user); pw == outside {
			t.Error("the password changed outside Terraform was left in place")
		}
	})
}

// TestAccPasswordReset_importAdoptsExpiry: a reset imported by user id
// adopts the user's last password change as reset_at and the expiry the
// identity system reports as expires_at, with no password in state. The
// first plan adopts the configuration (no new reset); with
// reset_when_expired, an imported reset whose password has expired is
// replaced by a new reset, while one that has not expired stays.
func TestAccPasswordReset_importAdoptsExpiry(t *testing.T) {
	fixtures := accBackendsWith(t, resetImportable)
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		// expired's password was set 800 days ago: past the IDaaS policy's
		// 90 days and Zato's 730. live's is new.
		f.clock.Set(time.Now().Add(-800 * 24 * time.Hour))
		expired := f.newUser(t)
		f.setBehindBack(t, expired, "Set-Long-Ago-Passw0rd-8")
		f.clock.Reset()
		live := f.newUser(t)
		f.setBehindBack(t, live, "Set-Just-Now-Passw0rd-9")
		views := map[string]emu.UserView{expired: f.viewOf(t, expired), live: f.viewOf(t, live)}
		config := f.provider() + fmt.Sprintf(`
resource "identity_password_reset" "expired" {
  user_id            = %q
  reset_when_expired = true
  triggers           = { rotation = "1" }
}

resource "identity_password_reset" "live" {
  user_id            = %q
  reset_when_expired = true
  triggers           = { rotation = "1" }
}
`, expired, live)
		const exp, liv = "identity_password_reset.expired", "identity_password_reset.live"
		importStep := func(addr, user string) resource.TestStep {
			return resource.TestStep{
				Config: config, ResourceName: addr, ImportState: true, ImportStateId: user, ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					for _, st := range states {
						if st.Attributes["user_id"] != user {
							continue
						}
						v, a := views[user], st.Attributes
						if a["temporary_password"] != "" || a["reset_at"] != v.LastChanged.Format(time.RFC3339) || a["expires_at"] != v.Expiry.Format(time.RFC3339) {
							return fmt.Errorf("imported reset_at %q, expires_at %q (password in state: %t); want the server's %s and %s",
								a["reset_at"], a["expires_at"], a["temporary_password"] != "", v.LastChanged.Format(time.RFC3339), v.Expiry.Format(time.RFC3339))
						}
						return nil
					}
					return fmt.Errorf("no imported instance for user %s", user)
				},
			}
		}
		setsBefore := map[string]int{expired: len(f.sets(expired)), live: len(f.sets(live))}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{Config: f.provider()},
				importStep(exp, expired),
				importStep(liv, live),
				{
					// The expired reset is replaced (reset_when_expired
					// comes with the configuration, which the reset in
					// state does not have yet); the live one adopts the
					// configuration.
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(exp, plancheck.ResourceActionReplace),
						plancheck.ExpectResourceAction(liv, plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(exp, attrAt("temporary_password"), matchesServerPassword("temporary_password", f.currentOf(expired))),
						statecheck.ExpectKnownValue(liv, attrAt("temporary_password"), knownvalue.Null()),
					},
					Check: allChecks(f.expectSets(expired, setsBefore[expired]+1), f.expectSets(live, setsBefore[live])),
				},
				// Adopted: the same configuration plans nothing.
				unchangedStep(config, f.expectSets(live, setsBefore[live])),
			},
		})
	})
}
