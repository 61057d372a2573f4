package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/crypto/bcrypt"
)

// TestAccValidation_idaasUserPasswordPlanTime: each misuse of password_wo,
// encrypt_to, rotation_days and bcrypt_hash fails the plan with an error
// naming the attribute, before any request for the user.
func TestAccValidation_idaasUserPasswordPlanTime(t *testing.T) {
	user := newIDaaSUser(t)
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Secret-42"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	const wo = "password_wo = \"WriteOnly-Passw0rd-One!\"\n  password_wo_version = \"1\""
	bc := fmt.Sprintf("bcrypt_hash = %q", hash)
	conflict := func(a, b string) string {
		return `(?s)Invalid Attribute Combination.*Attribute "` + a + `" cannot be specified when "` + b + `" is\s+specified`
	}
	var steps []resource.TestStep
	for _, tc := range []struct{ body, want string }{
		{`password_wo = "WriteOnly-Passw0rd-One!"`, `(?s)Missing Password Version.*password_wo is set, so password_wo_version is\s+required`},
		{`password_wo_version = "1"`, `Password Version Without Password`},
		{wo + "\n  password = \"Chosen-Passw0rd-One!\"", conflict("password", "password_wo")},
		{wo + "\n  generated_by = \"server\"", conflict("generated_by", "password_wo")},
		{`generated_by = "server"` + "\n  password = \"Chosen-Passw0rd-One!\"", conflict("password", "generated_by")},
		{wo + "\n  encrypt_to = [\"age1notchecked\"]", conflict("password_wo", "encrypt_to")},
		{`encrypt_to = []`, `(?s)encrypt_to list must contain at least 1 elements`},
		{`rotation_days = 30` + "\n  password = \"Chosen-Passw0rd-One!\"", conflict("password", "rotation_days")},
		{`rotation_days = 0`, `(?s)rotation_days value must be at least 1`},
		{bc + "\n  notify_user = true", `(?s)notify_user must be false with bcrypt_hash`},
		{bc + "\n  generate = { length = 40 }", conflict("generate", "bcrypt_hash")},
		{bc + "\n  rotation_days = 30", conflict("rotation_days", "bcrypt_hash")},
		{`bcrypt_hash = "$2a$10$tooshort"`, `(?s)Invalid Bcrypt Hash.*it has 15 characters`},
	} {
		steps = append(steps, resource.TestStep{
			Config: idaasProviderConfig() + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
  %s
}
`, user, tc.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			if n := testSandbox.IDaaS.Recorder.Count("", user); n != 0 {
				return fmt.Errorf("invalid configurations sent %d requests for the user", n)
			}
			return nil
		},
	})
}
