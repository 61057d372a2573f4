package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/passgen"
)

// generateAttrTypes are the members of identity_user_password's generate
// attribute (generateAttributes).
var generateAttrTypes = map[string]attr.Type{
	"length":           types.Int64Type,
	"upper":            types.BoolType,
	"lower":            types.BoolType,
	"numeric":          types.BoolType,
	"special":          types.BoolType,
	"min_upper":        types.Int64Type,
	"min_lower":        types.Int64Type,
	"min_numeric":      types.Int64Type,
	"min_special":      types.Int64Type,
	"override_special": types.StringType,
}

// samePolicy says whether two generate values ask for the same passwords:
// null is the default policy, so setting the defaults explicitly (or
// removing them) is no change. A value with unknown members is a change.
func samePolicy(a, b types.Object) bool {
	if a.Equal(b) {
		return true
	}
	for _, o := range []types.Object{a, b} {
		if o.IsUnknown() {
			return false
		}
		for _, v := range o.Attributes() {
			if v.IsUnknown() {
				return false
			}
		}
	}
	return generatePolicy(a) == generatePolicy(b)
}

// generatePolicy converts a generate value into a passgen policy: null,
// unknown and unset members take the defaults (at validation time nested
// defaults are not applied yet). It reads the members directly: the object's
// type is the schema's (generateAttrTypes), and a policy is read on every
// plan of a provider-generated password.
func generatePolicy(obj types.Object) passgen.Policy {
	p := passgen.DefaultPolicy()
	if obj.IsNull() || obj.IsUnknown() {
		return p
	}
	members := obj.Attributes()
	setInt := func(name string, dst *int64) {
		if v, ok := members[name].(types.Int64); ok && !v.IsNull() && !v.IsUnknown() {
			*dst = v.ValueInt64()
		}
	}
	setBool := func(name string, dst *bool) {
		if v, ok := members[name].(types.Bool); ok && !v.IsNull() && !v.IsUnknown() {
			*dst = v.ValueBool()
		}
	}
	setInt("length", &p.Length)
	setBool("upper", &p.Upper)
	setBool("lower", &p.Lower)
	setBool("numeric", &p.Numeric)
	setBool("special", &p.Special)
	setInt("min_upper", &p.MinUpper)
	setInt("min_lower", &p.MinLower)
	setInt("min_numeric", &p.MinNumeric)
	setInt("min_special", &p.MinSpecial)
	if v, ok := members["override_special"].(types.String); ok && !v.IsNull() && !v.IsUnknown() {
		p.OverrideSpecial = v.ValueString()
	}
	return p
}

// validateGeneratePolicy reports an invalid policy on the attribute at fault.
// A policy with unknown members is checked at apply instead.
func validateGeneratePolicy(obj types.Object, at path.Path, diags *diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return
	}
	for _, v := range obj.Attributes() {
		if v.IsUnknown() {
			return
		}
	}
	err := generatePolicy(obj).Validate()
	if err == nil {
		return
	}
	var perr *passgen.PolicyError
	if errors.As(err, &perr) && perr.Field != "" {
		at = at.AtName(perr.Field)
		diags.AddAttributeError(at, "Invalid Password Policy", "Attribute "+at.String()+": "+perr.Error()+".")
		return
	}
	diags.AddAttributeError(at, "Invalid Password Policy", "Attribute "+at.String()+": "+err.Error()+".")
}
