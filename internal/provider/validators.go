package provider

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/secretbox"
)

// durationValidator checks a positive Go duration string. (The framework
// validators have no duration validator; timetypes only covers RFC 3339.)
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "value must be a positive Go duration such as \"30s\" or \"2m\""
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			"Attribute "+req.Path.String()+" "+v.Description(ctx)+", got "+quoteShort(req.ConfigValue.ValueString())+".")
	}
}

// nonNegativeFloat checks a float at least zero. (float64validator.AtLeast
// exists, but its message speaks of "at least 0.000000".)
type nonNegativeFloat struct{}

func (nonNegativeFloat) Description(context.Context) string { return "value must be zero or more" }
func (v nonNegativeFloat) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v nonNegativeFloat) ValidateFloat64(ctx context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.ValueFloat64() < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Rate", "Attribute "+req.Path.String()+" "+v.Description(ctx)+" (0 means no limit).")
	}
}

// pemCertificateValidator checks that a string holds at least one PEM
// certificate that parses.
type pemCertificateValidator struct{}

func (pemCertificateValidator) Description(context.Context) string {
	return "value must hold at least one PEM-encoded X.509 certificate"
}
func (v pemCertificateValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v pemCertificateValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	rest := []byte(req.ConfigValue.ValueString())
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid CA Certificate",
				"Attribute "+req.Path.String()+" holds a certificate that does not parse: "+err.Error()+".")
			return
		}
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid CA Certificate", "Attribute "+req.Path.String()+" "+v.Description(ctx)+".")
}

// quoteShort quotes a non-secret value for an error message, cut to 64 runes.
func quoteShort(s string) string {
	r := []rune(s)
	if len(r) > 64 {
		return "\"" + string(r[:64]) + "…\""
	}
	return "\"" + s + "\""
}

// userIDValidator refuses empty, blank and control-character ids at plan
// time; backends check their own id forms in ModifyPlan.
type userIDValidator struct{}

func (userIDValidator) Description(context.Context) string {
	return "value must be a non-blank user id without control characters"
}
func (v userIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v userIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	switch {
	case strings.TrimSpace(s) == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid User ID", "Attribute "+req.Path.String()+" must not be empty or blank.")
	case !utf8.ValidString(s):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid User ID", "Attribute "+req.Path.String()+" must be valid UTF-8.")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid User ID", "Attribute "+req.Path.String()+" must not contain control characters.")
	case len(s) > 256:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid User ID", "Attribute "+req.Path.String()+" is longer than any identity system's ids (256 bytes at most).")
	}
}

// rfc3339Validator checks an RFC 3339 time string.
type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "value must be an RFC 3339 time such as \"2030-01-02T15:04:05Z\""
}
func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v rfc3339Validator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Time", "Attribute "+req.Path.String()+" "+v.Description(ctx)+", got "+quoteShort(req.ConfigValue.ValueString())+".")
	}
}

// ageRecipientsValidator checks, at plan time, that each element of
// encrypt_to (on both resources) is one age recipient. Its errors name the element's index and
// never echo the value (a pasted identity would be a secret key).
type ageRecipientsValidator struct{}

var _ validator.List = ageRecipientsValidator{}

func (ageRecipientsValidator) Description(context.Context) string {
	return "each element must be one age recipient: age1... (X25519) or age1pq1... (post-quantum); SSH keys are not accepted"
}

func (v ageRecipientsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v ageRecipientsValidator) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, el := range req.ConfigValue.Elements() {
		p := req.Path.AtListIndex(i)
		s, ok := el.(types.String)
		if !ok || s.IsUnknown() {
			continue
		}
		if s.IsNull() {
			resp.Diagnostics.AddAttributeError(p, "Invalid Age Recipient", fmt.Sprintf("Element %d of %s is null; %s.", i, req.Path, v.Description(ctx)))
			continue
		}
		if _, err := secretbox.ParseRecipients([]string{s.ValueString()}); err != nil {
			detail := fmt.Sprintf("Element %d of %s is not an age recipient; %s.", i, req.Path, v.Description(ctx))
			if strings.HasPrefix(strings.TrimSpace(strings.ToUpper(s.ValueString())), "AGE-SECRET-KEY-") {
				detail += " It looks like an age identity, which is a secret key: give its recipient instead " +
					"(age-keygen -y key.txt) and keep the identity out of the configuration."
			}
			resp.Diagnostics.AddAttributeError(p, "Invalid Age Recipient", detail)
		}
	}
}

// passwordCharsValidator refuses a chosen password that is not valid UTF-8
// or holds control characters (NUL, line breaks, tabs, C1 controls): JSON
// bodies, the Zato command line and people typing the password at a login
// prompt cannot all carry them faithfully. It never echoes the value.
type passwordCharsValidator struct{}

var _ validator.String = passwordCharsValidator{}

func (passwordCharsValidator) Description(context.Context) string {
	return "value must be valid UTF-8 without control characters (such as NUL, tab or a line break)"
}

func (v passwordCharsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v passwordCharsValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	switch {
	case !utf8.ValidString(s):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Password", "Attribute "+req.Path.String()+" "+v.Description(ctx)+": it is not valid UTF-8.")
	default:
		if strings.IndexFunc(s, unicode.IsControl) >= 0 {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid Password",
				"Attribute "+req.Path.String()+" "+v.Description(ctx)+": it holds a control character.")
		}
	}
}

// bcryptHashValidator checks that bcrypt_hash looks like a bcrypt hash:
// $2a$, $2b$ or $2y$, a cost bcrypt accepts, 60 characters. It never
// echoes the value.
type bcryptHashValidator struct{}

var _ validator.String = bcryptHashValidator{}

func (bcryptHashValidator) Description(context.Context) string {
	return "value must be a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, 60 characters in all"
}

func (v bcryptHashValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v bcryptHashValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkBcryptHash(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Bcrypt Hash",
			"Attribute "+req.Path.String()+" "+v.Description(ctx)+": "+err.Error()+".")
	}
}

// checkBcryptHash explains why h is not a bcrypt hash, without quoting it.
func checkBcryptHash(h string) error {
	switch {
	case !strings.HasPrefix(h, "$2a$") && !strings.HasPrefix(h, "$2b$") && !strings.HasPrefix(h, "$2y$"):
		return errors.New("it does not start with $2a$, $2b$ or $2y$")
	case len(h) != 60:
		return fmt.Errorf("it has %d characters", len(h))
	}
	if _, err := bcrypt.Cost([]byte(h)); err != nil {
		return errors.New("its cost is not a bcrypt cost (04 to 31)")
	}
	return nil
}
