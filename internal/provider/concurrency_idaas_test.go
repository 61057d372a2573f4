package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccUserPassword_idaasOneAuthentication applies 20 resources at
// Terraform's default -parallelism=10: the provider process authenticates
// once and every password request carries that one token.
func TestAccUserPassword_idaasOneAuthentication(t *testing.T) {
	testAccPreCheck(t)
	users := make([]string, 20)
	for i := range users {
		users[i] = fmt.Sprintf("%q", newIDaaSUser(t))
	}
	var authBefore int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			PreConfig: func() { authBefore = testSandbox.IDaaS.Authentications() },
			Config: idaasProviderConfig() + fmt.Sprintf(`
locals {
  users = [%s]
}

resource "identity_user_password" "many" {
  count   = length(local.users)
  user_id = local.users[count.index]
}
`, strings.Join(users, ", ")),
			Check: func(*terraform.State) error {
				// Only the apply has talked to the emulator by now: the plan
				// before it had nothing to refresh and makes no request.
				if n := testSandbox.IDaaS.Authentications() - authBefore; n != 1 {
					return fmt.Errorf("20 resources authenticated %d times, want exactly 1", n)
				}
				tokens := map[string]bool{}
				for _, u := range users {
					id := strings.Trim(u, `"`)
					reqs := testSandbox.IDaaS.Recorder.Match("PUT", "/users/"+id+"/passwords")
					if len(reqs) != 1 {
						return fmt.Errorf("user %s: %d password PUTs, want 1", id, len(reqs))
					}
					tokens[reqs[0].Header.Get("Authorization")] = true
				}
				if len(tokens) != 1 {
					return fmt.Errorf("the 20 password PUTs carried %d different tokens, want 1", len(tokens))
				}
				return nil
			},
		}},
	})
}
