package provider

// Acceptance tests of what the provider finds at plan time beyond bad
// input and unsupported attributes (acc_plantime_test.go): a missing user,
// wrong credentials, a setting the backend cannot honour (as an error, or
// as a warning where the configuration still works), and diagnostics
// scoped to the attribute at fault. Warnings are read from Terraform's
// output (terraformOutput).

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// TestAccUserPassword_userNotFoundAtPlan: a plan that creates the password
// of a user the identity system does not have says so, on user_id, where
// one read can tell (the backend reads users). It is a warning: the plan
// still creates the resource (the user may be created before the apply,
// and refresh drops a deleted user's resource to create it again).
func TestAccUserPassword_userNotFoundAtPlan(t *testing.T) {
	missing := map[string]func(t *testing.T) string{
		"idaas":    randomUUID,
		"finspace": func(t *testing.T) string { return "fs-none-" + randomHex(t, 8) },
		"huawei":   randomUUID,
		"zato":     func(t *testing.T) string { return "zusr" + randomHex(t, 12) },
	}
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return c.ReadUser }), func(t *testing.T, f *accFixture) {
		user := missing[f.name](t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps:                    []resource.TestStep{createPlanned(userPasswordConfig(f, user), userPasswordAddr)},
		})
		expectWarning(t, "User Not Found", "user_id = "+fmt.Sprintf("%q", user), "has no user "+user, "The apply will fail unless the user is created first")
		if n := len(f.sets(user)); n != 0 {
			t.Errorf("a plan sent %d password changes", n)
		}
	})
}

// TestAccUserPassword_wrongLoginAtPlan: where the backend reads no users
// (OCARIoT), a wrong password in the provider block is found at plan by
// one login, and nothing is set.
func TestAccUserPassword_wrongLoginAtPlan(t *testing.T) {
	testAccParallel(t, []*accFixture{accOCARIoT(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		const wrong = "Wrong-OCARIoT-Passw0rd-13"
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			ErrorCheck: errorCheckWithoutSecrets(t, regexp.MustCompile(`(?s)Error: Unable To Check Credentials.*HTTP\s+401.*Invalid\s+username\s+or\s+password`),
				map[string]string{"wrong OCARIoT password": wrong}),
			Steps: []resource.TestStep{{
				Config:   f.providerWith(f.settings, f.block("password", wrong)) + fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user),
				PlanOnly: true,
			}},
		})
		if n := len(f.sets(user)); n != 0 {
			t.Errorf("%d password changes sent after the plan failed", n)
		}
	})
}

// TestAccUserPassword_rotationAgeUnknown: an imported password whose last
// change the backend does not report (OCARIoT, Zato over its CLI) cannot
// be rotated by age until the provider sets it: the plan says so on
// rotation_days instead of doing nothing silently.
func TestAccUserPassword_rotationAgeUnknown(t *testing.T) {
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return !rotationAfterImport(c) && c.SetChosen }), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := userPasswordConfig(f, user, "rotation_days = 30")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{Config: f.provider()},
				{Config: config, ResourceName: userPasswordAddr, ImportState: true, ImportStateId: user, ImportStatePersist: true},
				{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true},
			},
		})
		expectWarning(t, "Password Age Unknown", "rotation_days = 30", "the password's last change is not known", f.backend.Name())
	})
}

// TestAccUserPassword_expiryInDays: Zato SSO takes an expiry in whole days,
// so a requested expires_at 36 hours away becomes 2 days, and the plan
// says so on expires_at.
func TestAccUserPassword_expiryInDays(t *testing.T) {
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return c.ExpiryOnSet == backend.ExpiryDays }), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		at := time.Now().Add(36 * time.Hour).UTC().Format(time.RFC3339)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps:                    []resource.TestStep{{Config: userPasswordConfig(f, user, fmt.Sprintf("expires_at = %q", at))}},
		})
		expectWarning(t, "Expiry Rounded Up To Whole Days", "expires_at = "+fmt.Sprintf("%q", at), "expires_at becomes 2 days")
	})
}

// TestAccProvider_httpSettingsWithTheCLI: the transport settings that only
// HTTP uses draw a warning on the attribute with the zato command, which
// sends no HTTP request.
func TestAccProvider_httpSettingsWithTheCLI(t *testing.T) {
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return c.LocalCommand }), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: f.providerWith("  max_retries = 3\n", f.block()) + fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user),
			}},
		})
		expectWarning(t, "Setting Has No Effect", "max_retries = 3", "sends no HTTP request, so max_retries has no effect")
	})
}

// TestAccUserDataSource_nothingRead: a backend that cannot read users
// warns that identity_user reports nothing, so that a check on it does not
// pass silently.
func TestAccUserDataSource_nothingRead(t *testing.T) {
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return !c.ReadUser }), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps:                    []resource.TestStep{{Config: f.provider() + userDataSources(map[string]string{"test": user})}},
		})
		expectWarning(t, "Nothing Read From "+f.backend.Name(), "cannot read users, so every attribute of identity_user is null")
	})
}

// TestAccPasswordReset_resetWhenExpiredUnsupported: reset_when_expired
// where the backend never says when a reset expires (Huawei, OCARIoT), or
// says so only for a requested lifetime that is not given (Zato over its
// CLI), would never act: the plan fails on it, naming the backend, and
// nothing is sent.
func TestAccPasswordReset_resetWhenExpiredUnsupported(t *testing.T) {
	testAccParallel(t, accBackendsWith(t, func(c backend.Capabilities) bool { return resetExpiryOf(c) != expiryKnown }), func(t *testing.T, f *accFixture) {
		cases := unsupportedAttrs(t, f, "identity_password_reset", [][2]string{{"reset_when_expired", "reset_when_expired = true"}})
		if resetExpiryOf(f.caps()) == expiryIfRequested {
			cases[0].want = `(?s)Error: Not\s+Supported\s+By\s+Zato\s+SSO\s+\(CLI\).*reset_when_expired\s+=\s+true.*only\s+when\s+it\s+is\s+given\s+a\s+lifetime.*Set\s+valid_for_days`
		}
		testAccRefusedAtPlan(t, f, false, cases)
	})
}

// TestAccUserPassword_errorsOnTheAttribute: an error the identity system
// answers at apply points at the attribute it concerns, so that Terraform
// shows that line: a password_wo the tenant's policy refuses, a password
// the provider generated to a policy the tenant refuses (generate), a user
// the identity system does not have (user_id, where no read at plan could
// tell). Never a chosen password's line: that would print the password.
func TestAccUserPassword_errorsOnTheAttribute(t *testing.T) {
	t.Parallel()
	idaas, ocariot := accIDaaS(t), accOCARIoT(t)
	cases := []struct {
		name   string
		config string
		want   string
	}{
		{"password_wo refused by the policy", userPasswordConfig(idaas, idaas.newUser(t), "password_wo = \"weakpassword\"", `password_wo_version = "1"`),
			`(?s)Error: Unable To Set Password\n.*\d+:\s+password_wo\s+=\s+"weakpassword".*PASSWORD_POLICY_VIOLATION`},
		{"generated password refused by the policy", userPasswordConfig(idaas, idaas.newUser(t), `generated_by = "provider"`, "generate = { length = 9, numeric = false }"),
			`(?s)Error: Unable To Set Password\n.*\d+:\s+generate\s+=.*PASSWORD_POLICY_VIOLATION`},
		{"user the identity system does not have", userPasswordConfig(ocariot, newOCARIoTID(t)),
			`(?s)Error: Unable To Set Password\n.*\d+:\s+user_id\s+=.*User\s+not\s+found`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(nil),
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
}
