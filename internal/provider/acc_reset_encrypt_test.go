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

	"github.com/identityops/terraform-provider-identity/internal/secretbox"
)

// resetDecryptsToServerPassword checks that a state value is an
// ASCII-armoured age file that each identity decrypts to the password the
// emulator holds as current, without printing either.
func resetDecryptsToServerPassword(desc string, current func() (string, bool), ids ...*age.X25519Identity) knownvalue.Check {
	return stringCheck{desc: desc, fn: func(s string) error {
		if !strings.HasPrefix(s, "-----BEGIN AGE ENCRYPTED FILE-----") {
			return fmt.Errorf("%s is not an ASCII-armoured age file", desc)
		}
		pw, ok := current()
		if !ok {
			return fmt.Errorf("%s: the emulator has no current password", desc)
		}
		if strings.Contains(s, pw) {
			return fmt.Errorf("%s holds the current password in clear text", desc)
		}
		for i, id := range ids {
			got, err := secretbox.Decrypt(s, id)
			if err != nil {
				return fmt.Errorf("%s: identity %d cannot decrypt it: %w", desc, i, err)
			}
			if got != pw {
				return fmt.Errorf("%s: identity %d decrypts it to a password (%d characters) that is not the emulator's current one (%d characters)", desc, i, len(got), len(pw))
			}
		}
		return nil
	}}
}

func TestAccPasswordReset_idaasEncryptTo(t *testing.T) {
	user := newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) }
	id1, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	id2, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	config := func(recipients ...string) string {
		return idaasProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "test" {
  user_id    = %q
  encrypt_to = [%s]
}
`, user, `"`+strings.Join(recipients, `", "`)+`"`)
	}
	// The temporary password, once issued: no attribute in state and
	// nothing in the state JSON may hold it.
	secrets := map[string]string{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				// A bad second recipient fails the plan, naming its index,
				// before any request.
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
						plancheck.ExpectResourceAction("identity_password_reset.test", plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("temporary_password"), knownvalue.Null()),
						plancheck.ExpectUnknownValue("identity_password_reset.test", tfjsonpath.New("encrypted_temporary_password")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("temporary_password"), knownvalue.Null()),
					statecheck.ExpectKnownValue("identity_password_reset.test", tfjsonpath.New("encrypted_temporary_password"),
						resetDecryptsToServerPassword("encrypted_temporary_password", current, id1, id2)),
					// The whole state JSON; Check (which runs first) fills secrets.
					userpwNoSecretInState(secrets),
				},
				Check: resource.ComposeTestCheckFunc(
					expectIDaaSPuts(t, user, 1),
					func(s *terraform.State) error {
						pw, ok := current()
						if !ok {
							return fmt.Errorf("the emulator has no current password")
						}
						secrets["temporary password"] = pw
						return userpwNoSecretInAttributes(secrets)(s)
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
}
