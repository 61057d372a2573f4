package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestStringRules pins the summary and detail of each string validator's
// error, and that null, unknown and good values pass.
func TestStringRules(t *testing.T) {
	for _, tc := range []struct {
		name          string
		rule          stringRule
		good, bad     string
		summary, want string
	}{
		{"duration", durationValidator, "30s", "-1s", "Invalid Duration",
			`Attribute a value must be a positive Go duration such as "30s" or "2m", got "-1s".`},
		{"pem: none", pemCertificateValidator, "", "not a certificate", "Invalid CA Certificate",
			"Attribute a value must hold at least one PEM-encoded X.509 certificate."},
		{"pem: unparsable", pemCertificateValidator, "", "-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n", "Invalid CA Certificate",
			"Attribute a holds a certificate that does not parse: x509: malformed certificate."},
		{"user id: blank", userIDValidator, "u1", "  ", "Invalid User ID", "Attribute a must not be empty or blank."},
		{"user id: control", userIDValidator, "u1", "u\x001", "Invalid User ID", "Attribute a must not contain control characters."},
		{"time", rfc3339Validator, "2030-01-02T15:04:05Z", "2030-02-30T00:00:00Z", "Invalid Time",
			`Attribute a value must be an RFC 3339 time such as "2030-01-02T15:04:05Z", got "2030-02-30T00:00:00Z".`},
		{"password chars", passwordCharsValidator, "Plain-Passw0rd", "tab\there", "Invalid Password",
			"Attribute a value must be valid UTF-8 without control characters (such as NUL, tab or a line break): it holds a control character."},
		{"bcrypt", bcryptHashValidator, "", "$2a$10$tooshort", "Invalid Bcrypt Hash",
			"Attribute a value must be a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, 60 characters in all: it has 15 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			validate := func(v types.String) validator.StringResponse {
				var resp validator.StringResponse
				tc.rule.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("a"), ConfigValue: v}, &resp)
				return resp
			}
			resp := validate(types.StringValue(tc.bad))
			if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary() != tc.summary || resp.Diagnostics[0].Detail() != tc.want {
				t.Errorf("%q: %v, want %s: %s", tc.bad, resp.Diagnostics, tc.summary, tc.want)
			}
			values := []types.String{types.StringNull(), types.StringUnknown()}
			if tc.good != "" {
				values = append(values, types.StringValue(tc.good))
			}
			for _, v := range values {
				if resp := validate(v); resp.Diagnostics.HasError() {
					t.Errorf("%s: %v", v, resp.Diagnostics)
				}
			}
		})
	}
}
