package provider

// identity_send_password_reset through a real Terraform CLI (1.14 or
// newer; skipped, saying why, where the CLI has no actions: see
// cliActions): from an action_trigger in ordinary test steps, and by
// `terraform apply -invoke`, which terraform-plugin-testing has no step for,
// run against the provider served by the test (cliDir).

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// sendResetAction is the action block of the tests, named x.
func sendResetAction(user string) string {
	return fmt.Sprintf(`
action "identity_send_password_reset" "x" {
  config {
    user_id = %q
  }
}
`, user)
}

// onboarding is a terraform_data whose creation and every change of input
// invoke action x.
func onboarding(input string) string {
	return fmt.Sprintf(`
resource "terraform_data" "onboard" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.identity_send_password_reset.x]
    }
  }
}
`, input)
}

// emailsReset is the fixture filter of the backends that can email a reset.
func emailsReset(c backend.Capabilities) bool { return c.EmailReset }

// resetEmails counts the reset emails the emulator sent the user.
func resetEmails(f *accFixture, user string) int {
	if f.name == "idaas" {
		return idaasEmailed(user, idaasemu.EmailPasswordGenerated)
	}
	n := 0
	for _, id := range testSandbox.Huawei.EmailsSent() {
		if id == user {
			n++
		}
	}
	return n
}

// expectResetEmails is a step check: the emulator received n reset
// requests for the user so far, and sent the user n reset emails.
func expectResetEmails(f *accFixture, user string, n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if err := f.expectSets(user, n)(s); err != nil {
			return err
		}
		if got := resetEmails(f, user); got != n {
			return fmt.Errorf("the emulator sent user %s %d reset emails so far, want %d", user, got, n)
		}
		return nil
	}
}

// TestAccSendPasswordResetAction_trigger: an action_trigger on after_create
// and after_update emails the user when the resource is created and when it
// changes, and not when an apply changes nothing.
func TestAccSendPasswordResetAction_trigger(t *testing.T) {
	skipUnlessCLISupports(t, cliActions) // here too, so that the test counts as skipped, not passed
	testAccParallel(t, accBackendsWith(t, emailsReset), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := func(input string) string { return f.provider() + sendResetAction(user) + onboarding(input) }
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliActions.check()},
			Steps: []resource.TestStep{
				{Config: config("v1"), Check: expectResetEmails(f, user, 1)}, // after_create
				{Config: config("v2"), Check: expectResetEmails(f, user, 2)}, // after_update
				{Config: config("v2"), Check: expectResetEmails(f, user, 2)}, // nothing changed
			},
		})
	})
}

// TestAccSendPasswordResetAction_invoke: `terraform apply -invoke` emails
// the user once and shows the action's progress; the backend's refusal is
// an error saying what the service answered, and nothing is emailed; an
// answer lost after the service acted is a warning that the email may have
// gone, and the request is not repeated: one email at most.
func TestAccSendPasswordResetAction_invoke(t *testing.T) {
	skipUnlessCLISupports(t, cliActions)
	testAccParallel(t, accBackendsWith(t, emailsReset), func(t *testing.T, f *accFixture) {
		invoke := func(t *testing.T, user string) (string, int) {
			d := newCLIDir(t, nil, f.provider()+sendResetAction(user))
			return d.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.identity_send_password_reset.x")
		}
		expectOutput := func(t *testing.T, out string, want ...string) {
			t.Helper()
			text := strings.Join(strings.Fields(out), " ") // Terraform wraps diagnostics
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the output lacks %q:\n%s", w, out)
				}
			}
		}
		t.Run("sent", func(t *testing.T) {
			t.Parallel()
			user := f.newUser(t)
			out, code := invoke(t, user)
			if code != 0 {
				t.Fatalf("apply -invoke exited %d:\n%s", code, out)
			}
			expectOutput(t, out,
				"requesting a password reset email for user "+user+" from "+f.backend.Name(),
				"sent: "+f.backend.Name()+" emailed user "+user+" a password reset",
				"Actions: 1 invoked")
			if err := expectResetEmails(f, user, 1)(nil); err != nil {
				t.Error(err)
			}
		})
		t.Run("refused", func(t *testing.T) {
			t.Parallel()
			user := randomUUID(t) // no such user
			out, code := invoke(t, user)
			if code != 1 {
				t.Fatalf("apply -invoke for an unknown user exited %d, want 1:\n%s", code, out)
			}
			// Terraform puts the provider's summary into the detail of its own.
			expectOutput(t, out, "Error when invoking action", "Unable To Send Password Reset: "+f.backend.Name(), "HTTP 404")
			if n := resetEmails(f, user); n != 0 {
				t.Errorf("the emulator emailed an unknown user %d times", n)
			}
			if n := len(f.sets(user)); n != 1 {
				t.Errorf("the emulator recorded %d %s for the user, want 1 (a refusal is not retried)", n, f.setsName)
			}
		})
		t.Run("lost_answer", func(t *testing.T) {
			t.Parallel()
			user := f.newUser(t)
			defer f.faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, PathContains: "/users/" + user + "/", Times: 1})()
			out, code := invoke(t, user)
			if code != 0 {
				t.Fatalf("apply -invoke after a lost answer exited %d, want 0 (a warning):\n%s", code, out)
			}
			expectOutput(t, out, "Warning when invoking action", "Password Reset Email May Have Been Sent",
				"the user may have received the reset email", "not repeated")
			if regexp.MustCompile(`(?m)^Error`).MatchString(out) {
				t.Errorf("a lost answer is reported as an error:\n%s", out)
			}
			// max_retries = 2: without transport.AtMostOnce the request
			// was sent again, and each attempt emailed the user.
			if err := expectResetEmails(f, user, 1)(nil); err != nil {
				t.Error(err)
			}
		})
	})
}

// TestAccSendPasswordResetAction_refusedAtPlan: a backend that cannot email
// a reset fails the plan of a triggered action, naming itself, and nothing
// is sent: no request names the user, and the password stays as it was.
func TestAccSendPasswordResetAction_refusedAtPlan(t *testing.T) {
	skipUnlessCLISupports(t, cliActions) // here too, so that the test counts as skipped, not passed
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return !c.EmailReset }), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		untouched := userUntouched(f, user)
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliActions.check()},
			Steps: []resource.TestStep{
				{
					Config:      f.provider() + sendResetAction(user) + onboarding("v1"),
					ExpectError: regexp.MustCompile(`Not Supported By ` + regexp.QuoteMeta(f.backend.Name())),
				},
				// The refusal left nothing to destroy; end on a plan that works.
				{Config: f.provider(), PlanOnly: true},
			},
		})
		untouched(t)
	})
}

// userUntouched returns a check, for later, that nothing was asked about
// the user and that the user's password and issued passwords are as they
// are now.
func userUntouched(f *accFixture, user string) func(t *testing.T) {
	before, _ := f.current(user)
	issued := len(f.issued(user))
	return func(t *testing.T) {
		t.Helper()
		if f.recorder != nil {
			if reqs := f.recorder.Match("", user); len(reqs) != 0 {
				paths := make([]string, len(reqs))
				for i, r := range reqs {
					paths[i] = r.Method + " " + r.Path
				}
				t.Errorf("the emulator recorded requests for the user: %q", paths)
			}
		}
		if pw, _ := f.current(user); pw != before || len(f.issued(user)) != issued {
			t.Error("the user's password changed although no reset may have been done")
		}
	}
}
