package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/passgen"
)

// TestUserPasswordModelRoundTrip writes models into a state with the
// framework's Set and reads them back with Get: the model's tfsdk tags and
// value types must match the schema, and nothing may be lost on the way.
func TestUserPasswordModelRoundTrip(t *testing.T) {
	ctx := context.Background()
	withUnknowns := userpwGenerated()
	withUnknowns.Password = types.StringUnknown()
	withUnknowns.LastChangedAt = types.StringUnknown()
	withUnknowns.Generate = types.ObjectUnknown(generateAttrTypes)
	chosen := userpwGenerated()
	chosen.GeneratedBy = types.StringNull()
	chosen.Triggers = types.MapValueMust(types.StringType, map[string]attr.Value{"rotation": types.StringValue("r1")})
	chosen.EncryptTo = types.ListValueMust(types.StringType, []attr.Value{types.StringValue(userpwRecipient)})
	chosen.RotationDays = types.Int64Value(30)
	chosen.ForceChangeOnNextLogin = types.BoolValue(true)
	withPolicy := userpwGenerated()
	withPolicy.GeneratedBy = types.StringValue(generatedByProvider)
	withPolicy.Generate = defaultGenerateObject()

	for name, m := range map[string]userPasswordModel{"generated": userpwGenerated(), "unknowns": withUnknowns, "chosen": chosen, "policy": withPolicy} {
		t.Run(name, func(t *testing.T) {
			st := tfsdk.State{Schema: userPasswordSchema()}
			if diags := st.Set(ctx, &m); diags.HasError() {
				t.Fatal(diags)
			}
			var got userPasswordModel
			if diags := st.Get(ctx, &got); diags.HasError() {
				t.Fatal(diags)
			}
			if !reflect.DeepEqual(got, m) {
				t.Errorf("read back %+v, wrote %+v", got, m)
			}
		})
	}
}

// TestGeneratePolicy reads generate values: null is the default policy, and
// so is the default policy set explicitly; members set apart from the
// defaults are taken.
func TestGeneratePolicy(t *testing.T) {
	if got, want := generatePolicy(types.ObjectNull(generateAttrTypes)), passgen.DefaultPolicy(); got != want {
		t.Errorf("null: %+v, want the default %+v", got, want)
	}
	if got, want := generatePolicy(defaultGenerateObject()), passgen.DefaultPolicy(); got != want {
		t.Errorf("explicit defaults: %+v, want %+v", got, want)
	}
	members := defaultGenerateObject().Attributes()
	members["length"] = types.Int64Value(20)
	members["special"] = types.BoolValue(false)
	members["override_special"] = types.StringValue("-_")
	want := passgen.DefaultPolicy()
	want.Length, want.Special, want.OverrideSpecial = 20, false, "-_"
	if got := generatePolicy(types.ObjectValueMust(generateAttrTypes, members)); got != want {
		t.Errorf("changed members: %+v, want %+v", got, want)
	}
}

// BenchmarkModelGetSet measures a Get and a Set of the resource's model
// through the framework's reflection, as every RPC of the resource does.
func BenchmarkModelGetSet(b *testing.B) {
	ctx := context.Background()
	m := userpwGenerated()
	st := tfsdk.State{Schema: userPasswordSchema()}
	if diags := st.Set(ctx, &m); diags.HasError() {
		b.Fatal(diags)
	}
	for b.Loop() {
		var got userPasswordModel
		_ = st.Get(ctx, &got)
		_ = st.Set(ctx, &got)
	}
}
