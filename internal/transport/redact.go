package transport

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Redacted is what a Redactor puts in place of a secret.
const Redacted = "REDACTED"

// MinSecretLength is the shortest secret a Redactor removes: a shorter one
// is not worth hiding and would shred the text ("a" is in most words).
const MinSecretLength = 4

// Redactor removes the secrets a caller holds (the password it is setting,
// a token, the provider's credentials) from text taken from an answer or a
// command's output, should the service, a proxy or the command ever echo
// one: every backend quotes what a service answered in its errors, and
// removes the secrets first with a Redactor.
//
// Each secret is removed as it is and in the forms a JSON encoder gives it
// inside a string (an answer that quotes a request escapes it), longest
// first, so that a secret that holds another leaves no part of itself
// behind. Secrets shorter than MinSecretLength are left alone. The zero
// Redactor removes nothing. A Redactor is safe for concurrent use.
type Redactor struct {
	// forms are the strings to replace, longest first.
	forms []string
}

// NewRedactor returns a Redactor of the given secrets; empty and short
// ones are ignored.
func NewRedactor(secrets ...string) Redactor {
	var forms []string
	for _, s := range secrets {
		if len(s) < MinSecretLength {
			continue
		}
		for _, f := range jsonForms(s) {
			if !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return Redactor{forms: forms}
}

// Redact is NewRedactor(secrets...).Redact(s).
func Redact(s string, secrets ...string) string {
	return NewRedactor(secrets...).Redact(s)
}

// Redact returns s with every secret replaced by Redacted.
func (r Redactor) Redact(s string) string {
	for _, f := range r.forms {
		s = strings.ReplaceAll(s, f, Redacted)
	}
	return s
}

// Text is SafeText of s with the secrets removed first, so that cutting s
// to maxBytes leaves no part of one behind: for a header value or an error
// code taken from an answer.
func (r Redactor) Text(s string, maxBytes int) string {
	return SafeText(r.Redact(s), maxBytes)
}

// Preview is the Preview of an error body with the secrets removed first,
// so that cutting it leaves no part of one behind.
func (r Redactor) Preview(body []byte) string {
	if len(r.forms) == 0 {
		return Preview(body)
	}
	return Preview([]byte(r.Redact(string(body))))
}

// jsonForms are s and the forms it takes inside a JSON string: as
// encoding/json writes it (<, > and & escaped too), as most other encoders
// do (JavaScript's JSON.stringify, Python's with ensure_ascii off), and as
// Python's json.dumps does by default, every non-ASCII character escaped.
func jsonForms(s string) []string {
	forms := []string{s}
	for _, f := range []string{jsonEscape(s, true), jsonEscape(s, false), asciiJSON(jsonEscape(s, false))} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// jsonEscape is s inside a JSON string, without the quotes.
func jsonEscape(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s) // a string always encodes
	q := bytes.TrimSpace(b.Bytes())
	return string(q[1 : len(q)-1])
}

// asciiJSON escapes every non-ASCII character of an already JSON-escaped
// string as \uXXXX (UTF-16, lower-case hex), as Python's json.dumps does.
func asciiJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			b.WriteString(`\u` + hex4(0xD800+(r>>10)) + `\u` + hex4(0xDC00+(r&0x3FF)))
		default:
			b.WriteString(`\u` + hex4(r))
		}
	}
	return b.String()
}

func hex4(r rune) string {
	h := strconv.FormatInt(int64(r), 16)
	return strings.Repeat("0", 4-len(h)) + h
}

// RedactURL renders a URL for logs and errors: no user info, query values
// replaced (Zato sends its session token in the query string).
func RedactURL(u *url.URL) string {
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			q[k] = []string{"REDACTED"}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

func redactRaw(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return RedactURL(u)
}

func redactHeaders(h http.Header, sensitive []string) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		v := strings.Join(vs, ", ")
		for _, s := range sensitive {
			if strings.EqualFold(k, s) {
				v = "REDACTED"
				break
			}
		}
		out[k] = v
	}
	return out
}

// SafeText makes a short text taken from an answer (a header value, an error
// code) fit for a diagnostic: Printable (no escape sequence reaches the
// user's terminal), surrounding space trimmed, at most maxBytes bytes.
func SafeText(s string, maxBytes int) string {
	s = strings.TrimSpace(Printable(s))
	if len(s) > maxBytes {
		s = strings.ToValidUTF8(s[:maxBytes], "") + "…"
	}
	return s
}

// Printable is s with invalid UTF-8 (Terraform's protocol refuses it) and
// every character that is not printable replaced with U+FFFD: control
// characters, and whatever else strconv.Quote would write as an escape
// sequence. An escape sequence could spell out a secret that is not in the
// text: DEL then "uzz-token" quotes as "\x7fuzz-token". Characters are
// replaced, not removed, for the same reason: see Preview.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if !strconv.IsPrint(r) {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// Preview returns the start of a body for an error message when the service
// did not answer in its documented error shape. Backends must only use it on
// error bodies, which carry no secrets.
//
// Invalid UTF-8 becomes U+FFFD rather than nothing: removing bytes could
// join the two halves of a secret that a backend has just failed to match
// and scrub.
//
// Should an unexpected answer carry a credential after all (a token issued
// with a non-2xx status, a proxy echoing a request), the value of every JSON
// member whose name says it holds one is replaced first: see
// redactSecretMembers.
func Preview(body []byte) string {
	n := 200
	b := bytes.TrimSpace(redactSecretMembers(body))
	if len(b) > n {
		for n > 0 && !utf8.RuneStart(b[n]) {
			n-- // cut at a rune boundary
		}
		return strings.ToValidUTF8(string(b[:n]), "\uFFFD") + "…"
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// jsonMember matches a JSON member name and its value: a string (possibly
// cut short, as in a truncated body) or a bare scalar. It is a pattern, not
// a parser, because a body worth previewing is often not valid JSON.
var jsonMember = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s"]+)`)

// secretNameParts are words that, in a member's name, say that its value is a
// credential (authToken, access_token, newPassword, shared_secret, ...).
var secretNameParts = []string{"password", "passwd", "token", "secret", "credential", "apikey", "privatekey", "accesskey", "signature", "authorization", "cookie", "session"}

// secretNames are short names that are credentials only when whole (Zato's
// session token is "ust").
var secretNames = map[string]bool{"ust": true, "pwd": true, "otp": true, "key": true}

// isSecretName says whether a JSON member name is one a credential goes by.
func isSecretName(name string) bool {
	n := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, name)
	if secretNames[n] {
		return true
	}
	for _, w := range secretNameParts {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// redactSecretMembers replaces the value of every JSON member whose name
// says it holds a credential with "<redacted>", whether or not the body is
// valid JSON. It copies only when it changes something.
func redactSecretMembers(body []byte) []byte {
	idx := jsonMember.FindAllSubmatchIndex(body, -1)
	var out []byte
	last := 0
	for _, m := range idx {
		if !isSecretName(string(body[m[2]:m[3]])) || string(body[m[4]:m[5]]) == "null" {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(body))
		}
		out = append(out, body[last:m[4]]...)
		out = append(out, `"<redacted>"`...)
		last = m[5]
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}
