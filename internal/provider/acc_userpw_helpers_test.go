package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/secretbox"
)

// Helpers shared by the acc_userpw_*_test.go files (identity_user_password:
// write-only passwords, encrypt_to, rotation, drift, bcrypt).

// userpwFindSecret returns the name of the first secret found in text, or "".
func userpwFindSecret(text string, secrets map[string]string) string {
	for name, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			return name
		}
	}
	return ""
}

// userpwNoSecretInPlan is a plan check: the whole plan, as `terraform show
// -json` renders it (planned values, prior state, configuration, variables),
// holds none of the secrets.
type userpwNoSecretInPlan map[string]string

var _ plancheck.PlanCheck = userpwNoSecretInPlan(nil)

func (secrets userpwNoSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if len(req.Plan.ResourceChanges) == 0 && req.Plan.PlannedValues == nil {
		resp.Error = fmt.Errorf("the plan is empty: scanning it would prove nothing")
		return
	}
	if name := userpwFindSecret(string(raw), secrets); name != "" {
		resp.Error = fmt.Errorf("the plan JSON (%d bytes) holds the %s", len(raw), name)
	}
}

// userpwNoSecretInState is a state check: the whole state, as `terraform
// show -json` renders it, holds none of the secrets.
type userpwNoSecretInState map[string]string

var _ statecheck.StateCheck = userpwNoSecretInState(nil)

func (secrets userpwNoSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil || len(req.State.Values.RootModule.Resources) == 0 {
		resp.Error = fmt.Errorf("the state holds no resources: scanning it would prove nothing")
		return
	}
	if name := userpwFindSecret(string(raw), secrets); name != "" {
		resp.Error = fmt.Errorf("the state JSON (%d bytes) holds the %s", len(raw), name)
	}
}

// userpwNoSecretInAttributes is a step check walking every flattened
// attribute of every resource in state (terraform.State, the shimmed form).
func userpwNoSecretInAttributes(secrets map[string]string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		n := 0
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				if rs.Primary == nil {
					continue
				}
				for k, v := range rs.Primary.Attributes {
					n++
					if name := userpwFindSecret(v, secrets); name != "" {
						return fmt.Errorf("%s.%s in state holds the %s", addr, k, name)
					}
				}
			}
		}
		if n == 0 {
			return fmt.Errorf("no attributes in state: scanning them would prove nothing")
		}
		return nil
	}
}

// userpwDecryptsToCurrent checks that a state value is an ASCII-armoured
// age file that each identity decrypts to the emulator's current password,
// without printing either.
func userpwDecryptsToCurrent(desc string, current func() (string, bool), ids ...*age.X25519Identity) knownvalue.Check {
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
		if len(ids) == 0 {
			return fmt.Errorf("%s: no identity to decrypt with", desc)
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

// userpwClock is a provider clock running at real time plus an offset that
// a test moves between steps, so that the provider's clock and the
// emulator's (real time) agree when the offset is zero.
type userpwClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *userpwClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *userpwClock) setOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = d
}

// userpwSettle waits until the wall clock has passed `after` by more than
// the drift tolerance plus the second that last_changed_at can lose to
// truncation, so that a change made now is one the provider must detect.
// (The emulator clocks are shared by parallel tests and are not moved.)
func userpwSettle(after time.Time) {
	if d := time.Until(after.Add(driftTolerance + time.Second + 100*time.Millisecond)); d > 0 {
		time.Sleep(d)
	}
}

// testAccServerGeneratedImport is the import round trip of a backend whose
// only mode is generated_by = "server" (FinSpace, Huawei): a password
// Terraform forgot is imported by user id with no change planned and no
// password in state; then the user is deleted outside Terraform and the next
// plan creates the resource again. resets checks the number of passwords the
// emulator issued (one, from the first step, throughout).
func testAccServerGeneratedImport(t *testing.T, providerConfig, user string, resets resource.TestCheckFunc, deleteUser func()) {
	t.Helper()
	config := providerConfig + fmt.Sprintf(`
resource "identity_user_password" "test" {
  user_id = %q
}
`, user)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{Config: config, Check: resets},
			{
				// Terraform forgets the resource (the password stays)...
				Config: providerConfig + `
removed {
  from = identity_user_password.test
  lifecycle {
    destroy = false
  }
}
`,
				Check: resets,
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
				// After import: an empty plan, and no reset.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resets,
			},
			{
				// The user is deleted behind Terraform's back: refresh drops
				// the resource and the plan creates it again.
				PreConfig:          deleteUser,
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

// importedWithoutPassword is the ImportStateCheck of an identity_user_password
// imported by user id: one instance with id userID, whose id and user_id are
// userID, with no password in state and generated_by the backend's default.
// total, when not 0, is the number of instances the check must be given in
// all (other resources of the state come too).
func importedWithoutPassword(userID, generatedBy string, total int) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if total != 0 && len(states) != total {
			return fmt.Errorf("expected %d instances after the import, got %d", total, len(states))
		}
		var imported []*terraform.InstanceState
		for _, st := range states {
			if st.ID == userID {
				imported = append(imported, st)
			}
		}
		if len(imported) != 1 {
			return fmt.Errorf("expected one imported instance with id %s, got %d", userID, len(imported))
		}
		attrs := imported[0].Attributes
		if attrs["id"] != userID || attrs["user_id"] != userID {
			return fmt.Errorf("imported id/user_id = %q/%q, want %q", attrs["id"], attrs["user_id"], userID)
		}
		if attrs["password"] != "" {
			return fmt.Errorf("a password came into state on import")
		}
		if attrs["generated_by"] != generatedBy {
			return fmt.Errorf("imported generated_by = %q, want the backend's default %q", attrs["generated_by"], generatedBy)
		}
		return nil
	}
}
