package provider

// Acceptance tests of identity_password_reset: one function a case, one
// subtest a backend of the fixture table (acc_backends_test.go) that has
// the case.

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

const passwordResetAddr = "identity_password_reset.test"

// passwordResetConfig is the fixture's provider and one
// identity_password_reset for user with the given attribute lines.
func passwordResetConfig(f *accFixture, user string, lines ...string) string {
	body := fmt.Sprintf("  user_id = %q\n", user)
	for _, l := range lines {
		body += "  " + l + "\n"
	}
	return f.provider() + "\nresource \"identity_password_reset\" \"test\" {\n" + body + "}\n"
}

// expectResetLifetime checks that expires_at is reset_at plus the given
// number of days in the state of addr.
func expectResetLifetime(addr string, days int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		times, err := stateTimes(s, addr, "reset_at", "expires_at")
		if err != nil {
			return err
		}
		if d := times[1].Sub(times[0]); d != time.Duration(days)*24*time.Hour {
			return fmt.Errorf("expires_at - reset_at = %s, want %d days", d, days)
		}
		return nil
	}
}

// TestAccPasswordReset_temporaryPassword: a reset hands over a temporary
// password, the one the identity system holds; it is not repeated on a
// later apply; a trigger change resets again, as a new resource with a new
// password. Every backend has the case: where the identity system has no
// reset of its own, the provider sets a password it generates.
func TestAccPasswordReset_temporaryPassword(t *testing.T) {
	t.Parallel()
	const res = passwordResetAddr
	// expect is what a backend brings to the case.
	type expect struct {
		lines             []string
		plan              []plancheck.PlanCheck
		created, replaced []statecheck.StateCheck
		createdCheck      resource.TestCheckFunc
	}
	forceChange := func(v bool) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Bool(v))
	}
	expects := map[string]func(t *testing.T, f *accFixture, user string) expect{
		"idaas": func(t *testing.T, _ *accFixture, user string) expect {
			return expect{
				lines: []string{"valid_for_days = 3"},
				plan:  []plancheck.PlanCheck{forceChange(true)},
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("reset_at"), rfc3339Check("reset_at", nil)),
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), rfc3339Check("expires_at", func(e time.Time) error {
						want := time.Now().Add(72 * time.Hour)
						if d := e.Sub(want); d < -5*time.Minute || d > 5*time.Minute {
							return fmt.Errorf("expires_at %s is not reset time + 3 days (%s)", e, want)
						}
						return nil
					})),
				},
				createdCheck: func(*terraform.State) error {
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
			}
		},
		"finspace": func(_ *testing.T, _ *accFixture, user string) expect {
			sevenDays := statecheck.CompareValuePairs(res, attrAt("reset_at"), res, attrAt("expires_at"), timeOffset{7 * 24 * time.Hour})
			return expect{
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("reset_at"), nearTime("reset_at", finspaceLastResetAt(user))),
					sevenDays,
				},
				createdCheck: expectFinSpaceReset(user, 0),
				replaced:     []statecheck.StateCheck{sevenDays},
			}
		},
		"huawei": func(_ *testing.T, _ *accFixture, user string) expect {
			noExpiry := statecheck.ExpectKnownValue(res, attrAt("expires_at"), knownvalue.Null())
			return expect{
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("reset_at"), rfc3339Check("reset_at", nil)),
					noExpiry,
				},
				createdCheck: expectHuaweiReset(user, 0, "OTP"),
				replaced:     []statecheck.StateCheck{noExpiry},
			}
		},
		// OCARIoT has no reset of its own, no expiry and no must-change flag.
		"ocariot": func(t *testing.T, f *accFixture, user string) expect {
			return expect{
				plan: []plancheck.PlanCheck{plancheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Null())},
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("temporary_password"), defaultPolicy),
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("reset_at"), recentTime("reset_at")),
					statecheck.ExpectKnownValue(res, attrAt("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				},
				createdCheck: allChecks(
					f.expectSentPassword(t, user, 0, res, "temporary_password", ocariotSetWire),
					// The reset's one request, and nothing else for the user.
					f.expectMentions(user, 1),
				),
			}
		},
		// Zato's REST API has no reset: the provider sets a password it
		// generates, with the requested lifetime and (by default) the
		// must-change flag.
		"zato": func(t *testing.T, f *accFixture, user string) expect {
			return expect{
				lines: []string{"valid_for_days = 5"},
				plan:  []plancheck.PlanCheck{forceChange(true)},
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("temporary_password"), defaultPolicy),
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(res, attrAt("reset_at"), zatoEmuTime("reset_at", user, zatoLastSet)),
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), zatoEmuTime("expires_at", user, zatoExpiry)),
				},
				createdCheck: allChecks(
					f.expectSentPassword(t, user, 0, res, "temporary_password", zatoPasswordWire(5)),
					expectZatoMustChange(t, user, 1),
					expectResetLifetime(res, 5),
					func(*terraform.State) error {
						if u, _ := testSandbox.Zato.GetUser(user); !u.MustChange {
							return fmt.Errorf("the emulator does not hold the must-change flag after the reset")
						}
						return nil
					},
				),
			}
		},
		// The CLI resets with reset-user-password, with the must-change flag,
		// and reads the printed password. It takes no lifetime (the zato
		// command's --expiry fails on every Zato 3.x): the server's default
		// applies, which the command does not print, so expires_at is null.
		"zato_cli": func(t *testing.T, f *accFixture, user string) expect {
			return expect{
				lines: []string{"force_change_on_next_login = true"},
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("force_change_on_next_login"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), knownvalue.Null()),
				},
				createdCheck: func(s *terraform.State) error {
					u := zatoCLIUser(t, f.serverPath, user)
					if !u.MustChange {
						return fmt.Errorf("the fake server does not hold the must-change flag after the reset")
					}
					if u.Expiry != u.LastSet.AddDate(0, 0, zatoemu.DefaultPasswordExpiryDays) {
						return fmt.Errorf("the fake server's expiry %s is not its last_set %s + the default", u.Expiry, u.LastSet)
					}
					times, err := stateTimes(s, res, "reset_at")
					if err != nil {
						return err
					}
					if d := times[0].Sub(u.LastSet); d < -2*time.Second || d > time.Minute {
						return fmt.Errorf("reset_at %s is not the fake server's last_set %s", times[0], u.LastSet)
					}
					return nil
				},
			}
		},
	}
	testAccEach(t, accBackends(t), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		ex := expects[f.name](t, f, user)
		config := func(trigger string) string {
			return passwordResetConfig(f, user, append(ex.lines, fmt.Sprintf("triggers = { n = %q }", trigger))...)
		}
		matches := statecheck.ExpectKnownValue(res, attrAt("temporary_password"), matchesServerPassword("temporary_password", f.currentOf(user)))
		ids := valuesDiffer()
		passwords := valuesDiffer()
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: triggerSteps(config, f.changesOf(user),
				resource.TestStep{
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: append([]plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
							plancheck.ExpectSensitiveValue(res, attrAt("temporary_password")),
						}, ex.plan...),
					},
					ConfigStateChecks: append([]statecheck.StateCheck{
						matches,
						statecheck.ExpectKnownValue(res, attrAt("send_email"), knownvalue.Bool(false)),
						ids.AddStateValue(res, attrAt("id")),
						passwords.AddStateValue(res, attrAt("temporary_password")),
					}, ex.created...),
					Check: ex.createdCheck,
				},
				// A trigger change resets again: a new resource, a new password.
				resource.TestStep{
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionReplace)},
					},
					ConfigStateChecks: append([]statecheck.StateCheck{
						matches,
						ids.AddStateValue(res, attrAt("id")),
						passwords.AddStateValue(res, attrAt("temporary_password")),
					}, ex.replaced...),
				}),
		})
	})
}

// TestAccPasswordReset_sendEmail: with send_email the identity system
// emails the user, and no password comes into state. Every backend that
// can email a reset has the case.
func TestAccPasswordReset_sendEmail(t *testing.T) {
	t.Parallel()
	const res = passwordResetAddr
	fixtures := accBackendsWith(t, func(c backend.Capabilities) bool { return c.EmailReset })
	// expect is what a backend brings to the case.
	type expect struct {
		created []statecheck.StateCheck
		check   resource.TestCheckFunc
	}
	expects := map[string]func(t *testing.T, f *accFixture, user string) expect{
		"idaas": func(t *testing.T, _ *accFixture, user string) expect {
			return expect{check: func(*terraform.State) error {
				puts := idaasPuts(t, user)
				if len(puts) != 1 || puts[0]["emailPassword"] != true || puts[0]["returnPassword"] != false {
					return fmt.Errorf("expected one PUT with emailPassword true and returnPassword false, got %v", len(puts))
				}
				if idaasEmailed(user, "") == 0 {
					return fmt.Errorf("the emulator recorded no email to the user")
				}
				return nil
			}}
		},
		"huawei": func(_ *testing.T, f *accFixture, user string) expect {
			return expect{
				created: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("reset_at"), rfc3339Check("reset_at", nil)),
					statecheck.ExpectKnownValue(res, attrAt("expires_at"), knownvalue.Null()),
				},
				check: allChecks(f.expectSets(user, 1), expectHuaweiReset(user, 0, "EMAIL"), func(*terraform.State) error {
					if n := len(f.issued(user)); n != 0 {
						return fmt.Errorf("an EMAIL reset issued %d one-time passwords", n)
					}
					n := 0
					for _, id := range testSandbox.Huawei.EmailsSent() {
						if id == user {
							n++
						}
					}
					if n != 1 {
						return fmt.Errorf("the emulator recorded %d reset emails to the user, want 1", n)
					}
					return nil
				}),
			}
		},
	}
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		ex := expects[f.name](t, f, user)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: passwordResetConfig(f, user, "send_email = true"),
				ConfigStateChecks: append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, attrAt("temporary_password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, attrAt("send_email"), knownvalue.Bool(true)),
				}, ex.created...),
				Check: ex.check,
			}},
		})
	})
}

// TestAccPasswordReset_encryptTo: a bad recipient fails the plan, naming
// its index, before any request; then the temporary password is encrypted
// to two recipients, each of which decrypts it, and no attribute in state
// and nothing in the state JSON holds it.
func TestAccPasswordReset_encryptTo(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		ids := ageIdentities(t, 2)
		id1, id2 := ids[0], ids[1]
		config := func(recipients ...string) string {
			return passwordResetConfig(f, user, "encrypt_to = "+hclList(recipients...))
		}
		// The temporary password, once issued.
		secrets := map[string]string{}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				{
					Config:      config(id1.Recipient().String(), "age1notarecipient"),
					ExpectError: regexp.MustCompile(`Element 1 of encrypt_to is not an age recipient`),
				},
				{
					PreConfig: func() {
						if n := len(idaasPuts(t, user)); n != 0 {
							t.Errorf("the refused plan sent %d password PUTs for the user, want 0", n)
						}
					},
					Config: config(id1.Recipient().String(), id2.Recipient().String()),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(passwordResetAddr, plancheck.ResourceActionCreate),
							plancheck.ExpectKnownValue(passwordResetAddr, attrAt("temporary_password"), knownvalue.Null()),
							plancheck.ExpectUnknownValue(passwordResetAddr, attrAt("encrypted_temporary_password")),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(passwordResetAddr, attrAt("temporary_password"), knownvalue.Null()),
						statecheck.ExpectKnownValue(passwordResetAddr, attrAt("encrypted_temporary_password"),
							decryptsToCurrent("encrypted_temporary_password", f.currentOf(user), id1, id2)),
						// The whole state JSON; Check (which runs first) fills secrets.
						noSecretInState(secrets),
					},
					Check: allChecks(
						f.expectSets(user, 1),
						func(s *terraform.State) error {
							pw, ok := f.current(user)
							if !ok {
								return fmt.Errorf("the emulator has no current password")
							}
							secrets["temporary password"] = pw
							return noSecretInAttributes(secrets)(s)
						},
						func(*terraform.State) error {
							body := idaasPuts(t, user)[0]
							if body["generatePassword"] != true || body["returnPassword"] != true {
								return fmt.Errorf("reset PUT generatePassword = %v, returnPassword = %v, want true, true", body["generatePassword"], body["returnPassword"])
							}
							return nil
						},
					),
				},
			},
		})
	})
}

// TestAccPasswordReset_resetWhenExpired moves the provider's clock: a reset
// with reset_when_expired is dropped at refresh once expired and made
// again; one without it stays.
func TestAccPasswordReset_resetWhenExpired(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		renewed, kept := f.newUser(t), f.newUser(t)
		start := time.Now().UTC().Truncate(time.Second)
		clock := &emu.Clock{}
		clock.Set(start)
		config := f.provider() + fmt.Sprintf(`
resource "identity_password_reset" "renewed" {
  user_id            = %q
  valid_for_days     = 1
  reset_when_expired = true
}

resource "identity_password_reset" "kept" {
  user_id        = %q
  valid_for_days = 1
}
`, renewed, kept)
		expiresAt := func(addr string, want time.Time) statecheck.StateCheck {
			return statecheck.ExpectKnownValue(addr, attrAt("expires_at"), knownvalue.StringExact(want.Format(time.RFC3339)))
		}
		const ren, kep = "identity_password_reset.renewed", "identity_password_reset.kept"
		passwords := valuesDiffer()
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(clock.Now),
			Steps: []resource.TestStep{
				{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(ren, attrAt("reset_when_expired"), knownvalue.Bool(true)),
						statecheck.ExpectKnownValue(kep, attrAt("reset_when_expired"), knownvalue.Bool(false)),
						// The expiry is reckoned from the provider's clock.
						expiresAt(ren, start.Add(24*time.Hour)),
						expiresAt(kep, start.Add(24*time.Hour)),
						passwords.AddStateValue(ren, attrAt("temporary_password")),
					},
					Check: allChecks(f.expectSets(renewed, 1), f.expectSets(kept, 1)),
				},
				{
					// Half-way through the lifetime: nothing to do.
					PreConfig: func() { clock.Set(start.Add(12 * time.Hour)) },
					Config:    config,
					PlanOnly:  true,
				},
				{
					// Past the expiry: refresh drops the reset with
					// reset_when_expired, so the plan creates it again; the
					// other stays.
					PreConfig: func() { clock.Set(start.Add(48 * time.Hour)) },
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(ren, plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction(kep, plancheck.ResourceActionNoop),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(ren, attrAt("temporary_password"), matchesServerPassword("temporary_password", f.currentOf(renewed))),
						expiresAt(ren, start.Add(72*time.Hour)),
						expiresAt(kep, start.Add(24*time.Hour)),
						passwords.AddStateValue(ren, attrAt("temporary_password")),
					},
					Check: allChecks(f.expectSets(renewed, 2), f.expectSets(kept, 1)),
				},
			},
		})
	})
}

// TestAccPasswordReset_unsupported: each attribute a backend cannot honour
// fails at plan, naming the attribute and the backend, and nothing reaches
// the identity system. OCARIoT's and Zato's cases set several at once: the
// errors come together, in the order the provider checks them, which is
// also their order in the file. Those two count every request their
// emulator receives (a login too), so they do not run in parallel.
func TestAccPasswordReset_unsupported(t *testing.T) {
	testAccPreCheck(t)
	reset := func(lines string) string {
		return "resource \"identity_password_reset\" \"test\" {\n" + lines + "}\n"
	}
	// Entrust IDaaS honours every attribute of identity_password_reset.
	testAccEach(t, []*accFixture{accFinSpace(t), accHuawei(t), accOCARIoT(t), accZato(t), accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		switch f.name {
		case "finspace":
			testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_password_reset", [][2]string{
				{"valid_for_days", "valid_for_days = 3"}, {"send_email", "send_email = true"},
				{"force_change_on_next_login", "force_change_on_next_login = true"},
			}))
		case "huawei":
			testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_password_reset", [][2]string{
				{"valid_for_days", "valid_for_days = 3"}, {"force_change_on_next_login", "force_change_on_next_login = true"},
			}))
		case "ocariot":
			user := newOCARIoTID(t)
			testAccRefusedAtPlan(t, f, true, []planRefusal{{
				name: "reset attributes", user: user,
				config: reset(fmt.Sprintf("  user_id                    = %q\n  send_email                 = true\n"+
					"  valid_for_days             = 3\n  force_change_on_next_login = true\n", user)),
				want: `(?s)` + notSupported(f, "send_email") + `.*?` + notSupported(f, "valid_for_days") + `.*?` + notSupported(f, "force_change_on_next_login"),
			}})
		case "zato":
			user := "zusr" + randomHex(t, 12)
			testAccRefusedAtPlan(t, f, true, []planRefusal{{
				name: "reset send_email", user: user,
				config: reset(fmt.Sprintf("  user_id    = %q\n  send_email = true\n", user)),
				want:   `(?s)` + notSupported(f, "send_email"),
			}})
		case "zato_cli":
			testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_password_reset", [][2]string{{"send_email", "send_email = true"}}))
		}
	})
}

// TestAccPasswordReset_cliExpiry: valid_for_days with the Zato CLI
// transport is refused at plan with the reason (the zato command's --expiry
// fails with a TypeError on every Zato 3.x: zato-cli sso.py:334 declares it
// without a type) and what to do (the REST transport); the command never
// runs, so the user keeps its one password.
func TestAccPasswordReset_cliExpiry(t *testing.T) {
	testAccParallel(t, []*accFixture{accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_password_reset", [][2]string{
			{"valid_for_days", "valid_for_days = 5"},
		}, cliExpiryAdvice))
	})
}

// TestAccPasswordReset_badInput: bad input refused at plan (see testAccBadInput).
func TestAccPasswordReset_badInput(t *testing.T) {
	idaas, huawei := accIDaaS(t), accHuawei(t)
	testAccBadInput(t, []badInputCase{
		{name: "huawei reset user_id with ../", config: biProvider(huawei, huawei.block()) + biReset(`user_id = "../x"`),
			summary: "Invalid User ID", attr: "user_id", detail: "cannot be part of"},
		{name: "idaas negative valid_for_days", config: biProvider(idaas, idaas.block()) + biReset(hclAttr("user_id", biIDaaSUser), "valid_for_days = -7"),
			summary: "Invalid Attribute Value", attr: "valid_for_days", detail: "Attribute valid_for_days value must be between 1 and 3650, got: -7"},
	}, "")
}
