package provider

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// resetTestClock is a provider clock that a test moves between steps.
type resetTestClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *resetTestClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *resetTestClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func TestAccPasswordReset_idaasResetWhenExpired(t *testing.T) {
	renewed, kept := newIDaaSUser(t), newIDaaSUser(t)
	current := func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(renewed) }
	start := time.Now().UTC().Truncate(time.Second)
	clock := &resetTestClock{t: start}
	config := idaasProviderConfig() + fmt.Sprintf(`
resource "identity_password_reset" "renewed" {
  user_id            = %q
  valid_for_days     = 1
  reset_when_expired = true
}

resource "identity_password_reset" "kept" {
  user_id        = %q
  valid_for_days = 1
}
`, renewed, kept)
	expiresAt := func(want time.Time) knownvalue.Check {
		return knownvalue.StringExact(want.Format(time.RFC3339))
	}
	passwords := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(clock.now),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_password_reset.renewed", tfjsonpath.New("reset_when_expired"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("identity_password_reset.kept", tfjsonpath.New("reset_when_expired"), knownvalue.Bool(false)),
					// The expiry is reckoned from the provider's clock.
					statecheck.ExpectKnownValue("identity_password_reset.renewed", tfjsonpath.New("expires_at"), expiresAt(start.Add(24*time.Hour))),
					statecheck.ExpectKnownValue("identity_password_reset.kept", tfjsonpath.New("expires_at"), expiresAt(start.Add(24*time.Hour))),
					passwords.AddStateValue("identity_password_reset.renewed", tfjsonpath.New("temporary_password")),
				},
				Check: resource.ComposeTestCheckFunc(expectIDaaSPuts(t, renewed, 1), expectIDaaSPuts(t, kept, 1)),
			},
			{
				// Half-way through the lifetime: nothing to do.
				PreConfig: func() { clock.set(start.Add(12 * time.Hour)) },
				Config:    config,
				PlanOnly:  true,
			},
			{
				// Past the expiry: refresh drops the reset with
				// reset_when_expired, so the plan creates it again; the
				// other stays.
				PreConfig: func() { clock.set(start.Add(48 * time.Hour)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("identity_password_reset.renewed", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("identity_password_reset.kept", plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("identity_password_reset.renewed", tfjsonpath.New("temporary_password"), matchesServerPassword("temporary_password", current)),
					statecheck.ExpectKnownValue("identity_password_reset.renewed", tfjsonpath.New("expires_at"), expiresAt(start.Add(72*time.Hour))),
					statecheck.ExpectKnownValue("identity_password_reset.kept", tfjsonpath.New("expires_at"), expiresAt(start.Add(24*time.Hour))),
					passwords.AddStateValue("identity_password_reset.renewed", tfjsonpath.New("temporary_password")),
				},
				Check: resource.ComposeTestCheckFunc(expectIDaaSPuts(t, renewed, 2), expectIDaaSPuts(t, kept, 1)),
			},
		},
	})
}

// TestResetExpired covers the expiry rule of reset_when_expired without
// Terraform.
func TestResetExpired(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	exp := types.StringValue(at.Format(time.RFC3339))
	for _, tc := range []struct {
		name    string
		flag    types.Bool
		expires types.String
		now     time.Time
		want    bool
		wantErr bool
	}{
		{"before expiry", types.BoolValue(true), exp, at.Add(-time.Second), false, false},
		{"at expiry", types.BoolValue(true), exp, at, true, false},
		{"after expiry", types.BoolValue(true), exp, at.Add(time.Hour), true, false},
		{"flag off", types.BoolValue(false), exp, at.Add(time.Hour), false, false},
		{"flag null (old state)", types.BoolNull(), exp, at.Add(time.Hour), false, false},
		{"null expiry never expires", types.BoolValue(true), types.StringNull(), at.AddDate(100, 0, 0), false, false},
		{"unreadable expiry", types.BoolValue(true), types.StringValue("tomorrow"), at, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resetExpired(passwordResetModel{ResetWhenExpired: tc.flag, ExpiresAt: tc.expires}, tc.now)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Fatalf("resetExpired = %t, %v; want %t, error %t", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
