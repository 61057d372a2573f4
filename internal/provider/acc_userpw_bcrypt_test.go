package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"golang.org/x/crypto/bcrypt"

	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
)

// TestAccUserPassword_idaasBcrypt imports a bcrypt hash: the PUT carries
// passwordFormat BCRYPT and the hash, with generatePassword, emailPassword
// and returnPassword false; IDaaS then accepts the original password;
// generated_by and password stay null.
func TestAccUserPassword_idaasBcrypt(t *testing.T) {
	user := newIDaaSUser(t)
	const original = "Imported-Secret-42"
	hash, err := bcrypt.GenerateFromPassword([]byte(original), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	config := idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id     = %q
  bcrypt_hash = %q
}
`, user, hash)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.Null()),
					plancheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), knownvalue.Null()),
					plancheck.ExpectSensitiveValue("identity_user_password.test", tfjsonpath.New("bcrypt_hash")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.Null()),
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"), knownvalue.Null()),
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("bcrypt_hash"), knownvalue.StringExact(string(hash))),
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("last_changed_at"), rfc3339Check("last_changed_at", nil)),
			},
			Check: resource.ComposeTestCheckFunc(
				expectIDaaSPuts(t, user, 1),
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
					for _, e := range testSandbox.IDaaS.EmailsSent() {
						if e.UserID == user {
							return fmt.Errorf("an email was sent for a bcrypt import")
						}
					}
					return nil
				},
			),
		}},
	})
}

// TestAccValidation_ocariotBcrypt: a backend without bcrypt import refuses
// bcrypt_hash at plan time, naming the attribute and the backend.
func TestAccValidation_ocariotBcrypt(t *testing.T) {
	testAccPreCheck(t)
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Secret-42"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	const user = "5a62be07de34500146d9c544"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  ocariot {
    url      = %q
    username = %q
    password = %q
  }
}

resource "identity_user_password" "test" {
  user_id     = %q
  bcrypt_hash = %q
}
`, testCAFile, testSandbox.OCARIoTURL, ocariotemu.TestUsername, ocariotemu.TestPassword, user, hash),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Not Supported By OCARIoT.*OCARIoT cannot import a bcrypt hash, so bcrypt_hash cannot be used`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := testSandbox.OCARIoT.Recorder.Count("", user); n != 0 {
				return fmt.Errorf("the refused plan sent %d requests for the user", n)
			}
			return nil
		},
	})
}
