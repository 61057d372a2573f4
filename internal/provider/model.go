package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// modelCodec reads a plan, state or configuration into a model struct and
// writes one back, as tfsdk's Get and Set do, for models whose fields are
// all attr.Values with a `tfsdk` tag per schema attribute.
//
// It exists for speed. Get and Set go through the framework's reflection,
// which on every call walks the struct's tags and, for every field, compiles
// a regular expression to check the tag (terraform-plugin-framework issue
// #725), and builds attribute paths as it goes: `make bench` measured the
// Get and Set calls of identity_user_password's ValidateConfig, ModifyPlan
// and Create at about a sixth of the provider's CPU when applying 1000
// resources. Here the struct layout and the attribute types are resolved
// once per model type; a call is one attr.Type.ValueFromTerraform (or
// attr.Value.ToTerraformValue) per field.
type modelCodec[T any] struct {
	objType tftypes.Object
	fields  []modelField
}

type modelField struct {
	name  string
	index int
	typ   attr.Type
}

// newModelCodec checks that T's fields and the schema's attributes match
// one to one, with the value types the schema's types produce.
func newModelCodec[T any](schemaType attr.Type) (*modelCodec[T], error) {
	ctx := context.Background()
	ot, ok := schemaType.(basetypes.ObjectType)
	if !ok {
		return nil, fmt.Errorf("schema type %T is not an object type", schemaType)
	}
	tfType, ok := ot.TerraformType(ctx).(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("schema type %s is not a Terraform object type", ot)
	}
	rt := reflect.TypeFor[T]()
	if rt.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%s is not a struct", rt)
	}
	c := &modelCodec[T]{objType: tfType}
	seen := map[string]bool{}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name := f.Tag.Get("tfsdk")
		if name == "" || name == "-" {
			return nil, fmt.Errorf("%s.%s has no tfsdk tag", rt, f.Name)
		}
		typ, ok := ot.AttrTypes[name]
		if !ok {
			return nil, fmt.Errorf("%s.%s: the schema has no attribute %q", rt, f.Name, name)
		}
		if vt := reflect.TypeOf(typ.ValueType(ctx)); vt != f.Type {
			return nil, fmt.Errorf("%s.%s is a %s, but attribute %q holds %s", rt, f.Name, f.Type, name, vt)
		}
		seen[name] = true
		c.fields = append(c.fields, modelField{name: name, index: i, typ: typ})
	}
	for name := range ot.AttrTypes {
		if !seen[name] {
			return nil, fmt.Errorf("%s has no field for attribute %q", rt, name)
		}
	}
	return c, nil
}

// mustModelCodec is newModelCodec for package-level codecs: a mismatch is a
// programming error, caught by the first test that uses the resource.
func mustModelCodec[T any](schemaType func() attr.Type) func() *modelCodec[T] {
	return sync.OnceValue(func() *modelCodec[T] {
		c, err := newModelCodec[T](schemaType())
		if err != nil {
			panic(err)
		}
		return c
	})
}

// get reads raw (a Plan, State or Config's Raw) into target.
func (c *modelCodec[T]) get(ctx context.Context, raw tftypes.Value, target *T) diag.Diagnostics {
	var diags diag.Diagnostics
	if !raw.IsKnown() || raw.IsNull() {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to read a whole "+
			"object: it is null or unknown. This is always an error in the provider. Please report it to the provider developers.")
		return diags
	}
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to read an object. "+
			"This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
		return diags
	}
	rv := reflect.ValueOf(target).Elem()
	for _, f := range c.fields {
		v, ok := vals[f.name]
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read "+
				"attribute %q: the object has none. This is always an error in the provider. Please report it to the provider developers.", f.name))
			return diags
		}
		av, err := f.typ.ValueFromTerraform(ctx, v)
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read "+
				"attribute %q. This is always an error in the provider. Please report the following to the provider developers:\n\n%s", f.name, err))
			return diags
		}
		rv.Field(f.index).Set(reflect.ValueOf(av))
	}
	return diags
}

// getObject reads a known object value (a nested attribute) into target,
// as types.Object's As does.
func (c *modelCodec[T]) getObject(obj basetypes.ObjectValue, target *T) diag.Diagnostics {
	var diags diag.Diagnostics
	if obj.IsNull() || obj.IsUnknown() {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to read a whole "+
			"object: it is null or unknown. This is always an error in the provider. Please report it to the provider developers.")
		return diags
	}
	attrs := obj.Attributes()
	rv := reflect.ValueOf(target).Elem()
	for _, f := range c.fields {
		v, ok := attrs[f.name]
		if !ok || reflect.TypeOf(v) != rv.Field(f.index).Type() {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read "+
				"attribute %q: the object has none of the expected type. This is always an error in the provider. Please report it to the provider developers.", f.name))
			return diags
		}
		rv.Field(f.index).Set(reflect.ValueOf(v))
	}
	return diags
}

// value is m as a Terraform object value, for a Plan's or State's Set
// (which take a tftypes.Value as it is, after checking its type).
func (c *modelCodec[T]) value(ctx context.Context, m *T) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	rv := reflect.ValueOf(m).Elem()
	vals := make(map[string]tftypes.Value, len(c.fields))
	for _, f := range c.fields {
		av, _ := rv.Field(f.index).Interface().(attr.Value) // checked in newModelCodec
		tv, err := av.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to write "+
				"attribute %q. This is always an error in the provider. Please report the following to the provider developers:\n\n%s", f.name, err))
			return tftypes.Value{}, diags
		}
		vals[f.name] = tv
	}
	if err := tftypes.ValidateValue(c.objType, vals); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to write an object. "+
			"This is always an error in the provider. Please report the following to the provider developers:\n\n"+err.Error())
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(c.objType, vals), diags
}

// modelSetter is a *tfsdk.Plan or *tfsdk.State.
type modelSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// set writes m into dst.
func (c *modelCodec[T]) set(ctx context.Context, dst modelSetter, m *T) diag.Diagnostics {
	v, diags := c.value(ctx, m)
	if diags.HasError() {
		return diags
	}
	return append(diags, dst.Set(ctx, v)...)
}

// generateModels reads the generate attribute of identity_user_password.
var generateModels = mustModelCodec[generateModel](func() attr.Type { return basetypes.ObjectType{AttrTypes: generateAttrTypes} })

// userPasswordModels reads and writes identity_user_password's model in its
// hot paths (ValidateConfig, ModifyPlan, Create, Read, Update).
var userPasswordModels = mustModelCodec[userPasswordModel](func() attr.Type { return userPasswordSchema().Type() })
