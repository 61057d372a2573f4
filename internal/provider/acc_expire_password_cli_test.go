package provider

// identity_expire_password through a real Terraform CLI (1.14 or newer;
// skipped, saying why, where the CLI has no actions: cliExpireAction): from
// an action_trigger, by `terraform apply -invoke`, refused at plan time by
// each backend that cannot, and with no secret in the TRACE logs.

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// unexpire clears the user's must-change flag behind Terraform's back, so
// that the next expiration shows in the emulator's state.
var unexpire = map[string]func(user string){
	"zato": func(user string) { testSandbox.Zato.SetMustChange(user, false) },
}

// TestAccExpirePasswordAction_trigger: an action_trigger on after_create
// and after_update expires the password when the resource is created and
// when it changes, and not when an apply changes nothing; the password
// itself never changes.
func TestAccExpirePasswordAction_trigger(t *testing.T) {
	skipUnlessCLISupports(t, cliExpireAction) // here too, so that the test counts as skipped, not passed
	testAccParallel(t, expireFixtures(t, true), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		kept := passwordKept(f, user)
		config := func(input string) string {
			return f.provider() + actionBlock(expireActionType, user) + triggering(expireActionType, input)
		}
		expired := func(n int) resource.TestCheckFunc {
			return resource.ComposeAggregateTestCheckFunc(expectExpired(t, f, user, n), func(*terraform.State) error { return kept() })
		}
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliExpireAction.check()},
			Steps: []resource.TestStep{
				{Config: config("v1"), Check: expired(1)}, // after_create
				// The user changed the password in between (the flag is
				// cleared); the update expires it again.
				{PreConfig: func() { unexpire[f.name](user) }, Config: config("v2"), Check: expired(2)}, // after_update
				{Config: config("v2"), Check: expired(2)},                                               // nothing changed
			},
		})
	})
}

// TestAccExpirePasswordAction_invoke: `terraform apply -invoke` expires the
// password once and shows the action's progress; the backend's refusal is
// an error saying what the service answered; an answer lost after the
// service acted is a warning, and the request is not repeated.
func TestAccExpirePasswordAction_invoke(t *testing.T) {
	skipUnlessCLISupports(t, cliExpireAction)
	testAccParallel(t, expireFixtures(t, true), func(t *testing.T, f *accFixture) {
		t.Run("expired", func(t *testing.T) {
			t.Parallel()
			user := f.newUser(t)
			kept := passwordKept(f, user)
			out, code := invokeAction(t, f, expireActionType, user)
			if code != 0 {
				t.Fatalf("apply -invoke exited %d:\n%s", code, out)
			}
			expectCLIOutput(t, out,
				"expiring the password of user "+user+" on "+f.backend.Name(),
				"expired: user "+user+" must change the password at the next login on "+f.backend.Name(),
				"Actions: 1 invoked")
			if err := expectExpired(t, f, user, 1)(nil); err != nil {
				t.Error(err)
			}
			if err := kept(); err != nil {
				t.Error(err)
			}
		})
		t.Run("refused", func(t *testing.T) {
			t.Parallel()
			user := "zusr9nobody" + randomHex(t, 8) // no such user
			out, code := invokeAction(t, f, expireActionType, user)
			if code != 1 {
				t.Fatalf("apply -invoke for an unknown user exited %d, want 1:\n%s", code, out)
			}
			// The plan warns (the user read finds none); Terraform puts
			// the provider's summary into the detail of its own.
			expectCLIOutput(t, out, "User Not Found", "Error when invoking action", "Unable To Expire Password: "+f.backend.Name(),
				"has no user with this user_id")
			if err := expectExpired(t, f, user, 0)(nil); err != nil {
				t.Error(err)
			}
		})
		t.Run("lost_answer", func(t *testing.T) {
			t.Parallel()
			user := f.newUser(t)
			kept := passwordKept(f, user)
			defer f.faults.Inject(lostExpiry(user))()
			out, code := invokeAction(t, f, expireActionType, user)
			if code != 0 {
				t.Fatalf("apply -invoke after a lost answer exited %d, want 0 (a warning):\n%s", code, out)
			}
			expectCLIOutput(t, out, "Warning when invoking action", "Password May Have Been Expired",
				"may now have to change the password at the next login", "not repeated")
			if regexp.MustCompile(`(?m)^Error`).MatchString(out) {
				t.Errorf("a lost answer is reported as an error:\n%s", out)
			}
			// max_retries = 2: the request is not sent again once Zato may
			// have acted.
			if err := expectExpired(t, f, user, 1)(nil); err != nil {
				t.Error(err)
			}
			if err := kept(); err != nil {
				t.Error(err)
			}
		})
	})
}

// TestAccExpirePasswordAction_refusedAtPlan: each backend that cannot
// expire a password fails the plan of a triggered action, naming itself
// and what to use instead, and nothing is sent.
func TestAccExpirePasswordAction_refusedAtPlan(t *testing.T) {
	skipUnlessCLISupports(t, cliExpireAction) // here too, so that the test counts as skipped, not passed
	testAccParallel(t, expireFixtures(t, false), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		untouched := userUntouched(f, user)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliExpireAction.check()},
			Steps: []resource.TestStep{
				{
					Config: f.provider() + actionBlock(expireActionType, user) + triggering(expireActionType, "v1"),
					ExpectError: regexp.MustCompile(`(?s)Not Supported By ` + regexp.QuoteMeta(f.backend.Name()) +
						`.*identity_expire_password\s+action\s+cannot\s+be\s+used`), // Terraform wraps the detail
				},
				// The refusal left nothing to destroy; end on a plan that works.
				{Config: f.provider(), PlanOnly: true},
			},
		})
		untouched(t)
	})
}

// TestAccExpirePasswordAction_noSecretInTraceLogs: a triggered and an
// invoked expiration, one of them with its answer lost, with the Terraform
// CLI and the provider logging at TRACE into one file: neither the
// super-user's password (given in the environment), nor a session token,
// nor the user's password appears there. Not parallel: it sets the
// environment.
func TestAccExpirePasswordAction_noSecretInTraceLogs(t *testing.T) {
	skipUnlessCLISupports(t, cliExpireAction)
	f := accZato(t)
	user := f.newUser(t)
	log := traceLog(t)
	provider := f.providerWith(caSetting(), f.blockFromEnv(t))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6Factories(nil),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliExpireAction.check()},
		Steps: []resource.TestStep{
			{Config: provider + actionBlock(expireActionType, user) + triggering(expireActionType, "v1"), Check: expectExpired(t, f, user, 1)},
			{
				PreConfig: func() { f.faults.Inject(lostExpiry(user)) },
				Config:    provider + actionBlock(expireActionType, user) + triggering(expireActionType, "v2"),
				Check:     expectExpired(t, f, user, 2),
			},
		},
	})
	current, _ := f.current(user)
	secrets := map[string]string{"Zato super-user password": zatoemu.TestPassword, "user's password": current}
	for i, ust := range testSandbox.Zato.IssuedUSTs() {
		secrets[fmt.Sprintf("session token %d", i+1)] = ust
	}
	scanForSecrets(t, log, secrets)
}
