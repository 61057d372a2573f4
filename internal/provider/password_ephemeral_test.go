package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/passgen"
)

// TestPasswordEphemeralPolicy pins the defaults of identity_password: the
// backend's length within its bounds, one of each enabled class unless the
// length is too short for that, and what is configured wins.
func TestPasswordEphemeralPolicy(t *testing.T) {
	zato := backend.RulesOf(matrixBackend("Zato SSO"))
	for _, tc := range []struct {
		name  string
		m     passwordEphemeralModel
		rules backend.PasswordRules
		want  passgen.Policy
	}{
		{"defaults", passwordEphemeralModel{}, backend.PasswordRules{},
			passgen.Policy{Length: 32, Upper: true, Lower: true, Numeric: true, Special: true, MinUpper: 1, MinLower: 1, MinNumeric: 1, MinSpecial: 1}},
		{"zato", passwordEphemeralModel{Special: types.BoolValue(false)}, zato,
			passgen.Policy{Length: 32, Upper: true, Lower: true, Numeric: true, MinUpper: 1, MinLower: 1, MinNumeric: 1}},
		{"raised to the minimum", passwordEphemeralModel{}, backend.PasswordRules{MinLength: 40},
			passgen.Policy{Length: 40, Upper: true, Lower: true, Numeric: true, Special: true, MinUpper: 1, MinLower: 1, MinNumeric: 1, MinSpecial: 1}},
		{"too short for one of each", passwordEphemeralModel{Length: types.Int64Value(3), MinNumeric: types.Int64Value(2)}, backend.PasswordRules{},
			passgen.Policy{Length: 3, Upper: true, Lower: true, Numeric: true, Special: true, MinNumeric: 2}},
		{"configured", passwordEphemeralModel{Length: types.Int64Value(12), MinUpper: types.Int64Value(0), OverrideSpecial: types.StringValue("-_")}, zato,
			passgen.Policy{Length: 12, Upper: true, Lower: true, Numeric: true, Special: true, MinLower: 1, MinNumeric: 1, MinSpecial: 1, OverrideSpecial: "-_"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.policy(backend.Capabilities{}, tc.rules); got != tc.want {
				t.Errorf("policy = %+v, want %+v", got, tc.want)
			}
		})
	}
	if r := backend.RulesOf(matrixBackend("AWS FinSpace")); r.MinLength != 0 || r.Reject != nil {
		t.Errorf("FinSpace takes no chosen password, yet has rules %+v", r)
	}
}
