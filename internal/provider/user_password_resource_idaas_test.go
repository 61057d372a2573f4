package provider

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// newIDaaSUser adds a fresh user to the IDaaS emulator and returns its UUID,
// so that parallel tests never share a user.
func newIDaaSUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	id := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	login := "user-" + id[:8]
	testSandbox.IDaaS.AddUser(idaasemu.User{ID: id, UserID: login, Email: login + "@example.com", State: "ACTIVE"})
	return id
}

// idaasPuts returns the decoded bodies of the password PUTs for a user.
func idaasPuts(t *testing.T, userID string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range testSandbox.IDaaS.Recorder.Match("PUT", "/users/"+userID+"/passwords") {
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("recorded PUT body is not JSON: %v", err)
		}
		out = append(out, body)
	}
	return out
}

// expectIDaaSPuts is a step check on the number of password PUTs so far.
func expectIDaaSPuts(t *testing.T, userID string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(idaasPuts(t, userID)); got != n {
			return fmt.Errorf("expected %d password PUTs for user %s so far, the emulator recorded %d", n, userID, got)
		}
		return nil
	}
}

func TestAccUserPassword_idaasServerGenerated(t *testing.T) {
	user := newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	config := func(trigger string) string {
		return idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id  = %q
  triggers = { rotation = %q }
}
`, user, trigger)
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue("identity_user_password.test", tfjsonpath.New("password")),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
						plancheck.ExpectSensitiveValue("identity_user_password.test", tfjsonpath.New("password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("id"), knownvalue.StringExact(user)),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("last_changed_at"), rfc3339Check("last_changed_at", nil)),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("expires_at"), rfc3339Check("expires_at", func(e time.Time) error {
						if !e.After(time.Now()) {
							return fmt.Errorf("expires_at %s is not in the future", e)
						}
						return nil
					})),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("expiry_notification_at"), rfc3339Check("expiry_notification_at", nil)),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("notify_user"), knownvalue.Bool(false)),
					passwords.AddStateValue("identity_user_password.test", tfjsonpath.New("password")),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 1),
					func(*terraform.State) error {
						body := idaasPuts(t, user)[0]
						for k, want := range map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false} {
							if body[k] != want {
								return fmt.Errorf("PUT body %s = %v, want %v (sent explicitly)", k, body[k], want)
							}
						}
						if _, ok := body["password"]; ok {
							return fmt.Errorf("PUT body carries a password although the server generates it")
						}
						if n := len(testSandbox.IDaaS.EmailsSent()); n > 0 {
							for _, e := range testSandbox.IDaaS.EmailsSent() {
								if e.UserID == user {
									return fmt.Errorf("an email was sent to the user although notify_user is false")
								}
							}
						}
						return nil
					},
				),
			},
			{
				// The same configuration again: nothing to do, no password-changing request.
				Config: config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectIDaaSPuts(t, user, 1),
			},
			{
				// A trigger change issues a new password in place.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue("identity_user_password.test", tfjsonpath.New("password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
					passwords.AddStateValue("identity_user_password.test", tfjsonpath.New("password")),
				},
				Check: expectIDaaSPuts(t, user, 2),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			// Destroy leaves the password in place and sends nothing.
			if _, ok := current(); !ok {
				return fmt.Errorf("the password was removed at destroy")
			}
			if got := len(idaasPuts(t, user)); got != 2 {
				return fmt.Errorf("destroy sent password PUTs: %d in all", got)
			}
			if n := testSandbox.IDaaS.Recorder.Count("DELETE", user); n != 0 {
				return fmt.Errorf("destroy sent %d DELETE requests", n)
			}
			return nil
		},
	})
}

func TestAccUserPassword_idaasChosen(t *testing.T) {
	user := newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	expiry := time.Now().Add(60 * 24 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
	config := func(pw string, notify bool) string {
		return idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id                    = %q
  password                   = %q
  force_change_on_next_login = true
  expires_at                 = %q
  notify_user                = %t
}
`, user, pw, expiry, notify)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config("Chosen-Passw0rd-One!", false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.Null()),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("expires_at"), knownvalue.StringExact(expiry)),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("force_change_on_next_login"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 1),
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
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("last_changed_at"), knownvalue.NotNull()),
					},
				},
				Check: expectIDaaSPuts(t, user, 1),
			},
			{
				// A new chosen password is set in place, and emailed as asked.
				Config: config("Chosen-Passw0rd-Two!", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 2),
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
}

func TestAccUserPassword_idaasProviderGenerated(t *testing.T) {
	user := newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id      = %q
  generated_by = "provider"
  generate = {
    length           = 24
    min_upper        = 2
    min_lower        = 2
    min_special      = 3
    min_numeric      = 2
    override_special = "#%%+"
  }
}
`, user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), matchesServerPassword("password", current)),
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), stringCheck{desc: "policy", fn: func(s string) error {
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
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.StringExact("provider")),
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
}

func TestAccUserPassword_idaasImport(t *testing.T) {
	user := newIDaaSUser(t)
	config := idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{Config: config, Check: expectIDaaSPuts(t, user, 1)},
			{
				// Terraform forgets the resource (the password stays in place)...
				Config: idaasProviderConfig() + `
removed {
  from = identity_user_password.test
  lifecycle {
    destroy = false
  }
}
`,
				Check: expectIDaaSPuts(t, user, 1),
			},
			{
				// ...and imports it again by user id.
				Config:             config,
				ResourceName:       "identity_user_password.test",
				ImportState:        true,
				ImportStateId:      user,
				ImportStatePersist: true,
				ImportStateCheck:   importedWithoutPassword(user, "server", 1),
			},
			{
				// After import: an empty plan, and no password-changing request.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: expectIDaaSPuts(t, user, 1),
			},
		},
	})
}

func TestAccUserPassword_idaasUserDeletedOutside(t *testing.T) {
	user := newIDaaSUser(t)
	config := idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The user is deleted behind Terraform's back: refresh drops the
				// resource from state and the plan creates it again.
				PreConfig:          func() { testSandbox.IDaaS.DeleteUser(user) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionCreate),
					},
				},
			},
		},
	})
}
