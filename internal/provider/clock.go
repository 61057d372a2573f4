package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// timeValue renders an optional time as an RFC 3339 string value in UTC.
func timeValue(t *time.Time) types.String {
	if t == nil || t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// parseTimeValue parses a known, non-null RFC 3339 string value.
func parseTimeValue(v types.String) (*time.Time, error) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v.ValueString())
	if err != nil {
		return nil, err
	}
	return &t, nil
}
