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

// stringRule is a string validator for what the framework validators
// cannot say: problem looks at a known value and returns what is wrong with
// it ("" when nothing is), and the error reads "Attribute <path> <problem>."
// under summary. A problem never quotes a secret value.
type stringRule struct {
	summary     string
	description string
	problem     func(value string) string
}

var _ validator.String = stringRule{}

func (v stringRule) Description(context.Context) string { return v.description }

func (v stringRule) MarkdownDescription(context.Context) string { return v.description }

func (v stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if p := v.problem(req.ConfigValue.ValueString()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, "Attribute "+req.Path.String()+" "+p+".")
	}
}

// durationValidator checks a positive Go duration string. (The framework
// validators have no duration validator; timetypes only covers RFC 3339.)
var durationValidator = stringRule{
	summary:     "Invalid Duration",
	description: durationDescription,
	problem: func(s string) string {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return durationDescription + ", got " + quoteShort(s)
		}
		return ""
	},
}

const durationDescription = "value must be a positive Go duration such as \"30s\" or \"2m\""

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
var pemCertificateValidator = stringRule{
	summary:     "Invalid CA Certificate",
	description: pemDescription,
	problem: func(s string) string {
		rest := []byte(s)
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				return pemDescription
			}
			if block.Type != "CERTIFICATE" {
				continue
			}
			if _, err := x509.ParseCertificate(block.Bytes); err != nil {
				return "holds a certificate that does not parse: " + err.Error()
			}
			return ""
		}
	},
}

const pemDescription = "value must hold at least one PEM-encoded X.509 certificate"

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
var userIDValidator = stringRule{
	summary:     "Invalid User ID",
	description: "value must be a non-blank user id without control characters",
	problem: func(s string) string {
		switch {
		case strings.TrimSpace(s) == "":
			return "must not be empty or blank"
		case !utf8.ValidString(s):
			return "must be valid UTF-8"
		case strings.IndexFunc(s, unicode.IsControl) >= 0:
			return "must not contain control characters"
		case len(s) > 256:
			return "is longer than any identity system's ids (256 bytes at most)"
		}
		return ""
	},
}

// rfc3339Validator checks an RFC 3339 time string.
var rfc3339Validator = stringRule{
	summary:     "Invalid Time",
	description: rfc3339Description,
	problem: func(s string) string {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return rfc3339Description + ", got " + quoteShort(s)
		}
		return ""
	},
}

const rfc3339Description = "value must be an RFC 3339 time such as \"2030-01-02T15:04:05Z\""

// ageRecipientsValidator checks, at plan time, that each element of
// encrypt_to (on both resources) is one age recipient, and that the
// recipients can be used together. Its errors name the element's index and
// never echo the value (a pasted identity would be a secret key).
type ageRecipientsValidator struct{}

var _ validator.List = ageRecipientsValidator{}

func (ageRecipientsValidator) Description(context.Context) string {
	return "each element must be one age recipient: age1... (X25519), age1pq1... (post-quantum, not mixed with the " +
		"others), or an SSH public key, ssh-ed25519 or ssh-rsa of 2048 bits or more (authorized_keys form)"
}

func (v ageRecipientsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v ageRecipientsValidator) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	all := make([]string, 0, len(req.ConfigValue.Elements()))
	for i, el := range req.ConfigValue.Elements() {
		p := req.Path.AtListIndex(i)
		s, ok := el.(types.String)
		if !ok || s.IsUnknown() {
			all = nil // the whole list is checked at apply
			continue
		}
		if s.IsNull() {
			resp.Diagnostics.AddAttributeError(p, "Invalid Age Recipient", fmt.Sprintf("Element %d of %s is null; %s.", i, req.Path, v.Description(ctx)))
			continue
		}
		if all != nil {
			all = append(all, s.ValueString())
		}
		_, err := secretbox.ParseRecipients([]string{s.ValueString()})
		var rerr *secretbox.RecipientError
		if err == nil || !errors.As(err, &rerr) {
			continue
		}
		detail := fmt.Sprintf("Element %d of %s %s; %s.", i, req.Path, rerr.Reason, v.Description(ctx))
		if strings.HasPrefix(strings.TrimSpace(strings.ToUpper(s.ValueString())), "AGE-SECRET-KEY-") {
			detail += " It looks like an age identity, which is a secret key: give its recipient instead " +
				"(age-keygen -y key.txt) and keep the identity out of the configuration."
		}
		resp.Diagnostics.AddAttributeError(p, "Invalid Age Recipient", detail)
	}
	if resp.Diagnostics.HasError() || len(all) < 2 {
		return
	}
	if _, err := secretbox.ParseRecipients(all); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Incompatible Age Recipients",
			"Attribute "+req.Path.String()+": "+err.Error()+". Use only post-quantum recipients, or only classic ones.")
	}
}

// passwordCharsValidator refuses a chosen password that is not valid UTF-8
// or holds control characters (NUL, line breaks, tabs, C1 controls): JSON
// bodies, the Zato command line and people typing the password at a login
// prompt cannot all carry them faithfully. It never echoes the value.
var passwordCharsValidator = stringRule{
	summary:     "Invalid Password",
	description: passwordCharsDescription,
	problem: func(s string) string {
		switch {
		case !utf8.ValidString(s):
			return passwordCharsDescription + ": it is not valid UTF-8"
		case strings.IndexFunc(s, unicode.IsControl) >= 0:
			return passwordCharsDescription + ": it holds a control character"
		}
		return ""
	},
}

const passwordCharsDescription = "value must be valid UTF-8 without control characters (such as NUL, tab or a line break)" //nolint:gosec // G101: a validator description, not a credential

// bcryptHashValidator checks that bcrypt_hash looks like a bcrypt hash:
// $2a$, $2b$ or $2y$, a cost bcrypt accepts, 60 characters. It never
// echoes the value.
var bcryptHashValidator = stringRule{
	summary:     "Invalid Bcrypt Hash",
	description: bcryptHashDescription,
	problem: func(s string) string {
		if err := checkBcryptHash(s); err != nil {
			return bcryptHashDescription + ": " + err.Error()
		}
		return ""
	},
}

const bcryptHashDescription = "value must be a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, 60 characters in all"

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
