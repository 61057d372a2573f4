package provider

// Acceptance tests of the identity_user data source, one subtest a backend
// of the fixture table (acc_backends_test.go).

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// userDataSources is one identity_user data source a name, each reading
// the user given.
func userDataSources(users map[string]string) string {
	out := ""
	for _, name := range []string{"enabled", "disabled", "unknown", "fixed", "locked", "missing", "test"} {
		if user, ok := users[name]; ok {
			out += fmt.Sprintf("\ndata \"identity_user\" %q {\n  user_id = %q\n}\n", name, user)
		}
	}
	return out
}

// expectUser checks attributes of a data source: each name a value check.
func expectUser(name string, attrs map[string]knownvalue.Check) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for attr, v := range attrs {
		out = append(out, statecheck.ExpectKnownValue("data.identity_user."+name, attrAt(attr), v))
	}
	return out
}

// passwordAttrs are the data source's attributes about the password.
var passwordAttrs = []string{"password_last_changed_at", "password_expires_at", "password_must_change"}

// TestAccUserDataSource_read reads users as the backend reports them: one
// that exists, one that is disabled or locked, and one that does not
// exist. A backend that cannot read users leaves every attribute null and
// sends nothing for them.
func TestAccUserDataSource_read(t *testing.T) {
	t.Parallel()
	// read is what a backend's subtest applies and checks.
	type read struct {
		config string
		checks []statecheck.StateCheck
		check  resource.TestCheckFunc
	}
	// enabledDisabledUnknown is the case of a backend that reports only
	// whether a user exists and is enabled, nothing about passwords, with
	// users made by newUser and a GET for each read.
	enabledDisabledUnknown := func(f *accFixture, enabled, disabled, unknown, getPath string) read {
		var checks []statecheck.StateCheck
		checks = append(checks, expectUser("enabled", map[string]knownvalue.Check{"exists": knownvalue.Bool(true), "enabled": knownvalue.Bool(true)})...)
		checks = append(checks, expectUser("disabled", map[string]knownvalue.Check{"exists": knownvalue.Bool(true), "enabled": knownvalue.Bool(false)})...)
		checks = append(checks, expectUser("unknown", map[string]knownvalue.Check{"exists": knownvalue.Bool(false), "enabled": knownvalue.Null()})...)
		for _, ds := range []string{"enabled", "disabled", "unknown"} {
			for _, attr := range passwordAttrs {
				checks = append(checks, expectUser(ds, map[string]knownvalue.Check{attr: knownvalue.Null()})...)
			}
		}
		return read{
			config: f.provider() + userDataSources(map[string]string{"enabled": enabled, "disabled": disabled, "unknown": unknown}),
			checks: checks,
			// A read asks the service, and sends no reset.
			check: allChecks(
				f.expectAsked("GET", getPath+enabled), f.expectAsked("GET", getPath+disabled), f.expectAsked("GET", getPath+unknown),
				f.expectSets(enabled, 0), f.expectSets(disabled, 0), f.expectSets(unknown, 0)),
		}
	}
	// unread is the case of a backend that cannot read users.
	unread := func(f *accFixture, user string, sentNothing resource.TestCheckFunc) read {
		attrs := map[string]knownvalue.Check{"user_id": knownvalue.StringExact(user), "exists": knownvalue.Null(), "enabled": knownvalue.Null()}
		for _, attr := range passwordAttrs {
			attrs[attr] = knownvalue.Null()
		}
		return read{config: f.provider() + userDataSources(map[string]string{"test": user}), checks: expectUser("test", attrs), check: sentNothing}
	}
	reads := map[string]func(t *testing.T, f *accFixture) read{
		"idaas": func(t *testing.T, f *accFixture) read {
			user := f.newUser(t)
			return read{
				config: f.provider() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id                    = %q
  force_change_on_next_login = true
}

data "identity_user" "test" {
  user_id    = identity_user_password.test.user_id
  depends_on = [identity_user_password.test]
}
`, user) + userDataSources(map[string]string{"missing": "00000000-0000-4000-8000-00000000dead"}),
				checks: append(append(expectUser("test", map[string]knownvalue.Check{
					"exists": knownvalue.Bool(true), "enabled": knownvalue.Bool(true), "password_must_change": knownvalue.Bool(true),
					"password_last_changed_at": rfc3339Check("password_last_changed_at", nil),
					"password_expires_at":      rfc3339Check("password_expires_at", nil),
				}), samePair("data.identity_user.test", "password_last_changed_at", userPasswordAddr, "last_changed_at")),
					expectUser("missing", map[string]knownvalue.Check{"exists": knownvalue.Bool(false), "enabled": knownvalue.Null()})...),
			}
		},
		"finspace": func(t *testing.T, f *accFixture) read {
			// FinSpace's GetUser says nothing about passwords.
			return enabledDisabledUnknown(f, f.newUser(t), newFinSpaceUser(t, "DISABLED"), "fs-none-"+randomHex(t, 8), "/user/")
		},
		"huawei": func(t *testing.T, f *accFixture) read {
			// Identity Center reports nothing about passwords.
			return enabledDisabledUnknown(f, f.newUser(t), newHuaweiUser(t, false), randomUUID(t), "/v1/identity-stores/"+huaweiemu.TestIdentityStoreID+"/users/")
		},
		"ocariot": func(t *testing.T, f *accFixture) read {
			user := f.newUser(t)
			return unread(f, user, f.expectMentions(user, 0))
		},
		// After a reset (which sets must-change), and users with fixed
		// password times, locked, and unknown: each attribute as the server
		// reports it.
		"zato": func(t *testing.T, f *accFixture) read {
			user := f.newUser(t)
			lastSet := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
			expiry := time.Date(2027, 8, 9, 10, 11, 12, 0, time.UTC)
			fixed := testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-" + randomHex(t, 6), Password: zatoInitialPassword(t),
				MustChange: true, PasswordLastSet: lastSet, PasswordExpiry: expiry})
			locked := testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-" + randomHex(t, 6), Password: zatoInitialPassword(t), Locked: true})
			missing := "zusr" + randomHex(t, 12)
			const reset = "identity_password_reset.test"
			var checks []statecheck.StateCheck
			checks = append(checks, expectUser("reset", map[string]knownvalue.Check{
				"exists": knownvalue.Bool(true), "enabled": knownvalue.Bool(true), "password_must_change": knownvalue.Bool(true),
			})...)
			checks = append(checks,
				samePair("data.identity_user.reset", "password_last_changed_at", reset, "reset_at"),
				samePair("data.identity_user.reset", "password_expires_at", reset, "expires_at"))
			checks = append(checks, expectUser("fixed", map[string]knownvalue.Check{
				"exists": knownvalue.Bool(true), "enabled": knownvalue.Bool(true), "password_must_change": knownvalue.Bool(true),
				"password_last_changed_at": knownvalue.StringExact(zatoRFC3339(lastSet)),
				"password_expires_at":      knownvalue.StringExact(zatoRFC3339(expiry)),
			})...)
			checks = append(checks, expectUser("locked", map[string]knownvalue.Check{
				"exists": knownvalue.Bool(true), "enabled": knownvalue.Bool(false), "password_must_change": knownvalue.Bool(false),
				"password_last_changed_at": rfc3339Check("password_last_changed_at", nil),
			})...)
			missingAttrs := map[string]knownvalue.Check{"exists": knownvalue.Bool(false), "enabled": knownvalue.Null()}
			for _, attr := range passwordAttrs {
				missingAttrs[attr] = knownvalue.Null()
			}
			checks = append(checks, expectUser("missing", missingAttrs)...)
			return read{
				config: f.provider() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id        = %q
  valid_for_days = 5
}

data "identity_user" "reset" {
  user_id    = identity_password_reset.test.user_id
  depends_on = [identity_password_reset.test]
}
`, user) + userDataSources(map[string]string{"fixed": fixed, "locked": locked, "missing": missing}),
				checks: checks,
			}
		},
		"zato_cli": func(t *testing.T, f *accFixture) read {
			user := f.newUser(t)
			// No command ran for the data source: the user has only its seed.
			return unread(f, user, f.expectIssued(user, 1))
		},
	}
	testAccEach(t, accBackends(t), func(t *testing.T, f *accFixture) {
		r := reads[f.name](t, f)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps:                    []resource.TestStep{{Config: r.config, ConfigStateChecks: r.checks, Check: r.check}},
		})
	})
}

// TestAccUserDataSource_badInput: bad input refused at plan (see testAccBadInput).
func TestAccUserDataSource_badInput(t *testing.T) {
	idaas := accIDaaS(t)
	testAccBadInput(t, []badInputCase{
		{name: "idaas data source user_id with ../", config: biProvider(idaas, idaas.block()) + "data \"identity_user\" \"bad\" {\n  user_id = \"../x\"\n}\n",
			summary: "Invalid User ID", attr: "user_id", detail: "must be the user's UUID"},
	}, "")
}

// TestAccUserDataSource_knownAttributes: known_attributes lists what the
// backend reports (the capability matrix's identity_user rows), so that a
// check can tell "not reported" from "no value"; and require_known makes a
// read that relies on an attribute the backend cannot report fail at plan,
// on the attribute, instead of a check passing on null.
func TestAccUserDataSource_knownAttributes(t *testing.T) {
	testAccParallel(t, accBackends(t), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		known := knownUserAttributes(f.caps())
		var want []knownvalue.Check
		for _, name := range known {
			want = append(want, knownvalue.StringExact(name))
		}
		config := func(require string) string {
			return f.provider() + fmt.Sprintf("\ndata \"identity_user\" \"test\" {\n  user_id       = %q\n  require_known = %s\n}\n", user, require)
		}
		step := resource.TestStep{Config: config(`["exists"]`), ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.identity_user.test", attrAt("known_attributes"), knownvalue.SetExact(want)),
		}}
		if !slices.Contains(known, "exists") {
			step = resource.TestStep{Config: config(`["exists"]`), ExpectError: regexp.MustCompile(
				`(?s)Error: Not Reported By ` + regexp.QuoteMeta(f.backend.Name()) + `.*require_known.*cannot read users at all`)}
		}
		steps := []resource.TestStep{step}
		if !slices.Contains(known, "password_expires_at") {
			steps = append(steps, resource.TestStep{
				Config: config(`["exists", "password_expires_at"]`),
				ExpectError: regexp.MustCompile(`(?s)Error: Not Reported By ` + regexp.QuoteMeta(f.backend.Name()) +
					`.*with data\.identity_user\.test,.*require_known.*cannot\s+report\s+password_expires_at`),
			})
		}
		resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories(nil), Steps: steps})
	})
}
