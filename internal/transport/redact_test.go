package transport

import (
	"strconv"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	const pw = `Pa"ss<w>\ord-ünï-😀`
	cases := []struct {
		name, in, want string
		secrets        []string
	}{
		{"plain", "bad password " + pw + "!", "bad password REDACTED!", []string{pw}},
		{"encoding/json form", `{"m":"` + `Pa\"ss\u003cw\u003e\\ord-ünï-😀` + `"}`, `{"m":"REDACTED"}`, []string{pw}},
		{"JSON.stringify form", `{"m":"` + `Pa\"ss<w>\\ord-ünï-😀` + `"}`, `{"m":"REDACTED"}`, []string{pw}},
		{"Python json.dumps form", `{"m":"` + `Pa\"ss<w>\\ord-\u00fcn\u00ef-\ud83d\ude00` + `"}`, `{"m":"REDACTED"}`, []string{pw}},
		{"every occurrence and every secret", "a-secret b-secret a-secret", "REDACTED REDACTED REDACTED", []string{"a-secret", "b-secret"}},
		// A secret that holds another goes whole, whatever the order given.
		{"longest first", "token abcd-efgh-ijkl", "token REDACTED", []string{"abcd", "abcd-efgh-ijkl"}},
		{"overlapping", "xxabcdef", "xxREDACTED", []string{"xxab", "abcdef"}},
		// Shorter than MinSecretLength: left, or most words would be shredded.
		{"short secrets ignored", "a cat", "a cat", []string{"", "a", "cat"}},
		{"none", "text", "text", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Redact(c.in, c.secrets...); got != c.want {
				t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	var zero Redactor
	if got := zero.Redact("text " + pw); got != "text "+pw {
		t.Errorf("the zero Redactor changed %q", got)
	}
}

// Redactor.Text and Redactor.Preview remove secrets before they cut, so that
// a secret across the cut leaves no part behind.
func TestRedactorCutsAfterRedacting(t *testing.T) {
	const secret = "Secret-Across-The-Cut-77"
	r := NewRedactor(secret)
	if got := r.Text(strings.Repeat("r", 120)+secret, 128); strings.Contains(got, secret[:6]) {
		t.Errorf("Text left part of the secret: %q", got)
	}
	if got := r.Preview([]byte(strings.Repeat("x", 190) + secret)); strings.Contains(got, secret[:6]) {
		t.Errorf("Preview left part of the secret: %q", got)
	}
	if got := r.Text(" code\x1b[2J ", 128); got != "code\uFFFD[2J" {
		t.Errorf("Text = %q, want it made fit for a diagnostic", got)
	}
	// Preview still redacts credential-named members.
	if got := r.Preview([]byte(`{"token":"t-1"}`)); got != `{"token":"<redacted>"}` {
		t.Errorf("Preview = %q", got)
	}
}

// Quoting a Printable text writes no escape sequence but \" and \\, which
// could otherwise spell out text that is not there (found by fuzzing: DEL
// then "uzz-ust-…" quoted as "\x7fuzz-ust-…").
func TestPrintable(t *testing.T) {
	for _, s := range []string{"\x7fuzz-ust", "\xfeedface", "\u200bad-secret", "\nice", "a\u00a0b"} {
		p := Printable(s)
		if q := strconv.Quote(p); strings.Count(q, `\`) != 0 {
			t.Errorf("Quote(Printable(%q)) = %s, still with an escape sequence", s, q)
		}
		if !strings.Contains(p, "\uFFFD") {
			t.Errorf("Printable(%q) = %q: the character was not replaced", s, p)
		}
	}
	if got := Printable(`plain "text" \ é`); got != `plain "text" \ é` {
		t.Errorf("Printable changed printable text: %q", got)
	}
}
