package provider

import (
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/identityops/terraform-provider-identity/internal/secretbox/secretboxtest"
)

// sshRecipient is secretboxtest.SSHKey.
var sshRecipient = secretboxtest.SSHKey

// TestAccUserPassword_encryptToSSH: encrypt_to takes SSH public keys
// (ssh-ed25519, ssh-rsa of 2048 bits or more) beside age1... recipients,
// and each SSH private key decrypts encrypted_password (and the reset's
// encrypted_temporary_password) to the password the emulator holds. An RSA
// key under 2048 bits, an unknown key type and an SSH key mixed with a
// post-quantum recipient fail the plan, scoped to the element or the list,
// before any request. (That the provider's message does not quote the key
// is a unit test: Terraform prints the configuration line under the error.)
func TestAccUserPassword_encryptToSSH(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		ed, edID := sshRecipient(t, "ed25519", 0)
		rsaKey, rsaID := sshRecipient(t, "rsa", 2048)
		shortRSA, _ := sshRecipient(t, "rsa", 1024)
		x := ageIdentities(t, 1)[0]
		pq, err := age.GenerateHybridIdentity()
		if err != nil {
			t.Fatal(err)
		}
		config := func(recipients ...string) string {
			return userPasswordConfig(f, user, "encrypt_to = "+hclList(recipients...))
		}
		refused := func(want string, recipients ...string) resource.TestStep {
			return resource.TestStep{
				Config:      config(recipients...),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(strings.ReplaceAll(want, " ", `\s+`)),
			}
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{
				refused(`Element 1 of encrypt_to is an ssh-rsa key of 1024 bits: age needs at least 2048`, ed, shortRSA),
				refused(`Incompatible Age Recipients`, ed, pq.Recipient().String()),
				refused(`Element 0 of encrypt_to is not an SSH public key`, "ssh-ed25519 AAAAnotbase64 ops@bastion.example"),
				{
					PreConfig: func() {
						if n := f.recorder.Count("", user); n != 0 {
							t.Errorf("the refused plans sent %d requests for the user, want 0", n)
						}
					},
					Config: config(ed, rsaKey, x.Recipient().String()),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectUnknownValue(userPasswordAddr, attrAt("encrypted_password")),
							plancheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), knownvalue.Null()),
						statecheck.ExpectKnownValue(userPasswordAddr, attrAt("encrypted_password"),
							decryptsToCurrent("encrypted_password", f.currentOf(user), edID, rsaID, age.Identity(x))),
					},
					Check: f.expectSets(user, 1),
				},
			},
		})
	})
}
