package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
