package provider

// Acceptance tests of identity_user_password: one function a case, one
// subtest a backend of the fixture table (acc_backends_test.go) that has
// the case. Plan-time refusals are in acc_user_password_plan_test.go.

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// userPasswordAddr is the address of the one resource of most cases.
const userPasswordAddr = "identity_user_password.test"

// userPasswordConfig is the fixture's provider and one identity_user_password
// for user with the given attribute lines.
func userPasswordConfig(f *accFixture, user string, lines ...string) string {
	return f.provider() + fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n  %s\n}\n", user, strings.Join(lines, "\n  "))
}

// TestAccUserPassword_serverGenerated: a password the identity system
// generates lands in state and is the one it holds; the same configuration
// again sends nothing; a trigger change issues a new password in place.
func TestAccUserPassword_serverGenerated(t *testing.T) {
	t.Parallel()
	const res = userPasswordAddr
	// expect is what a backend adds to the case's checks.
	type expect struct {
		preConfig                  func()
		created, updated           []statecheck.StateCheck
		createdCheck, updatedCheck resource.TestCheckFunc
		destroyed                  resource.TestCheckFunc
	}
	expects := map[string]func(t *testing.T, f *accFixture, user string) expect{
		"idaas": func(t *testing.T, f *accFixture, user string) expect {
			return expect{
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("last_changed_at"), rfc3339Check("last_changed_at", nil)),
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), rfc3339Check("expires_at", func(e time.Time) error {
						if !e.After(time.Now()) {
							return fmt.Errorf("expires_at %s is not in the future", e)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(res, attrAt("expiry_notification_at"), rfc3339Check("expiry_notification_at", nil)),
					statecheck.ExpectKnownValue(res, attrAt("notify_user"), knownvalue.Bool(false)),
				},
				createdCheck: func(*terraform.State) error {
					body := idaasPuts(t, user)[0]
					for k, want := range map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false} {
						if body[k] != want {
							return fmt.Errorf("PUT body %s = %v, want %v (sent explicitly)", k, body[k], want)
						}
					}
					if _, ok := body["password"]; ok {
						return fmt.Errorf("PUT body carries a password although the server generates it")
					}
					if idaasEmailed(user, "") != 0 {
						return fmt.Errorf("an email was sent to the user although notify_user is false")
					}
					return nil
				},
				destroyed: func(*terraform.State) error {
					// Destroy leaves the password in place and sends nothing.
					if _, ok := f.current(user); !ok {
						return fmt.Errorf("the password was removed at destroy")
					}
					if got := len(idaasPuts(t, user)); got != 2 {
						return fmt.Errorf("destroy sent password PUTs: %d in all", got)
					}
					if n := f.recorder.Count("DELETE", user); n != 0 {
						return fmt.Errorf("destroy sent %d DELETE requests", n)
					}
					return nil
				},
			}
		},
		"finspace": func(_ *testing.T, _ *accFixture, user string) expect {
			sevenDays := statecheck.CompareValuePairs(res, attrAt("last_changed_at"), res, attrAt("expires_at"), timeOffset{7 * 24 * time.Hour})
			return expect{
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("last_changed_at"), nearTime("last_changed_at", finspaceLastResetAt(user))),
					sevenDays,
					statecheck.ExpectKnownValue(res, attrAt("expiry_notification_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Null()),
				},
				createdCheck: expectFinSpaceReset(user, 0),
				// The new password is the one the emulator holds as current
				// (the first no longer works).
				updated: []statecheck.StateCheck{sevenDays},
				updatedCheck: func(*terraform.State) error {
					tokens, err := finspaceTokens(user)
					if err != nil {
						return err
					}
					if tokens[0] == tokens[1] {
						return fmt.Errorf("two separate resets reused one clientToken: the service would replay the first password")
					}
					if n := len(testSandbox.FinSpace.IssuedPasswords(user)); n != 2 {
						return fmt.Errorf("the emulator issued %d passwords, want 2", n)
					}
					return nil
				},
			}
		},
		"huawei": func(_ *testing.T, _ *accFixture, user string) expect {
			var before time.Time
			return expect{
				preConfig: func() { before = time.Now().UTC().Truncate(time.Second) },
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("last_changed_at"), rfc3339Check("last_changed_at", func(v time.Time) error {
						if v.Before(before) || v.After(time.Now().Add(time.Second)) {
							return fmt.Errorf("last_changed_at %s is not the time of this apply (after %s)", v.Format(time.RFC3339), before.Format(time.RFC3339))
						}
						return nil
					})),
					// Identity Center does not publish the OTP lifetime.
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("expiry_notification_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Null()),
				},
				createdCheck: expectHuaweiReset(user, 0, "OTP"),
				updated:      []statecheck.StateCheck{statecheck.ExpectKnownValue(res, attrAt("expires_at"), knownvalue.Null())},
				updatedCheck: func(s *terraform.State) error {
					if err := expectHuaweiReset(user, 1, "OTP")(s); err != nil {
						return err
					}
					if n := len(testSandbox.Huawei.IssuedPasswords(user)); n != 2 {
						return fmt.Errorf("the emulator issued %d one-time passwords, want 2", n)
					}
					return nil
				},
			}
		},
	}
	testAccEach(t, []*accFixture{accIDaaS(t), accFinSpace(t), accHuawei(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		ex := expects[f.name](t, f, user)
		config := func(trigger string) string {
			return userPasswordConfig(f, user, fmt.Sprintf("triggers = { rotation = %q }", trigger))
		}
		passwords := valuesDiffer()
		matches := statecheck.ExpectKnownValue(res, attrAt("password"), matchesServerPassword("password", f.currentOf(user)))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: triggerSteps(config, f.changesOf(user),
				resource.TestStep{
					PreConfig: ex.preConfig,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
							plancheck.ExpectUnknownValue(res, attrAt("password")),
							plancheck.ExpectKnownValue(res, attrAt("generated_by"), knownvalue.StringExact("server")),
							plancheck.ExpectSensitiveValue(res, attrAt("password")),
						},
					},
					ConfigStateChecks: append([]statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, attrAt("id"), knownvalue.StringExact(user)),
						matches,
						statecheck.ExpectKnownValue(res, attrAt("generated_by"), knownvalue.StringExact("server")),
						passwords.AddStateValue(res, attrAt("password")),
					}, ex.created...),
					Check: ex.createdCheck,
				},
				// A trigger change issues a new password in place.
				resource.TestStep{
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue(res, attrAt("password")),
						},
					},
					ConfigStateChecks: append([]statecheck.StateCheck{matches, passwords.AddStateValue(res, attrAt("password"))}, ex.updated...),
					Check:             ex.updatedCheck,
				}),
			CheckDestroy: ex.destroyed,
		})
	})
}

// TestAccUserPassword_import: a password Terraform forgot is imported by
// user id with no change planned, no password in state and no password
// set; then the user is deleted outside Terraform and the next plan creates
// the resource again.
func TestAccUserPassword_import(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t), accFinSpace(t), accHuawei(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := userPasswordConfig(f, user)
		sets := f.expectSets(user, 1)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{Config: config, Check: sets},
				// Terraform forgets the resource (the password stays)...
				{Config: f.provider() + removedBlock(userPasswordAddr), Check: sets},
				{
					// ...and imports it again by user id.
					Config:             config,
					ResourceName:       userPasswordAddr,
					ImportState:        true,
					ImportStateId:      user,
					ImportStatePersist: true,
					ImportStateCheck:   importedWithoutPassword(user, "server", 1),
				},
				// After import: an empty plan, and no password set.
				unchangedStep(config, sets),
				// The user is deleted behind Terraform's back: refresh drops
				// the resource and the plan creates it again.
				deletedBehindBack(f, user, config),
			},
		})
	})
}

// deletedBehindBack deletes the user behind Terraform's back before a
// plan that then creates the user's password again.
func deletedBehindBack(f *accFixture, user, config string) resource.TestStep {
	step := createPlanned(config, userPasswordAddr)
	step.PreConfig = func() { f.deleteUser(user) }
	return step
}

// TestAccUserPassword_generatedAndChosen covers a generated password (by
// the provider where the identity system cannot generate, else by it) and
// a chosen one side by side: what is sent and what lands in state; that the
// plan after apply is empty and nothing more is sent; import by user id
// followed by an empty plan, and triggers first configured on an imported
// password adopted; a trigger issuing a new password; and what refresh does
// with a change behind Terraform's back, which only a backend that reads
// users notices.
func TestAccUserPassword_generatedAndChosen(t *testing.T) {
	t.Parallel()
	const gen, cho = "identity_user_password.generated", "identity_user_password.chosen"
	requested := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)
	// expect is what a backend brings to the case.
	type expect struct {
		chosenPassword string
		// mustChange: the chosen password comes with the must-change flag;
		// expiry: and with a requested expiry.
		mustChange, expiry bool
		// imports: the import steps run (the CLI's case never had them).
		imports          bool
		created, updated []statecheck.StateCheck
		createdCheck     resource.TestCheckFunc
		// counts checks the password changes so far, genSets for the
		// generated password, one for the chosen.
		counts func(genSets int) resource.TestCheckFunc
		// sent checks the i-th password sent for a user (nil: the CLI,
		// whose passwords are not sent over the wire).
		sent func(user string, i int, addr string, days int) resource.TestCheckFunc
		// outOfBand changes things behind Terraform's back for the last step.
		outOfBand func()
		destroyed resource.TestCheckFunc
	}
	expects := map[string]func(t *testing.T, f *accFixture, generated, chosen string) expect{
		"ocariot": func(t *testing.T, f *accFixture, generated, chosen string) expect {
			counts := func(genSets int) resource.TestCheckFunc {
				return allChecks(f.expectSets(generated, genSets), f.expectSets(chosen, 1))
			}
			return expect{
				chosenPassword: "Chosen-OCARIoT-Passw0rd!",
				imports:        true,
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, attrAt("password"), defaultPolicy),
					statecheck.ExpectKnownValue(gen, attrAt("last_changed_at"), recentTime("last_changed_at")),
					// OCARIoT reports no expiry and takes no must-change flag.
					statecheck.ExpectKnownValue(gen, attrAt("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(gen, attrAt("expiry_notification_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(gen, attrAt("force_change_on_next_login"), knownvalue.Null()),
				},
				updated: []statecheck.StateCheck{statecheck.ExpectKnownValue(gen, attrAt("password"), defaultPolicy)},
				counts:  counts,
				sent: func(user string, i int, addr string, _ int) resource.TestCheckFunc {
					return f.expectSentPassword(t, user, i, addr, "password", ocariotSetWire)
				},
				// OCARIoT cannot read users, so refresh keeps state as it
				// is, even for users that no longer exist.
				outOfBand: func() {
					f.deleteUser(generated)
					f.deleteUser(chosen)
				},
				// Refresh, plan and destroy sent nothing.
				destroyed: counts(2),
			}
		},
		"zato": func(t *testing.T, f *accFixture, generated, chosen string) expect {
			// The must-change flag goes with PATCH /zato/sso/user, and only
			// where it is configured.
			counts := func(genSets int) resource.TestCheckFunc {
				return allChecks(f.expectSets(generated, genSets), expectZatoMustChange(t, generated, 0),
					f.expectSets(chosen, 1), expectZatoMustChange(t, chosen, 1))
			}
			emuTimes := []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gen, attrAt("last_changed_at"), zatoEmuTime("last_changed_at", generated, zatoLastSet)),
				statecheck.ExpectKnownValue(gen, attrAt("expires_at"), zatoEmuTime("expires_at", generated, zatoExpiry)),
			}
			return expect{
				chosenPassword: "Chosen-Sso-Pw-4821!",
				mustChange:     true, expiry: true,
				imports: true,
				created: append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, attrAt("password"), defaultPolicy),
					statecheck.ExpectKnownValue(gen, attrAt("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, attrAt("force_change_on_next_login"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(cho, attrAt("last_changed_at"), zatoEmuTime("last_changed_at", chosen, zatoLastSet)),
				}, emuTimes...),
				createdCheck: func(*terraform.State) error {
					u, _ := testSandbox.Zato.GetUser(chosen)
					if !u.MustChange {
						return fmt.Errorf("the emulator does not hold the must-change flag")
					}
					if u.PasswordExpiry.Before(requested) || !u.PasswordExpiry.Before(requested.Add(24*time.Hour)) {
						return fmt.Errorf("the emulator's password_expiry %s is not within a day after the requested %s", u.PasswordExpiry, requested)
					}
					return nil
				},
				updated: emuTimes,
				counts:  counts,
				sent: func(user string, i int, addr string, days int) resource.TestCheckFunc {
					return f.expectSentPassword(t, user, i, addr, "password", zatoPasswordWire(days))
				},
				outOfBand: func() { f.deleteUser(generated) },
				destroyed: counts(2),
			}
		},
		"zato_cli": func(t *testing.T, f *accFixture, generated, chosen string) expect {
			// nearLastSet checks a state time against the user's last_set in
			// the fake CLI's state (the provider takes its own clock, to the
			// second).
			nearLastSet := func(username string) knownvalue.Check {
				return rfc3339Check("last_changed_at", func(c time.Time) error {
					u := zatoCLIUser(t, f.serverPath, username)
					if d := c.Sub(u.LastSet); d < -2*time.Second || d > time.Minute {
						return fmt.Errorf("last_changed_at %s is not the fake server's last_set %s", c, u.LastSet)
					}
					return nil
				})
			}
			return expect{
				chosenPassword: "Chosen-Cli-Pass-5521!",
				// No expiry: the zato command's --expiry fails on every Zato 3.x.
				mustChange: true,
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, attrAt("last_changed_at"), nearLastSet(generated)),
					// Without --expiry the server's configured default
					// applies, which the CLI does not print: unknown, so null.
					statecheck.ExpectKnownValue(gen, attrAt("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cho, attrAt("last_changed_at"), nearLastSet(chosen)),
				},
				createdCheck: func(*terraform.State) error {
					if zatoCLIUser(t, f.serverPath, generated).MustChange {
						return fmt.Errorf("the generated password's user must change it although nothing asked for it")
					}
					c := zatoCLIUser(t, f.serverPath, chosen)
					if !c.MustChange {
						return fmt.Errorf("the fake server does not hold the must-change flag for the chosen password")
					}
					// The server's default expiry: --expiry is never passed.
					if !c.Expiry.Equal(c.LastSet.AddDate(0, 0, zatoemu.DefaultPasswordExpiryDays)) {
						return fmt.Errorf("the fake server's expiry %s is not its last_set %s + the default", c.Expiry, c.LastSet)
					}
					return nil
				},
				// The passwords each user has had, the seed first: so
				// nothing ran in between.
				counts: func(genSets int) resource.TestCheckFunc {
					return allChecks(f.expectIssued(generated, genSets+1), f.expectIssued(chosen, 2))
				},
				// The CLI cannot read users: a password changed behind
				// Terraform's back goes unnoticed.
				outOfBand: func() { f.setBehindBack(t, generated, "Behind-The-Back-4417") },
				// Refresh, plan and destroy ran nothing (the behind-the-back
				// change is the fourth password).
				destroyed: allChecks(f.expectIssued(generated, 4), f.expectIssued(chosen, 2)),
			}
		},
	}
	testAccEach(t, []*accFixture{accOCARIoT(t), accZato(t), accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		generated, chosen := f.newUser(t), f.newUser(t)
		ex := expects[f.name](t, f, generated, chosen)
		generatedBy := "provider"
		if f.caps().ServerGenerate {
			generatedBy = "server"
		}
		chosenLines := []string{hclAttr("password", ex.chosenPassword)}
		if ex.mustChange {
			chosenLines = append(chosenLines, "force_change_on_next_login = true")
		}
		if ex.expiry {
			chosenLines = append(chosenLines, hclAttr("expires_at", zatoRFC3339(requested)))
		}
		chosenBlock := fmt.Sprintf("\nresource \"identity_user_password\" \"chosen\" {\n  user_id = %q\n  %s\n}\n", chosen, strings.Join(chosenLines, "\n  "))
		// config has no triggers until one is given: an imported resource
		// has none in state, so triggers in the configuration would set a
		// new password at once (see the import steps).
		config := func(trigger string) string {
			triggers := ""
			if trigger != "" {
				triggers = fmt.Sprintf("triggers = { rotation = %q }", trigger)
			}
			return f.provider() + chosenBlock + fmt.Sprintf("\nresource \"identity_user_password\" \"generated\" {\n  user_id = %q\n  %s\n}\n", generated, triggers)
		}
		first := "1"
		if ex.imports {
			first = ""
		}
		sent := func(user string, i int, addr string, days int) resource.TestCheckFunc {
			if ex.sent == nil {
				return nil
			}
			return ex.sent(user, i, addr, days)
		}
		passwords := valuesDiffer()
		createPlan := []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(gen, plancheck.ResourceActionCreate),
			plancheck.ExpectUnknownValue(gen, attrAt("password")),
			plancheck.ExpectKnownValue(gen, attrAt("generated_by"), knownvalue.StringExact(generatedBy)),
			plancheck.ExpectSensitiveValue(gen, attrAt("password")),
			plancheck.ExpectKnownValue(cho, attrAt("generated_by"), knownvalue.Null()),
		}
		created := []statecheck.StateCheck{
			statecheck.ExpectKnownValue(gen, attrAt("id"), knownvalue.StringExact(generated)),
			statecheck.ExpectKnownValue(gen, attrAt("password"), matchesServerPassword("password", f.currentOf(generated))),
			statecheck.ExpectKnownValue(gen, attrAt("generated_by"), knownvalue.StringExact(generatedBy)),
			statecheck.ExpectKnownValue(cho, attrAt("password"), knownvalue.StringExact(ex.chosenPassword)),
			statecheck.ExpectKnownValue(cho, attrAt("password"), matchesServerPassword("password", f.currentOf(chosen))),
			statecheck.ExpectKnownValue(cho, attrAt("generated_by"), knownvalue.Null()),
			passwords.AddStateValue(gen, attrAt("password")),
		}
		chosenDays := 0
		if ex.expiry {
			createPlan = append(createPlan, plancheck.ExpectKnownValue(cho, attrAt("expires_at"), knownvalue.StringExact(zatoRFC3339(requested))))
			created = append(created, statecheck.ExpectKnownValue(cho, attrAt("expires_at"), knownvalue.StringExact(zatoRFC3339(requested))))
			chosenDays = 30 // the requested time, rounded up to whole days from now
		}
		steps := []resource.TestStep{{
			Config: config(first),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: createPlan,
				// The same configuration planned again after the apply (with
				// refresh): nothing to do. The counts of the later steps show
				// that nothing was sent meanwhile.
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: append(created, ex.created...),
			Check:             allChecks(ex.counts(1), sent(generated, 0, gen, 0), sent(chosen, 0, cho, chosenDays), ex.createdCheck),
		}}
		if ex.imports {
			steps = append(steps,
				resource.TestStep{
					// Terraform forgets the generated password (it stays in place)...
					Config: f.provider() + chosenBlock + removedBlock(gen),
					Check:  ex.counts(1),
				},
				resource.TestStep{
					// ...and imports it again by user id: no password, the defaults.
					Config:             config(""),
					ResourceName:       gen,
					ImportState:        true,
					ImportStateId:      generated,
					ImportStatePersist: true,
					// The state holds the chosen password too.
					ImportStateCheck: importedWithoutPassword(generated, generatedBy, 0),
				},
				resource.TestStep{
					// After import: an empty plan.
					Config:   config(""),
					PlanOnly: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				resource.TestStep{
					// Triggers first configured on an imported password are
					// adopted: the update only records them, sends nothing
					// and brings no password into state.
					Config: config("1"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(gen, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(gen, attrAt("password"), knownvalue.Null()),
						},
					},
				})
		}
		// What refresh makes of a change behind Terraform's back: a backend
		// that reads users drops the deleted one, and the plan creates it
		// again; the others keep state as it is, and the plan stays empty.
		outOfBand := resource.TestStep{
			PreConfig: ex.outOfBand,
			Config:    config("2"),
			PlanOnly:  true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}
		if f.caps().ReadUser {
			outOfBand.ExpectNonEmptyPlan = true
			outOfBand.ConfigPlanChecks.PostApplyPostRefresh = []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(gen, plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction(cho, plancheck.ResourceActionNoop),
			}
		}
		steps = append(steps,
			resource.TestStep{
				// A trigger change sets a new generated password in place;
				// the chosen password is left alone. One more set in all:
				// nothing was set since the first apply.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(gen, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(gen, attrAt("password")),
						plancheck.ExpectResourceAction(cho, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue(gen, attrAt("password"), matchesServerPassword("password", f.currentOf(generated))),
					passwords.AddStateValue(gen, attrAt("password")),
				}, ex.updated...),
				Check: allChecks(ex.counts(2), sent(generated, 1, gen, 0)),
			},
			outOfBand)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps:                    steps,
			CheckDestroy:             ex.destroyed,
		})
	})
}

// TestAccUserPassword_chosen sets a chosen password with the must-change
// flag, an expiry and notify_user, and changes it.
func TestAccUserPassword_chosen(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		expiry := time.Now().Add(60 * 24 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
		config := func(pw string, notify bool) string {
			return userPasswordConfig(f, user, hclAttr("password", pw), "force_change_on_next_login = true",
				hclAttr("expires_at", expiry), fmt.Sprintf("notify_user = %t", notify))
		}
		matches := statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user)))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					Config: config("Chosen-Passw0rd-One!", false),
					ConfigStateChecks: []statecheck.StateCheck{
						matches,
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("generated_by"), knownvalue.Null()),
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("expires_at"), knownvalue.StringExact(expiry)),
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("force_change_on_next_login"), knownvalue.Bool(true)),
					},
					Check: allChecks(
						f.expectSets(user, 1),
						func(*terraform.State) error {
							body := idaasPuts(t, user)[0]
							if body["password"] != "Chosen-Passw0rd-One!" || body["forceUpdate"] != true || body["emailPassword"] != false {
								return fmt.Errorf("unexpected PUT body fields: forceUpdate=%v emailPassword=%v password sent=%t", body["forceUpdate"], body["emailPassword"], body["password"] != nil)
							}
							if gen, ok := body["generatePassword"]; ok && gen != false {
								return fmt.Errorf("generatePassword = %v for a chosen password", gen)
							}
							got, err := time.Parse(time.RFC3339, fmt.Sprint(body["expiryTime"]))
							if err != nil || got.Format(time.RFC3339) != expiry {
								return fmt.Errorf("expiryTime = %v, want %s", body["expiryTime"], expiry)
							}
							if !testSandbox.IDaaS.MustChange(user) {
								return fmt.Errorf("the emulator does not hold the must-change flag")
							}
							return nil
						},
					),
				},
				{
					// notify_user alone changes nothing on the server: no request.
					Config: config("Chosen-Passw0rd-One!", true),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("last_changed_at"), knownvalue.NotNull()),
						},
					},
					Check: f.expectSets(user, 1),
				},
				{
					// A new chosen password is set in place, and emailed as asked.
					Config: config("Chosen-Passw0rd-Two!", true),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{matches},
					Check: allChecks(
						f.expectSets(user, 2),
						func(*terraform.State) error {
							if body := idaasPuts(t, user)[1]; body["emailPassword"] != true {
								return fmt.Errorf("emailPassword = %v with notify_user = true", body["emailPassword"])
							}
							return nil
						},
					),
				},
			},
		})
	})
}

// TestAccUserPassword_providerGenerated generates a password in the
// provider with a policy, and sets it.
func TestAccUserPassword_providerGenerated(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: userPasswordConfig(f, user, `generated_by = "provider"`, `generate = {
    length           = 24
    min_upper        = 2
    min_lower        = 2
    min_special      = 3
    min_numeric      = 2
    override_special = "#%+"
  }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user))),
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), stringCheck{desc: "policy", fn: func(s string) error {
						if len(s) != 24 {
							return fmt.Errorf("length %d, want 24", len(s))
						}
						if n := len(regexp.MustCompile(`[A-Z]`).FindAllString(s, -1)); n < 2 {
							return fmt.Errorf("%d upper-case letters, want at least 2", n)
						}
						if n := len(regexp.MustCompile(`[#%+]`).FindAllString(s, -1)); n < 3 {
							return fmt.Errorf("%d special characters, want at least 3", n)
						}
						if strings.ContainsAny(s, "!@$&*()-_=[]{}<>:?") {
							return fmt.Errorf("a special character outside override_special appears")
						}
						return nil
					}}),
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("generated_by"), knownvalue.StringExact("provider")),
				},
				Check: func(*terraform.State) error {
					puts := idaasPuts(t, user)
					if len(puts) != 1 || puts[0]["password"] == nil || puts[0]["generatePassword"] == true {
						return fmt.Errorf("expected one PUT with a provider-generated password, got %d", len(puts))
					}
					return nil
				},
			}},
		})
	})
}

// TestAccUserPassword_generateNullUnlessSet: an unset generate policy stays
// null in state and the defaults apply; setting the defaults explicitly, or
// removing them, is an update that sends nothing and keeps the password; a
// policy that differs generates a new password that follows it.
func TestAccUserPassword_generateNullUnlessSet(t *testing.T) {
	testAccParallel(t, []*accFixture{accOCARIoT(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		const res = userPasswordAddr
		config := func(generate string) string { return userPasswordConfig(f, user, generate) }
		matches := statecheck.ExpectKnownValue(res, attrAt("password"), matchesServerPassword("password", f.currentOf(user)))
		same := valuesSame()
		differ := valuesDiffer()
		length20 := stringCheck{desc: "20 characters", fn: func(s string) error {
			if len(s) != 20 {
				return fmt.Errorf("a password of %d characters, want 20", len(s))
			}
			return nil
		}}
		keptPassword := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(res, attrAt("last_changed_at"), knownvalue.NotNull()),
		}}
		explicitDefaults := "generate = {\n    length  = 32\n    special = true\n    min_upper = 0\n  }"

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					Config: config(""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, attrAt("generate"), knownvalue.Null()),
						statecheck.ExpectKnownValue(res, attrAt("password"), defaultPolicy),
						matches,
						same.AddStateValue(res, attrAt("password")),
					},
					Check: f.expectSets(user, 1),
				},
				{
					// The defaults, set explicitly: generate changes in state, the password does not.
					Config:           config(explicitDefaults),
					ConfigPlanChecks: keptPassword,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, attrAt("generate").AtMapKey("length"), knownvalue.Int64Exact(32)),
						same.AddStateValue(res, attrAt("password")),
					},
					Check: f.expectSets(user, 1),
				},
				{
					// ...and removed again: no new password either.
					Config:           config(""),
					ConfigPlanChecks: keptPassword,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, attrAt("generate"), knownvalue.Null()),
						same.AddStateValue(res, attrAt("password")),
						differ.AddStateValue(res, attrAt("password")),
					},
					Check: f.expectSets(user, 1),
				},
				{
					// A policy that differs from the defaults: a new password that follows it.
					Config: config("generate = {\n    length = 20\n  }"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(res, attrAt("password")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, attrAt("password"), length20),
						matches,
						differ.AddStateValue(res, attrAt("password")),
					},
					Check: allChecks(f.expectSets(user, 2), f.expectSentPassword(t, user, 1, res, "password", ocariotSetWire)),
				},
				{
					// Back to the unset policy, which is not length 20: a new default password.
					Config: config(""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(res, attrAt("password"), defaultPolicy),
						differ.AddStateValue(res, attrAt("password")),
					},
					Check: f.expectSets(user, 3),
				},
				{Config: config(""), PlanOnly: true},
			},
		})
	})
}

// TestAccUserPassword_lostResponse: the emulator issues a password and
// drops the connection before answering. The transport retries with the
// same clientToken, so the service replays the first answer: one password
// issued, and it is the one in state.
func TestAccUserPassword_lostResponse(t *testing.T) {
	testAccParallel(t, []*accFixture{accFinSpace(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		f.faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: "POST", PathContains: "/user/" + user + "/password", Times: 1})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: userPasswordConfig(f, user),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user))),
				},
				Check: func(*terraform.State) error {
					reqs := f.sets(user)
					if len(reqs) != 2 {
						return fmt.Errorf("expected the lost reset and one retry (2 requests), the emulator recorded %d", len(reqs))
					}
					if reqs[0].Status != 0 || reqs[1].Status != 200 {
						return fmt.Errorf("answers were %d then %d, want a dropped connection (0) then 200: the fault did not apply", reqs[0].Status, reqs[1].Status)
					}
					tokens, err := finspaceTokens(user)
					if err != nil {
						return err
					}
					if tokens[0] != tokens[1] {
						return fmt.Errorf("the retry carried a different clientToken than the lost request")
					}
					if n := len(f.issued(user)); n != 1 {
						return fmt.Errorf("the emulator issued %d passwords for one apply, want exactly 1", n)
					}
					return nil
				},
			}},
		})
	})
}

// TestAccUserPassword_drift: a chosen, a generated and a must-change
// password are set; the refreshed plan right after shows nothing. Then all
// three are changed behind Terraform's back: the next plan updates the
// first two, and the apply sets the chosen one back and issues a new
// generated one. The must-change password was meant to be replaced by its
// user: it is left alone. The refreshed plan after that is empty again.
// Every backend that reads when a password last changed has the case.
func TestAccUserPassword_drift(t *testing.T) {
	t.Parallel()
	fixtures := accBackendsWith(t, func(c backend.Capabilities) bool { return c.ReadPasswordChangedAt })
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		users := [3]string{f.newUser(t), f.newUser(t), f.newUser(t)}
		chosenUser, genUser, mustUser := users[0], users[1], users[2]
		const chosen = "Chosen-Drift-Secret-71!"
		const portal1, portal2, own = "Portal-Changed-Secret-1!", "Portal-Changed-Secret-2!", "Users-Own-Secret-3!"
		extra := ""
		if f.caps().ClearPasswordHistory {
			// IDaaS keeps a history of 5: setting the chosen password back
			// needs it cleared.
			extra = "clear_password_history = true"
		}
		config := f.provider() + fmt.Sprintf(`
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
`, chosenUser, chosen, extra, genUser, mustUser)
		expectSets := func(chosenN, genN int) resource.TestCheckFunc {
			return func(*terraform.State) error {
				c, g, m := len(f.sets(chosenUser)), len(f.sets(genUser)), len(f.sets(mustUser))
				if c != chosenN || g != genN || m != 1 {
					return fmt.Errorf("password sets so far: chosen %d, generated %d, must-change %d; want %d, %d, 1", c, g, m, chosenN, genN)
				}
				return nil
			}
		}
		generated := valuesDiffer()
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
						generated.AddStateValue("identity_user_password.generated", attrAt("password")),
					},
					Check: expectSets(1, 1),
				},
				{
					PreConfig: func() {
						last := time.Time{}
						for _, u := range users {
							if s := f.sets(u); len(s) > 0 && s[len(s)-1].Time.After(last) {
								last = s[len(s)-1].Time
							}
						}
						settle(last)
						f.setBehindBack(t, chosenUser, portal1)
						f.setBehindBack(t, genUser, portal2)
						f.setBehindBack(t, mustUser, own)
					},
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("identity_user_password.chosen", plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue("identity_user_password.chosen", attrAt("last_changed_at")),
							plancheck.ExpectResourceAction("identity_user_password.generated", plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue("identity_user_password.generated", attrAt("password")),
							plancheck.ExpectResourceAction("identity_user_password.must_change", plancheck.ResourceActionNoop),
						},
						// Set back or replaced: the drift is forgotten.
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("identity_user_password.chosen", attrAt("password"), knownvalue.StringExact(chosen)),
						statecheck.ExpectKnownValue("identity_user_password.generated", attrAt("password"),
							matchesServerPassword("generated password", f.currentOf(genUser))),
						generated.AddStateValue("identity_user_password.generated", attrAt("password")),
					},
					Check: allChecks(
						expectSets(2, 2),
						func(*terraform.State) error {
							if pw, ok := f.current(chosenUser); !ok || pw != chosen {
								return fmt.Errorf("the chosen password was not set back")
							}
							if pw, ok := f.current(genUser); !ok || pw == portal2 {
								return fmt.Errorf("no new generated password was issued")
							}
							if pw, ok := f.current(mustUser); !ok || pw != own {
								return fmt.Errorf("the must-change user's own password was replaced")
							}
							return nil
						},
					),
				},
			},
		})
	})
}

// TestAccUserPassword_encryptTo generates passwords (by the identity system
// and by the provider) encrypted to two age recipients: each identity
// decrypts encrypted_password to the emulator's current password, password
// stays null in plan and state, and neither password appears anywhere in
// state. A bad recipient fails the plan, naming its index, before any
// request; a change of encrypt_to issues a new password.
func TestAccUserPassword_encryptTo(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		server, prov := f.newUser(t), f.newUser(t)
		ids := ageIdentities(t, 2)
		id1, id2 := ids[0], ids[1]
		config := func(recipients ...string) string {
			return f.provider() + fmt.Sprintf(`
resource "identity_user_password" "server" {
  user_id    = %q
  encrypt_to = %s
}

resource "identity_user_password" "provider" {
  user_id      = %q
  generated_by = "provider"
  encrypt_to   = %s
  # The sandbox tenant policy wants each of upper, lower and digit.
  generate = { min_upper = 1, min_lower = 1, min_numeric = 1 }
}
`, server, hclList(recipients...), prov, hclList(recipients...))
		}
		// stateSecrets is what the state JSON check looks for; noClearText
		// (a Check, run before the state checks) fills it.
		stateSecrets := noSecretInState{}
		stateChecks := func(ids ...*age.X25519Identity) []statecheck.StateCheck {
			out := []statecheck.StateCheck{stateSecrets}
			for addr, user := range map[string]string{"identity_user_password.server": server, "identity_user_password.provider": prov} {
				out = append(out,
					statecheck.ExpectKnownValue(addr, attrAt("password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, attrAt("encrypted_password"), decryptsToCurrent(addr+".encrypted_password", f.currentOf(user), ids...)),
				)
			}
			return out
		}
		noClearText := func(s *terraform.State) error {
			secrets := map[string]string{}
			for name, user := range map[string]string{"server-generated password": server, "provider-generated password": prov} {
				if pw, ok := f.current(user); ok {
					secrets[name] = pw
				}
			}
			if len(secrets) != 2 {
				return fmt.Errorf("the emulator holds %d of the 2 generated passwords", len(secrets))
			}
			for name, pw := range secrets {
				stateSecrets[name] = pw
			}
			return noSecretInAttributes(secrets)(s)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					// A bad second recipient fails the plan, naming its index.
					Config:      config(id1.Recipient().String(), "age1notarecipient"),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Element 1 of encrypt_to is not an age recipient`),
				},
				{
					PreConfig: func() {
						for _, user := range []string{server, prov} {
							if n := f.recorder.Count("", user); n != 0 {
								t.Errorf("the refused plan sent %d requests for a user, want 0", n)
							}
						}
					},
					Config: config(id1.Recipient().String(), id2.Recipient().String()),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectKnownValue("identity_user_password.server", attrAt("password"), knownvalue.Null()),
							plancheck.ExpectUnknownValue("identity_user_password.server", attrAt("encrypted_password")),
							plancheck.ExpectKnownValue("identity_user_password.provider", attrAt("password"), knownvalue.Null()),
							plancheck.ExpectUnknownValue("identity_user_password.provider", attrAt("encrypted_password")),
						},
						// Nothing changed since: nothing to do.
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: stateChecks(id1, id2),
					Check: allChecks(
						f.expectSets(server, 1), f.expectSets(prov, 1), noClearText,
						func(*terraform.State) error {
							if b := idaasPuts(t, server)[0]; b["generatePassword"] != true || b["returnPassword"] != true {
								return fmt.Errorf("server: PUT generatePassword = %v, returnPassword = %v, want true, true", b["generatePassword"], b["returnPassword"])
							}
							if b := idaasPuts(t, prov)[0]; b["generatePassword"] != false || b["password"] == nil {
								return fmt.Errorf("provider: PUT generatePassword = %v, password sent = %t; want false, true", b["generatePassword"], b["password"] != nil)
							}
							return nil
						},
					),
				},
				{
					// One recipient dropped: a new password, for the remaining one only.
					Config: config(id2.Recipient().String()),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("identity_user_password.server", plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue("identity_user_password.server", attrAt("encrypted_password")),
							plancheck.ExpectKnownValue("identity_user_password.server", attrAt("password"), knownvalue.Null()),
						},
					},
					ConfigStateChecks: stateChecks(id2),
					Check: allChecks(
						f.expectSets(server, 2), f.expectSets(prov, 2), noClearText,
						func(s *terraform.State) error {
							ct := s.RootModule().Resources["identity_user_password.server"].Primary.Attributes["encrypted_password"]
							if decryptsToCurrent("encrypted_password", f.currentOf(server), id1).CheckValue(ct) == nil {
								return fmt.Errorf("the dropped recipient can still decrypt the new password")
							}
							return nil
						},
					),
				},
			},
		})
	})
}

// TestAccUserPassword_rotation moves the provider's clock: with
// rotation_days = 30, a password set at T is kept at T+29d and replaced at
// T+31d, and the identity system then holds the new one.
func TestAccUserPassword_rotation(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		// The provider's clock runs at real time plus an offset that the
		// test moves between steps, so that it agrees with the emulator's
		// (real time) when the offset is zero.
		clock := &emu.Clock{}
		setOffset := func(d time.Duration) {
			clock.Reset()
			clock.Advance(d)
		}
		const day = 24 * time.Hour
		config := userPasswordConfig(f, user, "rotation_days = 30")
		matches := statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user)))
		passwords := valuesDiffer()
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(clock.Now),
			Steps: []resource.TestStep{
				{
					Config:            config,
					ConfigStateChecks: []statecheck.StateCheck{matches, passwords.AddStateValue(userPasswordAddr, attrAt("password"))},
					Check:             f.expectSets(user, 1),
				},
				{
					// 29 days later: not due (PlanOnly fails on a non-empty plan).
					PreConfig: func() { setOffset(29 * day) },
					Config:    config,
					PlanOnly:  true,
				},
				{
					// 31 days later: due, and the apply issues a new password.
					PreConfig: func() { setOffset(31 * day) },
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("password")),
							plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("last_changed_at")),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{matches, passwords.AddStateValue(userPasswordAddr, attrAt("password"))},
					Check: allChecks(
						f.expectSets(user, 2),
						func(*terraform.State) error {
							// The new password's last_changed_at is the
							// emulator's time (the real clock, which the test
							// cannot move): the provider's clock comes back
							// to one day after it, and the plans after the
							// apply must show the new password as not due.
							setOffset(day)
							return nil
						},
					),
				},
			},
		})
	})
}

// TestAccUserPassword_writeOnly sets a password_wo from an ephemeral,
// sensitive variable and proves that it reaches the identity system and
// nothing else: not the plan JSON, not the state (JSON and flattened
// attributes), not the TRACE log of Terraform and the provider. A new value
// without a new password_wo_version sends nothing; a new version sends it.
// A plain password beside it draws the plan warning that points at
// password_wo. Serial: it sets the environment.
func TestAccUserPassword_writeOnly(t *testing.T) {
	testAccEach(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user, plainUser := f.newUser(t), f.newUser(t)
		log := traceLog(t)
		const pw1, pw2, plain = "WriteOnly-Passw0rd-One!", "WriteOnly-Passw0rd-Two!", "Plain-Chosen-Passw0rd!"
		t.Setenv("TF_VAR_wo_password", pw1)
		t.Setenv("TF_VAR_plain_password", plain)
		provider := f.providerWith(caSetting(), f.blockFromEnv(t))
		config := func(version string) string {
			return provider + woPasswordVariable + fmt.Sprintf(`%s
resource "identity_user_password" "test" {
  user_id             = %q
  password_wo         = var.wo_password
  password_wo_version = %q
}

resource "identity_user_password" "plain" {
  user_id  = %q
  password = var.plain_password
}
`, sensitiveVariables("plain_password"), user, version, plainUser)
		}
		woSecrets := map[string]string{"first password_wo": pw1, "second password_wo": pw2}
		nullAt := func(attr string) statecheck.StateCheck {
			return statecheck.ExpectKnownValue(userPasswordAddr, attrAt(attr), knownvalue.Null())
		}
		putBody := func(i int, want string) resource.TestCheckFunc {
			return func(*terraform.State) error {
				puts := idaasPuts(t, user)
				if len(puts) <= i {
					return fmt.Errorf("no password PUT #%d", i+1)
				}
				if puts[i]["password"] != want || puts[i]["generatePassword"] != false || puts[i]["emailPassword"] != false {
					return fmt.Errorf("password PUT #%d: not the expected password_wo (generatePassword=%v emailPassword=%v)",
						i+1, puts[i]["generatePassword"], puts[i]["emailPassword"])
				}
				return nil
			}
		}
		isCurrent := func(want string) resource.TestCheckFunc {
			return func(*terraform.State) error {
				if pw, ok := f.current(user); !ok || pw != want {
					return fmt.Errorf("the emulator's current password is not the expected password_wo")
				}
				return nil
			}
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					Config: config("1"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionCreate),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password_wo"), knownvalue.Null()),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("generated_by"), knownvalue.Null()),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password_wo_version"), knownvalue.StringExact("1")),
							noSecretInPlan(woSecrets),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						nullAt("password"), nullAt("password_wo"), nullAt("generated_by"), nullAt("encrypted_password"),
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password_wo_version"), knownvalue.StringExact("1")),
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("last_changed_at"), rfc3339Check("last_changed_at", nil)),
						noSecretInState(woSecrets),
					},
					Check: allChecks(f.expectSets(user, 1), putBody(0, pw1), isCurrent(pw1), noSecretInAttributes(woSecrets)),
				},
				{
					// A new value under the same version: Terraform cannot see
					// it, and the provider sends nothing.
					PreConfig:        func() { t.Setenv("TF_VAR_wo_password", pw2) },
					Config:           config("1"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					Check:            allChecks(f.expectSets(user, 1), isCurrent(pw1)),
				},
				{
					// A new version: one PUT with the new value, still nothing in plan or state.
					Config: config("2"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectResourceAction("identity_user_password.plain", plancheck.ResourceActionNoop),
							plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("last_changed_at")),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
							noSecretInPlan(woSecrets),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						nullAt("password"), nullAt("password_wo"),
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password_wo_version"), knownvalue.StringExact("2")),
						noSecretInState(woSecrets),
					},
					Check: allChecks(f.expectSets(user, 2), putBody(1, pw2), isCurrent(pw2), noSecretInAttributes(woSecrets)),
				},
			},
		})
		scanForSecrets(t, log, woSecrets)

		// The plain password drew the warning that points at password_wo,
		// on the resource; the in-process provider server logs each
		// diagnostic it returns.
		data, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		warned := false
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "Response contains warning diagnostic") && strings.Contains(line, "Password Stored In Plan And State") {
				warned = true
				// Not on the attribute: Terraform would print its source
				// line, a literal password included, under the warning.
				if strings.Contains(line, "diagnostic_attribute=") || !strings.Contains(line, "password_wo") {
					t.Errorf("the plain-password warning points at an attribute or does not name password_wo: %.300s", line)
				}
			}
		}
		if !warned {
			t.Error("no plan warning about the plain password was logged")
		}
	})
}

// TestAccUserPassword_bcrypt imports a bcrypt hash: the PUT carries
// passwordFormat BCRYPT and the hash, with generatePassword, emailPassword
// and returnPassword false; the identity system then accepts the original
// password; generated_by and password stay null.
func TestAccUserPassword_bcrypt(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		const original = "Imported-Secret-42"
		hash, err := bcrypt.GenerateFromPassword([]byte(original), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: userPasswordConfig(f, user, hclAttr("bcrypt_hash", string(hash))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(userPasswordAddr, attrAt("generated_by"), knownvalue.Null()),
						plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
						plancheck.ExpectSensitiveValue(userPasswordAddr, attrAt("bcrypt_hash")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("generated_by"), knownvalue.Null()),
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("bcrypt_hash"), knownvalue.StringExact(string(hash))),
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("last_changed_at"), rfc3339Check("last_changed_at", nil)),
				},
				Check: allChecks(
					f.expectSets(user, 1),
					func(*terraform.State) error {
						body := idaasPuts(t, user)[0]
						for k, want := range map[string]any{
							"passwordFormat": "BCRYPT", "generatePassword": false, "emailPassword": false, "returnPassword": false,
						} {
							if body[k] != want {
								return fmt.Errorf("PUT body %s = %v, want %v", k, body[k], want)
							}
						}
						if body["password"] != string(hash) {
							return fmt.Errorf("PUT body password is not the bcrypt hash")
						}
						if h, ok := testSandbox.IDaaS.CurrentPasswordHash(user); !ok || h != string(hash) {
							return fmt.Errorf("IDaaS does not hold the imported hash")
						}
						if !testSandbox.IDaaS.PasswordMatches(user, original) {
							return fmt.Errorf("IDaaS does not accept the original password")
						}
						if idaasEmailed(user, "") != 0 {
							return fmt.Errorf("an email was sent for a bcrypt import")
						}
						return nil
					},
				),
			}},
		})
	})
}

// TestAccUserPassword_missingScope logs in as a user whose token lacks
// users:resetPassword: the apply fails with a diagnostic that says so, no
// state is written and the password stays as it was.
func TestAccUserPassword_missingScope(t *testing.T) {
	testAccParallel(t, []*accFixture{accOCARIoT(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		provider := f.providerWith(f.settings, f.block("username", ocariotemu.TestNoScopeUsername, "password", ocariotemu.TestNoScopePassword))
		config := provider + fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					Config:      config,
					ExpectError: regexp.MustCompile(`(?s)Unable To Set Password.*HTTP\s+403.*FORBIDDEN.*scope\s+must\s+include\s+users:resetPassword`),
				},
				// Nothing was written to state: the plan creates the resource
				// again (a tainted one would be replaced).
				createPlanned(config, userPasswordAddr),
			},
		})
		// Checked here: CheckDestroy does not run when nothing reached state.
		sets := f.sets(user)
		if len(sets) != 1 || sets[0].Status != 403 {
			t.Errorf("expected one reset-password request answered 403, got %d", len(sets))
		} else if !strings.HasPrefix(sets[0].Header.Get("Authorization"), "Bearer ") {
			t.Error("the refused request carried no bearer token")
		}
		if pw, ok := f.current(user); !ok || pw != "" || len(f.issued(user)) != 0 {
			t.Error("the user's password changed although the request was refused")
		}
	})
}

// TestAccUserPassword_rejectedPassword sets a chosen password on the
// server's reject list: the apply fails naming E003001 and what it means,
// without echoing the password, and the password stays as it was.
func TestAccUserPassword_rejectedPassword(t *testing.T) {
	t.Parallel()
	refusals := map[string]struct{ password, code string }{
		"zato":     {"My§Qwerty§Choice§2291", `HTTP\s+403\s+E003001`},
		"zato_cli": {"Cli§Qwerty§Choice§5501", `E003001`},
	}
	testAccEach(t, []*accFixture{accZato(t), accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		before, _ := f.current(user)
		r := refusals[f.name]
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config:      userPasswordConfig(f, user, hclAttr("password", r.password)),
				ExpectError: noSecretError(`Unable To Set Password`, r.code, `password\s+is\s+on\s+the\s+reject\s+list`),
			}},
		})
		// Checked here: CheckDestroy does not run when nothing reached state.
		if f.sets != nil {
			if sets := f.sets(user); len(sets) != 1 || sets[0].Status != 403 {
				t.Errorf("expected one password PATCH answered 403, got %d", len(sets))
			}
		}
		if pw, _ := f.current(user); pw != before || len(f.issued(user)) != 1 {
			t.Error("the user's password changed although the server refused the new one")
		}
	})
}

// TestAccUserPassword_unknownUser: setting the password of a user the
// identity system does not have fails with an error that says so, nothing
// reaches state (the next plan creates the resource again) and nothing was
// changed. Zato over REST would answer its password PATCH with "ok" and
// change nothing (zato-sso util.py:198-204): the provider asks its
// super-user search first and sends no PATCH. The CLI's zato command
// fails with exit code 22.
func TestAccUserPassword_unknownUser(t *testing.T) {
	want := map[string]string{
		"zato":     `(?s)Unable To Set Password.*Zato\s+SSO\s+has\s+no\s+user\s+with\s+this\s+user_id.*nothing\s+was\s+changed.*Check\s+user_id`,
		"zato_cli": `(?s)Unable To Set Password.*exit\s+code\s+22.*no\s+such\s+user.*Zato\s+username`,
	}
	testAccParallel(t, []*accFixture{accZato(t), accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		user := "zusrnobody" + randomHex(t, 8)
		if f.name == "zato_cli" {
			user = "tf-nobody-" + randomHex(t, 4)
		}
		config := userPasswordConfig(f, user, hclAttr("password", "Chosen-For-Nobody-4471"))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{Config: config, ExpectError: regexp.MustCompile(want[f.name])},
				// Nothing in state: the plan still creates the resource.
				createPlanned(config, userPasswordAddr),
			},
		})
		if f.sets == nil {
			return
		}
		if n := len(f.sets(user)); n != 0 {
			t.Errorf("%d password PATCHes for a user Zato does not have", n)
		}
		if f.recorder.Count(http.MethodPost, "/zato/sso/user/search") == 0 {
			t.Error("the provider did not ask the super-user search")
		}
		if strings.Contains(fmt.Sprint(f.issued(user)), "Chosen-For-Nobody-4471") {
			t.Error("the emulator took the password")
		}
	})
}

// TestAccUserPassword_deletedOutsideTerraform: a Zato user deleted outside
// Terraform is dropped from state by refresh and the plan creates its
// password again, without an error. Zato answers GET /zato/sso/user of a
// missing user with HTTP 403 E005001 (zato-sso user.py:642-646), the code of
// many refusals: the provider's super-user search tells the two apart.
// (TestAccUserPassword_import covers the other backends that read users.)
func TestAccUserPassword_deletedOutsideTerraform(t *testing.T) {
	testAccParallel(t, []*accFixture{accZato(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := userPasswordConfig(f, user)
		var searchesBefore int
		step := deletedBehindBack(f, user, config)
		step.PreConfig = func() {
			searchesBefore = zatoSearches(user)
			f.deleteUser(user)
		}
		step.Check = func(*terraform.State) error {
			if zatoSearches(user) == searchesBefore {
				return fmt.Errorf("refresh did not ask the super-user search about the deleted user")
			}
			return nil
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps:                    []resource.TestStep{{Config: config, Check: f.expectSets(user, 1)}, step},
		})
	})
}

// zatoSearches counts the super-user searches for a user the Zato emulator received.
func zatoSearches(user string) int {
	n := 0
	for _, r := range testSandbox.Zato.Recorder.Match(http.MethodPost, "/zato/sso/user/search") {
		var body struct {
			UserID string `json:"user_id"`
		}
		if json.Unmarshal(r.Body, &body) == nil && body.UserID == user {
			n++
		}
	}
	return n
}

// TestAccUserPassword_refreshRefused: Zato's E005001 to a refresh, for a
// user that exists, stays an error and the resource stays in state: here
// the provider's super-user lost its rights (the search is refused too,
// also after a fresh login). Once the rights are back, the plan is empty.
func TestAccUserPassword_refreshRefused(t *testing.T) {
	testAccParallel(t, []*accFixture{accZato(t)}, func(t *testing.T, f *accFixture) {
		// A super-user of the test's own: demoting the shared one would fail
		// the tests running alongside.
		name, pw := "tf-admin-"+randomHex(t, 4), "Own-Super-User-"+randomHex(t, 6)
		adminID := testSandbox.Zato.AddUser(zatoemu.User{Username: name, Password: pw, SuperUser: true})
		f.attrs = maps.Clone(f.attrs)
		f.attrs["username"], f.attrs["password"] = name, pw
		registerTestSecret("a test super-user's password", pw)
		user := f.newUser(t)
		config := userPasswordConfig(f, user)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{Config: config, Check: f.expectSets(user, 1)},
				{
					PreConfig:   func() { testSandbox.Zato.SetSuperUser(adminID, false) },
					Config:      config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)Unable To Read User.*E005001.*super-user\s+search.*super-user,\s+neither\s+locked\s+nor\s+expired`),
				},
				{
					PreConfig: func() { testSandbox.Zato.SetSuperUser(adminID, true) },
					Config:    config,
					PlanOnly:  true,
				},
			},
		})
	})
}

// TestAccUserPassword_cliDashPassword: a chosen password starting with "-"
// is set through the zato command, which reads a separate argument
// starting with "-" as an option (argparse) and would refuse the command:
// the provider passes --password=... as one argument.
func TestAccUserPassword_cliDashPassword(t *testing.T) {
	testAccParallel(t, []*accFixture{accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		const pw = "-Dash-First-Choice-8812"
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config:            userPasswordConfig(f, user, hclAttr("password", pw)),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user)))},
				Check:             f.expectIssued(user, 2),
			}},
		})
	})
}

// testAccWrongCredentials signs with a wrong secret: the plan fails with
// the service's error and advice, and without the secret, on the read that
// checks the new resource's user; the refused read is not retried, and no
// reset is asked for.
func testAccWrongCredentials(t *testing.T, f *accFixture, run func(resource.TestCase), provider, want string, secrets map[string]string) {
	user := f.newUser(t)
	run(resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		ErrorCheck:               errorCheckWithoutSecrets(t, regexp.MustCompile(want), secrets),
		Steps: []resource.TestStep{{
			Config: provider + fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user),
		}},
	})
	if n := f.recorder.Count(http.MethodGet, user); n != 1 {
		t.Errorf("expected one refused read of the user (a bad signature is not retried), got %d", n)
	}
	if n := len(f.sets(user)); n != 0 {
		t.Errorf("expected no reset request after the plan failed, got %d", n)
	}
	if n := len(f.issued(user)); n != 0 {
		t.Errorf("the emulator issued %d passwords on a bad signature", n)
	}
}

// TestAccUserPassword_wrongCredentials: a wrong secret in the provider
// block, found at plan.
func TestAccUserPassword_wrongCredentials(t *testing.T) {
	testAccParallel(t, []*accFixture{accHuawei(t)}, func(t *testing.T, f *accFixture) {
		const wrong = "wrongHuaweiSecretKey0000000000000000000099"
		testAccWrongCredentials(t, f, func(c resource.TestCase) { resource.ParallelTest(t, c) },
			f.providerWith(f.settings, f.block("secret_key", wrong)),
			`(?s)Error: Unable To Check User.*APIGW\.0301.*Check\s+access_key,\s+secret_key`,
			map[string]string{"wrong secret key": wrong, "sandbox secret key": huaweiemu.TestSecretKey})
	})
}

// TestAccUserPassword_wrongCredentialsFromEnv: a wrong secret where the
// backend takes it from the environment (FinSpace: the AWS chain). Not
// parallel: it sets the environment.
func TestAccUserPassword_wrongCredentialsFromEnv(t *testing.T) {
	testAccEach(t, []*accFixture{accFinSpace(t)}, func(t *testing.T, f *accFixture) {
		const wrong = "wrong/FinSpace/secret+key/0000000000099"
		t.Setenv("AWS_SECRET_ACCESS_KEY", wrong)
		testAccWrongCredentials(t, f, func(c resource.TestCase) { resource.Test(t, c) }, f.provider(),
			`(?s)Error: Unable To Check User.*InvalidSignatureException.*check\s+the\s+secret\s+access\s+key`,
			map[string]string{"wrong secret access key": wrong, "sandbox secret access key": finspaceemu.TestSecretAccessKey})
	})
}
