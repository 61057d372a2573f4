package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/passgen"
)

// generateModel is the generate attribute of identity_user_password.
type generateModel struct {
	Length          types.Int64  `tfsdk:"length"`
	Upper           types.Bool   `tfsdk:"upper"`
	Lower           types.Bool   `tfsdk:"lower"`
	Numeric         types.Bool   `tfsdk:"numeric"`
	Special         types.Bool   `tfsdk:"special"`
	MinUpper        types.Int64  `tfsdk:"min_upper"`
	MinLower        types.Int64  `tfsdk:"min_lower"`
	MinNumeric      types.Int64  `tfsdk:"min_numeric"`
	MinSpecial      types.Int64  `tfsdk:"min_special"`
	OverrideSpecial types.String `tfsdk:"override_special"`
}

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
	pa, da := generatePolicy(a)
	pb, db := generatePolicy(b)
	return !da.HasError() && !db.HasError() && pa == pb
}

// generatePolicy converts a known generate object into a passgen policy;
// unset members take the defaults (at validation time nested defaults are
// not applied yet). ok is false when a member is unknown.
func generatePolicy(obj types.Object) (passgen.Policy, diag.Diagnostics) {
	p := passgen.DefaultPolicy()
	if obj.IsNull() || obj.IsUnknown() {
		return p, nil
	}
	var m generateModel
	diags := generateModels().getObject(obj, &m) // obj.As, without its reflection (see modelCodec)
	if diags.HasError() {
		return p, diags
	}
	setInt := func(v types.Int64, dst *int64) {
		if !v.IsNull() && !v.IsUnknown() {
			*dst = v.ValueInt64()
		}
	}
	setBool := func(v types.Bool, dst *bool) {
		if !v.IsNull() && !v.IsUnknown() {
			*dst = v.ValueBool()
		}
	}
	setInt(m.Length, &p.Length)
	setBool(m.Upper, &p.Upper)
	setBool(m.Lower, &p.Lower)
	setBool(m.Numeric, &p.Numeric)
	setBool(m.Special, &p.Special)
	setInt(m.MinUpper, &p.MinUpper)
	setInt(m.MinLower, &p.MinLower)
	setInt(m.MinNumeric, &p.MinNumeric)
	setInt(m.MinSpecial, &p.MinSpecial)
	if !m.OverrideSpecial.IsNull() && !m.OverrideSpecial.IsUnknown() {
		p.OverrideSpecial = m.OverrideSpecial.ValueString()
	}
	return p, diags
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
	p, d := generatePolicy(obj)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	err := p.Validate()
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
