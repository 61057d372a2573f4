package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccUserPassword_idaasWriteOnly sets a password_wo from an ephemeral,
// sensitive variable and proves that it reaches IDaaS and nothing else: not
// the plan JSON, not the state (JSON and flattened attributes), not the
// TRACE log of Terraform and the provider. A new value without a new
// password_wo_version sends nothing; a new version sends it. A plain
// password beside it draws the plan warning that points at password_wo.
func TestAccUserPassword_idaasWriteOnly(t *testing.T) {
	user, plainUser := newIDaaSUser(t), newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	log := traceLog(t)
	const pw1, pw2, plain = "WriteOnly-Passw0rd-One!", "WriteOnly-Passw0rd-Two!", "Plain-Chosen-Passw0rd!"
	t.Setenv("TF_VAR_wo_password", pw1)
	t.Setenv("TF_VAR_plain_password", plain)
	provider := idaasProviderConfigFromEnv(t)
	config := func(version string) string {
		return provider + fmt.Sprintf(`
variable "wo_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "plain_password" {
  type      = string
  sensitive = true
}

resource "identity_user_password" "test" {
  user_id             = %q
  password_wo         = var.wo_password
  password_wo_version = %q
}

resource "identity_user_password" "plain" {
  user_id  = %q
  password = var.plain_password
}
`, user, version, plainUser)
	}
	woSecrets := map[string]string{"first password_wo": pw1, "second password_wo": pw2}
	nullAt := func(attr string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New(attr), knownvalue.Null())
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
			if pw, ok := current(); !ok || pw != want {
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
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password_wo"), knownvalue.Null()),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), knownvalue.Null()),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.Null()),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password_wo_version"), knownvalue.StringExact("1")),
						userpwNoSecretInPlan(woSecrets),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					nullAt("password"), nullAt("password_wo"), nullAt("generated_by"), nullAt("encrypted_password"),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password_wo_version"), knownvalue.StringExact("1")),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("last_changed_at"), rfc3339Check("last_changed_at", nil)),
					userpwNoSecretInState(woSecrets),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 1), putBody(0, pw1), isCurrent(pw1),
					userpwNoSecretInAttributes(woSecrets),
				),
			},
			{
				// A new value under the same version: Terraform cannot see
				// it, and the provider sends nothing.
				PreConfig: func() { t.Setenv("TF_VAR_wo_password", pw2) },
				Config:    config("1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(expectIDaaSPuts(t, user, 1), isCurrent(pw1)),
			},
			{
				// A new version: one PUT with the new value, still nothing in plan or state.
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_user_password.test", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("identity_user_password.plain", plancheck.ResourceActionNoop),
						plancheck.ExpectUnknownValue("identity_user_password.test", tfjsonpath.New("last_changed_at")),
						plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), knownvalue.Null()),
						userpwNoSecretInPlan(woSecrets),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					nullAt("password"), nullAt("password_wo"),
					statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password_wo_version"), knownvalue.StringExact("2")),
					userpwNoSecretInState(woSecrets),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 2), putBody(1, pw2), isCurrent(pw2),
					userpwNoSecretInAttributes(woSecrets),
				),
			},
		},
	})
	scanForSecrets(t, log, woSecrets)

	// The plain password drew the warning that points at password_wo, on
	// the resource; the in-process provider server logs each diagnostic it
	// returns.
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "Response contains warning diagnostic") && strings.Contains(line, "Password Stored In Plan And State") {
			warned = true
			// Not on the attribute: Terraform would print its source line,
			// a literal password included, under the warning.
			if strings.Contains(line, "diagnostic_attribute=") || !strings.Contains(line, "password_wo") {
				t.Errorf("the plain-password warning points at an attribute or does not name password_wo: %.300s", line)
			}
		}
	}
	if !warned {
		t.Error("no plan warning about the plain password was logged")
	}
}
