package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccUserPassword_idaasEncryptTo generates passwords (by IDaaS and by
// the provider) encrypted to two age recipients: each identity decrypts
// encrypted_password to the emulator's current password, password stays
// null in plan and state, and neither password appears anywhere in state.
// A bad recipient fails the plan, naming its index, before any request; a
// change of encrypt_to issues a new password.
func TestAccUserPassword_idaasEncryptTo(t *testing.T) {
	server, prov := newIDaaSUser(t), newIDaaSUser(t)
	current := func(user string) func() (string, bool) {
		return func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	}
	id1, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	id2, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	config := func(recipients ...string) string {
		list := `"` + strings.Join(recipients, `", "`) + `"`
		return idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "server" {
  user_id    = %q
  encrypt_to = [%s]
}

resource "identity_user_password" "provider" {
  user_id      = %q
  generated_by = "provider"
  encrypt_to   = [%s]
  # The sandbox tenant policy wants each of upper, lower and digit.
  generate = { min_upper = 1, min_lower = 1, min_numeric = 1 }
}
`, server, list, prov, list)
	}
	both := config(id1.Recipient().String(), id2.Recipient().String())
	currentSecrets := func() map[string]string {
		out := map[string]string{}
		for name, user := range map[string]string{"server-generated password": server, "provider-generated password": prov} {
			if pw, ok := testSandbox.IDaaS.CurrentPassword(user); ok {
				out[name] = pw
			}
		}
		return out
	}
	// stateSecrets is what the state JSON check looks for; noClearText (a
	// Check, run before the state checks) fills it.
	stateSecrets := userpwNoSecretInState{}
	stateChecks := func(ids ...*age.X25519Identity) []statecheck.StateCheck {
		out := []statecheck.StateCheck{stateSecrets}
		for addr, user := range map[string]string{"identity_user_password.server": server, "identity_user_password.provider": prov} {
			out = append(out,
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("password"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("encrypted_password"), userpwDecryptsToCurrent(addr+".encrypted_password", current(user), ids...)),
			)
		}
		return out
	}
	noClearText := func(s *terraform.State) error {
		secrets := currentSecrets()
		if len(secrets) != 2 {
			return fmt.Errorf("the emulator holds %d of the 2 generated passwords", len(secrets))
		}
		for name, pw := range secrets {
			stateSecrets[name] = pw
		}
		return userpwNoSecretInAttributes(secrets)(s)
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
						if n := testSandbox.IDaaS.Recorder.Count("", user); n != 0 {
							t.Errorf("the refused plan sent %d requests for a user, want 0", n)
						}
					}
				},
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue("identity_user_password.server", tfjsonpath.New("password"), knownvalue.Null()),
						plancheck.ExpectUnknownValue("identity_user_password.server", tfjsonpath.New("encrypted_password")),
						plancheck.ExpectKnownValue("identity_user_password.provider", tfjsonpath.New("password"), knownvalue.Null()),
						plancheck.ExpectUnknownValue("identity_user_password.provider", tfjsonpath.New("encrypted_password")),
					},
					// Nothing changed since: nothing to do.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: stateChecks(id1, id2),
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, server, 1), expectIDaaSPuts(t, prov, 1), noClearText,
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
						plancheck.ExpectUnknownValue("identity_user_password.server", tfjsonpath.New("encrypted_password")),
						plancheck.ExpectKnownValue("identity_user_password.server", tfjsonpath.New("password"), knownvalue.Null()),
					},
				},
				ConfigStateChecks: stateChecks(id2),
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, server, 2), expectIDaaSPuts(t, prov, 2), noClearText,
					func(s *terraform.State) error {
						ct := s.RootModule().Resources["identity_user_password.server"].Primary.Attributes["encrypted_password"]
						if userpwDecryptsToCurrent("encrypted_password", current(server), id1).CheckValue(ct) == nil {
							return fmt.Errorf("the dropped recipient can still decrypt the new password")
						}
						return nil
					},
				),
			},
		},
	})
}
