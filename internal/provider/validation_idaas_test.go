package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccValidation_planTime runs one configuration per rule: each must fail
// at plan with an error on the right attribute, and none may send a request.
func TestAccValidation_planTime(t *testing.T) {
	testAccPreCheck(t)
	unknownUser := "0000aaaa-0000-4000-8000-0000000f00d0"
	resourceWith := func(body string) string {
		return idaasProviderConfig() + "\nresource \"identity_user_password\" \"test\" {\n" + body + "\n}\n"
	}
	withProvider := func(providerBody string) string {
		return fmt.Sprintf("provider \"identity\" {\n%s\n}\n\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", providerBody, unknownUser)
	}
	cases := []struct {
		name, config string
		want         string
	}{
		{"empty user_id", resourceWith(`user_id = ""`), `(?s)user_id.*must not be empty`},
		{"blank user_id", resourceWith(`user_id = "   "`), `(?s)user_id.*must not be empty or blank`},
		{"control character in user_id", resourceWith(`user_id = "a\tb"`), `(?s)user_id.*control characters`},
		{"user_id not a UUID", resourceWith(`user_id = "jdoe"`), `(?s)Invalid User ID.*UUID`},
		{"user_id with path traversal", resourceWith(`user_id = "../../adminapi/authenticate"`), `(?s)Invalid User ID`},
		{"length below the sum of minimums", resourceWith(fmt.Sprintf(`user_id = %q
generated_by = "provider"
generate = { length = 5, min_upper = 2, min_numeric = 2, min_special = 2 }`, unknownUser)), `(?s)generate.length.*less than the sum`},
		{"no character class", resourceWith(fmt.Sprintf(`user_id = %q
generate = { upper = false, lower = false, numeric = false, special = false }`, unknownUser)), `(?s)Invalid Password Policy`},
		{"password with generate", resourceWith(fmt.Sprintf(`user_id = %q
password = "Passw0rd-Chosen!"
generate = { length = 20 }`, unknownUser)), `(?s)Invalid Attribute Combination.*password`},
		{"unknown generated_by value", resourceWith(fmt.Sprintf(`user_id = %q
generated_by = "nobody"`, unknownUser)), `(?s)generated_by.*value must be one of`},
		{"expires_at not RFC 3339", resourceWith(fmt.Sprintf(`user_id = %q
password = "Passw0rd-Chosen!"
expires_at = "tomorrow"`, unknownUser)), `(?s)expires_at.*RFC 3339`},
		{"empty password", resourceWith(fmt.Sprintf(`user_id = %q
password = ""`, unknownUser)), `(?s)password.*length`},
		{"request_timeout not a duration", withProvider(`request_timeout = "soon"
entrust_idaas {}`), `(?s)request_timeout.*Go duration`},
		{"negative requests_per_second", withProvider(`requests_per_second = -1
entrust_idaas {}`), `(?s)requests_per_second.*zero or more`},
		{"bad CA PEM", withProvider(`ca_certificate_pem = "not a certificate"
entrust_idaas {}`), `(?s)ca_certificate_pem.*PEM`},
		{"no backend block", withProvider(``), `(?s)entrust_idaas`},
		{"missing credentials", withProvider(`entrust_idaas {}`), `(?s)Missing Provider Setting.*ENTRUST_IDAAS_URL`},
		{"plain http to a remote host", withProvider(`entrust_idaas {
  url            = "http://acme.us.trustedauth.com"
  application_id = "app"
  shared_secret  = "secret-value"
}`), `(?s)plain http:// is refused`},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			before := len(testSandbox.IDaaS.Recorder.Requests())
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(nil),
				Steps: []resource.TestStep{{
					Config:      tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			// Checked after the test case: CheckDestroy does not run when
			// nothing reached state. Serial test, so nothing else sends.
			if n := len(testSandbox.IDaaS.Recorder.Requests()) - before; n != 0 {
				t.Errorf("an invalid configuration sent %d requests", n)
			}
		})
	}
}
