// Package passgen generates passwords from the `generate` policy of
// identity_user_password. It is pure: no Terraform types, no I/O other than
// the randomness source.
//
// The generator is written here rather than reused from
// hashicorp/terraform-provider-random for two reasons: random's generator
// lives in an internal package (internal/random) that cannot be imported, and
// it shuffles by sorting on one random byte per character, which is not a
// uniform permutation: ties are frequent, and how sort.Slice orders tied
// elements depends on where they started. This package draws every character
// and every swap with rejection sampling and shuffles with Fisher–Yates, so
// each permutation of the drawn characters is equally likely.
package passgen

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLength is the longest password, in characters (runes), that a policy may
// ask for.
const MaxLength = 4096

// Character sets. DefaultSpecial is the same set as
// hashicorp/terraform-provider-random's default, so that a policy moved from
// random_password produces passwords of the same shape.
const (
	UpperChars     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	LowerChars     = "abcdefghijklmnopqrstuvwxyz"
	NumericChars   = "0123456789"
	DefaultSpecial = "!@#$%&*()-_=+[]{}<>:?"
)

// Policy is the `generate` block of identity_user_password.
type Policy struct {
	Length int64 // default 32

	Upper, Lower, Numeric, Special bool // default true each

	MinUpper, MinLower, MinNumeric, MinSpecial int64 // default 0

	// OverrideSpecial replaces DefaultSpecial when non-empty. It is read as
	// UTF-8 runes; duplicates are ignored.
	OverrideSpecial string
}

// DefaultPolicy returns the policy used when the `generate` block or one of
// its attributes is not set.
func DefaultPolicy() Policy {
	return Policy{
		Length:  32,
		Upper:   true,
		Lower:   true,
		Numeric: true,
		Special: true,
	}
}

// PolicyError is a problem with one attribute of a policy.
type PolicyError struct {
	// Field is the HCL attribute name inside the `generate` block, e.g.
	// "length", "min_upper" or "override_special". It is empty when the
	// problem concerns the block as a whole (no character class enabled).
	Field string
	// Message is a complete sentence fragment that names the field, e.g.
	// "min_upper is set but upper is false".
	Message string
}

func (e *PolicyError) Error() string { return e.Message }

func policyErrorf(field, format string, args ...any) *PolicyError {
	return &PolicyError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// class is one character class of a policy, in the fixed order upper, lower,
// numeric, special.
type class struct {
	name    string // HCL name of the enabling flag
	enabled bool
	min     int64
	chars   []rune // deduplicated
}

func (p Policy) specialChars() string {
	if p.OverrideSpecial != "" {
		return p.OverrideSpecial
	}
	return DefaultSpecial
}

func (p Policy) classes() [4]class {
	return [4]class{
		{name: "upper", enabled: p.Upper, min: p.MinUpper, chars: []rune(UpperChars)},
		{name: "lower", enabled: p.Lower, min: p.MinLower, chars: []rune(LowerChars)},
		{name: "numeric", enabled: p.Numeric, min: p.MinNumeric, chars: []rune(NumericChars)},
		{name: "special", enabled: p.Special, min: p.MinSpecial, chars: dedupe(p.specialChars())},
	}
}

// Validate reports the first problem with p, as a *PolicyError, or nil. The
// checks run in a fixed order: length bounds, each minimum, the enabled
// classes, override_special, then the sum of the minimums.
func (p Policy) Validate() error {
	if p.Length < 1 {
		return policyErrorf("length", "length must be at least 1 (got %d)", p.Length)
	}
	if p.Length > MaxLength {
		return policyErrorf("length", "length must be at most %d (got %d)", MaxLength, p.Length)
	}
	anyEnabled := false
	for _, c := range p.classes() {
		field := "min_" + c.name
		if c.min < 0 {
			return policyErrorf(field, "%s must not be negative (got %d)", field, c.min)
		}
		if c.min > 0 && !c.enabled {
			return policyErrorf(field, "%s is set but %s is false", field, c.name)
		}
		anyEnabled = anyEnabled || c.enabled
	}
	if !anyEnabled {
		return policyErrorf("", "at least one of upper, lower, numeric, special must be true")
	}
	if err := validateOverrideSpecial(p.OverrideSpecial); err != nil {
		return err
	}
	if p.OverrideSpecial != "" && !p.Special {
		return policyErrorf("override_special", "override_special is set but special is false")
	}
	// The minimums are each >= 0 here but may be huge: add without overflow.
	var sum int64
	for _, m := range []int64{p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial} {
		if sum > math.MaxInt64-m {
			sum = math.MaxInt64
			break
		}
		sum += m
	}
	if sum > p.Length {
		return policyErrorf("length",
			"length (%d) is less than the sum of min_upper, min_lower, min_numeric and min_special (%d)",
			p.Length, sum)
	}
	return nil
}

func validateOverrideSpecial(s string) error {
	const field = "override_special"
	if !utf8.ValidString(s) {
		return policyErrorf(field, "override_special must be valid UTF-8")
	}
	for _, r := range s {
		var what string
		switch {
		case unicode.IsControl(r):
			what = "a control character"
		case unicode.IsSpace(r):
			what = "whitespace"
		case unicode.IsMark(r):
			what = "a combining mark"
		case !unicode.IsGraphic(r):
			what = "not a printable character"
		default:
			continue
		}
		return policyErrorf(field, "override_special must not contain %U (%s)", r, what)
	}
	return nil
}

// dedupe returns the runes of s, each once, in order of first appearance.
func dedupe(s string) []rune {
	seen := make(map[rune]bool, len(s))
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// charset returns the deduplicated union of the enabled classes. A rune that
// is in two classes (override_special may repeat a letter) appears once, so
// that the fill characters stay uniform over distinct runes.
func (p Policy) charset() []rune {
	var all []rune
	for _, c := range p.classes() {
		if c.enabled {
			all = append(all, c.chars...)
		}
	}
	return dedupe(string(all))
}

// Generate returns a password that meets p, drawn from crypto/rand.
func Generate(p Policy) (string, error) {
	return GenerateWith(rand.Reader, p)
}

// GenerateWith is Generate with r as the source of randomness. r must be
// uniformly random for the result to be; tests inject their own. An error
// from r is returned, wrapped.
//
// It draws min_upper, min_lower, min_numeric and min_special characters from
// their classes, fills the rest of the length from the union of the enabled
// classes, then shuffles with Fisher–Yates. Every draw is unbiased.
func GenerateWith(r io.Reader, p Policy) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	src := newSource(r)
	out := make([]rune, 0, p.Length)
	for _, c := range p.classes() {
		if !c.enabled {
			continue
		}
		for range c.min {
			ch, err := src.pick(c.chars)
			if err != nil {
				return "", err
			}
			out = append(out, ch)
		}
	}
	all := p.charset()
	for int64(len(out)) < p.Length {
		ch, err := src.pick(all)
		if err != nil {
			return "", err
		}
		out = append(out, ch)
	}
	if err := src.shuffle(out); err != nil {
		return "", err
	}
	return string(out), nil
}

// maxRejectDraws bounds GenerateAvoiding: with any policy that can meet a
// reject list at all, drawing again this many times without success means
// the list rules out (nearly) every password of the policy.
const maxRejectDraws = 1000

// GenerateAvoiding is Generate for an identity system that refuses
// passwords containing any of reject (ignoring case, as Zato's reject_list
// does): it draws whole passwords until one contains none of them.
// Rejecting and drawing again keeps the result uniform over the passwords
// that pass. Entries shorter than 1 character are ignored.
func GenerateAvoiding(p Policy, reject []string) (string, error) {
	return generateAvoiding(rand.Reader, p, reject)
}

func generateAvoiding(r io.Reader, p Policy, reject []string) (string, error) {
	lowered := make([]string, 0, len(reject))
	for _, s := range reject {
		if s != "" {
			lowered = append(lowered, strings.ToLower(s))
		}
	}
	for range maxRejectDraws {
		pw, err := GenerateWith(r, p)
		if err != nil || !containsAny(strings.ToLower(pw), lowered) {
			return pw, err
		}
	}
	return "", fmt.Errorf("no password of this policy avoided the identity system's reject list in %d draws: widen the policy (length, character classes)", maxRejectDraws)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Entropy estimates the strength of a password generated under p, in bits:
// length × log2(size of the union of the enabled classes). It is an upper
// bound: the minimums make it slightly lower. It is 0 for a policy with no
// length or no character class.
func Entropy(p Policy) float64 {
	n := len(p.charset())
	if p.Length < 1 || n == 0 {
		return 0
	}
	return float64(p.Length) * math.Log2(float64(n))
}

// source draws unbiased integers from a byte stream.
type source struct {
	r   *bufio.Reader
	buf [4]byte
}

func newSource(r io.Reader) *source {
	return &source{r: bufio.NewReaderSize(r, 256)}
}

// intn returns a uniform integer in [0, n), for 0 < n <= 1<<32. It reads 32
// bits and rejects values at or above the largest multiple of n, so that no
// value is favoured (no modulo bias).
func (s *source) intn(n int) (int, error) {
	if n <= 0 || uint64(n) > 1<<32 {
		panic(fmt.Sprintf("passgen: intn(%d) out of range", n))
	}
	const span = 1 << 32
	limit := uint64(span) - uint64(span)%uint64(n)
	for {
		if _, err := io.ReadFull(s.r, s.buf[:]); err != nil {
			return 0, fmt.Errorf("reading randomness: %w", err)
		}
		v := uint64(binary.BigEndian.Uint32(s.buf[:]))
		if v < limit {
			return int(v % uint64(n)), nil //nolint:gosec // G115: v % n < n, and n is an int
		}
	}
}

func (s *source) pick(set []rune) (rune, error) {
	i, err := s.intn(len(set))
	if err != nil {
		return 0, err
	}
	return set[i], nil
}

// shuffle permutes rs uniformly (Fisher–Yates).
func (s *source) shuffle(rs []rune) error {
	for i := len(rs) - 1; i > 0; i-- {
		j, err := s.intn(i + 1)
		if err != nil {
			return err
		}
		rs[i], rs[j] = rs[j], rs[i]
	}
	return nil
}
