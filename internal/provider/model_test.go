package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestModelCodecMatchesTheFramework writes models with the framework's Set
// and with the codec, and reads them back both ways: the results must be
// the same.
func TestModelCodecMatchesTheFramework(t *testing.T) {
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

	for name, m := range map[string]userPasswordModel{"generated": userpwGenerated(), "unknowns": withUnknowns, "chosen": chosen} {
		t.Run(name, func(t *testing.T) {
			want := tfsdk.State{Schema: userPasswordSchema()}
			if diags := want.Set(ctx, &m); diags.HasError() {
				t.Fatal(diags)
			}
			got := tfsdk.State{Schema: userPasswordSchema()}
			if diags := userPasswordModels().set(ctx, &got, &m); diags.HasError() {
				t.Fatal(diags)
			}
			if !got.Raw.Equal(want.Raw) {
				t.Fatalf("codec wrote %s, framework %s", got.Raw, want.Raw)
			}

			var viaFramework, viaCodec userPasswordModel
			if diags := want.Get(ctx, &viaFramework); diags.HasError() {
				t.Fatal(diags)
			}
			if diags := userPasswordModels().get(ctx, want.Raw, &viaCodec); diags.HasError() {
				t.Fatal(diags)
			}
			if !reflect.DeepEqual(viaCodec, viaFramework) {
				t.Errorf("codec read %+v, framework %+v", viaCodec, viaFramework)
			}
		})
	}
}

func TestModelCodecGetObject(t *testing.T) {
	ctx := context.Background()
	obj := defaultGenerateObject()
	var viaFramework, viaCodec generateModel
	if diags := obj.As(ctx, &viaFramework, basetypes.ObjectAsOptions{}); diags.HasError() {
		t.Fatal(diags)
	}
	if diags := generateModels().getObject(obj, &viaCodec); diags.HasError() {
		t.Fatal(diags)
	}
	if !reflect.DeepEqual(viaCodec, viaFramework) {
		t.Errorf("codec read %+v, framework %+v", viaCodec, viaFramework)
	}
	if diags := generateModels().getObject(types.ObjectNull(generateAttrTypes), &viaCodec); !diags.HasError() {
		t.Error("a null object was read without an error")
	}
}

func TestModelCodecRefusesMismatches(t *testing.T) {
	type missingField struct {
		ID types.String `tfsdk:"id"`
	}
	if _, err := newModelCodec[missingField](userPasswordSchema().Type()); err == nil {
		t.Error("a model without most attributes was accepted")
	}
	type wrongType struct {
		Length types.String `tfsdk:"length"`
	}
	if _, err := newModelCodec[wrongType](types.ObjectType{AttrTypes: map[string]attr.Type{"length": types.Int64Type}}); err == nil {
		t.Error("a string field for a number attribute was accepted")
	}
	if diags := userPasswordModels().get(context.Background(), tftypes.NewValue(userPasswordModels().objType, nil), &userPasswordModel{}); !diags.HasError() {
		t.Error("a null object was read without an error")
	}
}

// BenchmarkModelGetSet compares a Get and a Set of the resource's model
// through the framework and through the codec.
func BenchmarkModelGetSet(b *testing.B) {
	ctx := context.Background()
	m := userpwGenerated()
	st := tfsdk.State{Schema: userPasswordSchema()}
	if diags := st.Set(ctx, &m); diags.HasError() {
		b.Fatal(diags)
	}
	b.Run("framework", func(b *testing.B) {
		for b.Loop() {
			var got userPasswordModel
			_ = st.Get(ctx, &got)
			_ = st.Set(ctx, &got)
		}
	})
	b.Run("codec", func(b *testing.B) {
		for b.Loop() {
			var got userPasswordModel
			_ = userPasswordModels().get(ctx, st.Raw, &got)
			_ = userPasswordModels().set(ctx, &st, &got)
		}
	})
}
