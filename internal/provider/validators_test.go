package provider

import (
	"context"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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

// TestAgeRecipientsValidator_ssh: SSH keys are recipients; a short RSA key
// is an error on its element, a post-quantum recipient mixed with an SSH
// one an error on the list, and neither quotes a key.
func TestAgeRecipientsValidator_ssh(t *testing.T) {
	ed, _ := sshRecipient(t, "ed25519", 0)
	short, _ := sshRecipient(t, "rsa", 1024)
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		list    []string
		at      string // "" for no error
		summary string
	}{
		{"ed25519 and x25519", []string{ed, userpwRecipient}, "", ""},
		{"short rsa", []string{ed, short}, "encrypt_to[1]", "Invalid Age Recipient"},
		{"ssh with pq", []string{ed, pq.Recipient().String()}, "encrypt_to", "Incompatible Age Recipients"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := validator.ListRequest{Path: path.Root("encrypt_to"), ConfigValue: userpwList(tc.list...)}
			var resp validator.ListResponse
			ageRecipientsValidator{}.ValidateList(context.Background(), req, &resp)
			if tc.at == "" {
				if resp.Diagnostics.HasError() {
					t.Fatal(resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("want 1 error, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if got := d.(diag.DiagnosticWithPath).Path().String(); got != tc.at || d.Summary() != tc.summary {
				t.Errorf("%q on %s, want %q on %s", d.Summary(), got, tc.summary, tc.at)
			}
			if strings.Contains(d.Detail(), "bastion") || strings.Contains(d.Detail(), "AAAA") && !strings.Contains(d.Detail(), "AAAA...") {
				t.Errorf("the error quotes a key: %s", d.Detail())
			}
		})
	}
}
