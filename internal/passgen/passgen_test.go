package passgen

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// The statistical tests below use crypto/rand and a chi-square goodness-of-fit
// test. Each fails only when the p-value is below alpha = 1e-9, i.e. a correct
// generator makes one of them fail about once in a billion runs, while the
// biases they look for (modulo bias, a missing or naive shuffle) give p-values
// far below that (see TestChiSquareDetectsBias and
// TestShufflePermutationsUniform).
const alpha = 1e-9

// Oracle sets, written out independently of the package's constants.
const (
	testUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	testLower   = "abcdefghijklmnopqrstuvwxyz"
	testNumeric = "0123456789"
	testSpecial = "!@#$%&*()-_=+[]{}<>:?"
)

func TestDefaultPolicy(t *testing.T) {
	got := DefaultPolicy()
	want := Policy{Length: 32, Upper: true, Lower: true, Numeric: true, Special: true}
	if got != want {
		t.Fatalf("DefaultPolicy() = %+v, want %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v", err)
	}
	if DefaultSpecial != testSpecial {
		t.Fatalf("DefaultSpecial = %q, want random's set %q", DefaultSpecial, testSpecial)
	}
}

// policy returns the default policy changed by edit.
func policy(edit func(*Policy)) Policy {
	p := DefaultPolicy()
	if edit != nil {
		edit(&p)
	}
	return p
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name      string
		policy    Policy
		wantField string // checked only when wantMsg != ""
		wantMsg   string // substring of the message; "" means valid
	}{
		{name: "default", policy: DefaultPolicy()},
		{name: "length 1", policy: policy(func(p *Policy) { p.Length = 1 })},
		{name: "length max", policy: policy(func(p *Policy) { p.Length = MaxLength })},
		{
			name: "length 0", policy: policy(func(p *Policy) { p.Length = 0 }),
			wantField: "length", wantMsg: "length must be at least 1",
		},
		{
			name: "length negative", policy: policy(func(p *Policy) { p.Length = -5 }),
			wantField: "length", wantMsg: "length must be at least 1",
		},
		{
			name: "length over max", policy: policy(func(p *Policy) { p.Length = MaxLength + 1 }),
			wantField: "length", wantMsg: "length must be at most 4096",
		},
		{
			name: "min_upper negative", policy: policy(func(p *Policy) { p.MinUpper = -1 }),
			wantField: "min_upper", wantMsg: "min_upper must not be negative",
		},
		{
			name: "min_lower negative", policy: policy(func(p *Policy) { p.MinLower = -1 }),
			wantField: "min_lower", wantMsg: "min_lower must not be negative",
		},
		{
			name: "min_numeric negative", policy: policy(func(p *Policy) { p.MinNumeric = math.MinInt64 }),
			wantField: "min_numeric", wantMsg: "min_numeric must not be negative",
		},
		{
			name: "min_special negative", policy: policy(func(p *Policy) { p.MinSpecial = -3 }),
			wantField: "min_special", wantMsg: "min_special must not be negative",
		},
		{
			name: "min_upper without upper", policy: policy(func(p *Policy) { p.Upper, p.MinUpper = false, 1 }),
			wantField: "min_upper", wantMsg: "min_upper is set but upper is false",
		},
		{
			name: "min_lower without lower", policy: policy(func(p *Policy) { p.Lower, p.MinLower = false, 2 }),
			wantField: "min_lower", wantMsg: "min_lower is set but lower is false",
		},
		{
			name: "min_numeric without numeric", policy: policy(func(p *Policy) { p.Numeric, p.MinNumeric = false, 1 }),
			wantField: "min_numeric", wantMsg: "min_numeric is set but numeric is false",
		},
		{
			name: "min_special without special", policy: policy(func(p *Policy) { p.Special, p.MinSpecial = false, 1 }),
			wantField: "min_special", wantMsg: "min_special is set but special is false",
		},
		{
			name:   "zero minimum with class off",
			policy: policy(func(p *Policy) { p.Upper, p.Lower, p.Numeric = false, false, false }),
		},
		{
			name: "no class enabled",
			policy: policy(func(p *Policy) {
				p.Upper, p.Lower, p.Numeric, p.Special = false, false, false, false
			}),
			wantField: "", wantMsg: "at least one of upper, lower, numeric, special must be true",
		},
		{
			name:   "minimums equal length",
			policy: policy(func(p *Policy) { p.Length, p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial = 8, 2, 2, 2, 2 }),
		},
		{
			name:      "minimums exceed length",
			policy:    policy(func(p *Policy) { p.Length, p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial = 5, 2, 2, 2, 2 }),
			wantField: "length",
			wantMsg:   "length (5) is less than the sum of min_upper, min_lower, min_numeric and min_special (8)",
		},
		{
			name:      "one minimum exceeds length",
			policy:    policy(func(p *Policy) { p.Length, p.MinSpecial = 4, 5 }),
			wantField: "length",
			wantMsg:   "length (4) is less than the sum of min_upper, min_lower, min_numeric and min_special (5)",
		},
		{
			name: "minimums overflow int64",
			policy: policy(func(p *Policy) {
				p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial = math.MaxInt64, math.MaxInt64, 1, math.MaxInt64
			}),
			wantField: "length",
			wantMsg:   "length (32) is less than the sum of min_upper, min_lower, min_numeric and min_special (9223372036854775807)",
		},
		{name: "override ascii", policy: policy(func(p *Policy) { p.OverrideSpecial = "_%@" })},
		{name: "override multi-byte", policy: policy(func(p *Policy) { p.OverrideSpecial = "€£¥§✓" })},
		{name: "override duplicates", policy: policy(func(p *Policy) { p.OverrideSpecial = "!!!" })},
		{
			name: "override invalid utf-8", policy: policy(func(p *Policy) { p.OverrideSpecial = "!\xff" }),
			wantField: "override_special", wantMsg: "override_special must be valid UTF-8",
		},
		{
			name: "override NUL", policy: policy(func(p *Policy) { p.OverrideSpecial = "!\x00" }),
			wantField: "override_special", wantMsg: "U+0000 (a control character)",
		},
		{
			name: "override DEL", policy: policy(func(p *Policy) { p.OverrideSpecial = "\x7f" }),
			wantField: "override_special", wantMsg: "U+007F (a control character)",
		},
		{
			name: "override newline", policy: policy(func(p *Policy) { p.OverrideSpecial = "!\n" }),
			wantField: "override_special", wantMsg: "U+000A (a control character)",
		},
		{
			name: "override space", policy: policy(func(p *Policy) { p.OverrideSpecial = "! #" }),
			wantField: "override_special", wantMsg: "U+0020 (whitespace)",
		},
		{
			name: "override no-break space", policy: policy(func(p *Policy) { p.OverrideSpecial = "\u00a0" }),
			wantField: "override_special", wantMsg: "U+00A0 (whitespace)",
		},
		{
			name: "override zero-width space", policy: policy(func(p *Policy) { p.OverrideSpecial = "!\u200b" }),
			wantField: "override_special", wantMsg: "U+200B (not a printable character)",
		},
		{
			name: "override combining mark", policy: policy(func(p *Policy) { p.OverrideSpecial = "e\u0301" }),
			wantField: "override_special", wantMsg: "U+0301 (a combining mark)",
		},
		{
			name: "override without special", policy: policy(func(p *Policy) { p.Special, p.OverrideSpecial = false, "!" }),
			wantField: "override_special", wantMsg: "override_special is set but special is false",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Validate()
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", tt.wantMsg)
			}
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("Validate() = %T %v, want *PolicyError", err, err)
			}
			if pe.Field != tt.wantField {
				t.Errorf("Field = %q, want %q", pe.Field, tt.wantField)
			}
			if !strings.Contains(pe.Message, tt.wantMsg) || err.Error() != pe.Message {
				t.Errorf("Error() = %q, Message = %q, want both to contain %q", err.Error(), pe.Message, tt.wantMsg)
			}
		})
	}
}

// meets reports how s fails p, or nil. It uses the oracle sets, not the
// package's own, so that a wrong set in the package is caught.
func meets(p Policy, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%q is not valid UTF-8", s)
	}
	if n := utf8.RuneCountInString(s); int64(n) != p.Length {
		return fmt.Errorf("%q has %d runes, want %d", s, n, p.Length)
	}
	special := testSpecial
	if p.OverrideSpecial != "" {
		special = p.OverrideSpecial
	}
	classes := []struct {
		name    string
		enabled bool
		min     int64
		set     string
	}{
		{"upper", p.Upper, p.MinUpper, testUpper},
		{"lower", p.Lower, p.MinLower, testLower},
		{"numeric", p.Numeric, p.MinNumeric, testNumeric},
		{"special", p.Special, p.MinSpecial, special},
	}
	// Sets as maps: the fuzzer passes long override_special values.
	allowed := map[rune]bool{}
	for _, c := range classes {
		if c.enabled {
			for _, r := range c.set {
				allowed[r] = true
			}
		}
	}
	for i, r := range []rune(s) {
		if !allowed[r] {
			return fmt.Errorf("%q: rune %d (%q) is not in the enabled classes", s, i, r)
		}
	}
	for _, c := range classes {
		in := map[rune]bool{}
		for _, r := range c.set {
			in[r] = true
		}
		var n int64
		for _, r := range s {
			if in[r] {
				n++
			}
		}
		if n < c.min {
			return fmt.Errorf("%q has %d %s characters, want at least %d", s, n, c.name, c.min)
		}
	}
	return nil
}

func TestGenerateMeetsPolicy(t *testing.T) {
	const runs = 2000
	tests := []struct {
		name   string
		policy Policy
	}{
		{"default", DefaultPolicy()},
		{"every minimum", policy(func(p *Policy) { p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial = 3, 4, 5, 6 })},
		{"minimums fill length", policy(func(p *Policy) { p.Length, p.MinUpper, p.MinLower, p.MinNumeric, p.MinSpecial = 12, 3, 3, 3, 3 })},
		{"length 1 numeric only", Policy{Length: 1, Numeric: true}},
		{"upper only all required", Policy{Length: 10, Upper: true, MinUpper: 10}},
		{"mostly special", policy(func(p *Policy) { p.Length, p.MinSpecial = 20, 19 })},
		{"no special", policy(func(p *Policy) { p.Special, p.MinNumeric, p.MinUpper = false, 2, 2 })},
		{"override ascii", policy(func(p *Policy) { p.OverrideSpecial, p.MinSpecial = "_%@", 4 })},
		{"override multi-byte", Policy{Length: 24, Lower: true, Special: true, OverrideSpecial: "€£¥§✓😀", MinSpecial: 8, MinLower: 8}},
		{"override overlaps lower", Policy{Length: 16, Lower: true, Special: true, OverrideSpecial: "ab!", MinSpecial: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range runs {
				s, err := Generate(tt.policy)
				if err != nil {
					t.Fatalf("Generate() error = %v", err)
				}
				if err := meets(tt.policy, s); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestGenerateMaxLength(t *testing.T) {
	p := policy(func(p *Policy) { p.Length, p.MinSpecial, p.OverrideSpecial = MaxLength, 100, "∑∏" })
	s, err := Generate(p)
	if err != nil {
		t.Fatalf("Generate() error = %v", err)
	}
	if err := meets(p, s); err != nil {
		t.Fatal(err)
	}
	if len(s) <= MaxLength {
		t.Fatalf("len(s) = %d bytes, want more than %d: multi-byte runes must count as one character", len(s), MaxLength)
	}
}

func TestGenerateDisabledClassNeverAppears(t *testing.T) {
	const runs = 2000
	tests := []struct {
		name   string
		policy Policy
		absent string
	}{
		{"no upper", policy(func(p *Policy) { p.Upper = false }), testUpper},
		{"no lower", policy(func(p *Policy) { p.Lower = false }), testLower},
		{"no numeric", policy(func(p *Policy) { p.Numeric = false }), testNumeric},
		{"no special", policy(func(p *Policy) { p.Special = false }), testSpecial},
		{"default specials replaced", policy(func(p *Policy) { p.OverrideSpecial = "^~" }), testSpecial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range runs {
				s, err := Generate(tt.policy)
				if err != nil {
					t.Fatalf("Generate() error = %v", err)
				}
				if i := strings.IndexAny(s, tt.absent); i >= 0 {
					t.Fatalf("%q contains %q from a class that is off", s, s[i:i+1])
				}
			}
		})
	}
}

// TestGenerateOverrideSpecial checks that the override set is used, all of
// it, and nothing else.
func TestGenerateOverrideSpecial(t *testing.T) {
	tests := []struct {
		name     string
		override string
		distinct string
	}{
		{"ascii", "_%@", "_%@"},
		{"multi-byte", "€£¥§✓😀", "€£¥§✓😀"},
		{"duplicates", "éé~é~", "é~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Policy{Length: 32, Special: true, OverrideSpecial: tt.override}
			seen := map[rune]int{}
			for range 200 {
				s, err := Generate(p)
				if err != nil {
					t.Fatalf("Generate() error = %v", err)
				}
				for _, r := range s {
					seen[r]++
				}
			}
			for r := range seen {
				if !strings.ContainsRune(tt.distinct, r) {
					t.Errorf("rune %q is not in override_special %q", r, tt.override)
				}
			}
			// 6400 draws from at most 6 runes: a missing rune means it is
			// never drawn (probability (5/6)^6400, nil in practice).
			for _, r := range tt.distinct {
				if seen[r] == 0 {
					t.Errorf("rune %q of override_special never appeared", r)
				}
			}
			if len(seen) != utf8.RuneCountInString(tt.distinct) {
				t.Errorf("saw %d distinct runes, want %d", len(seen), utf8.RuneCountInString(tt.distinct))
			}
		})
	}
}

func TestGenerateInvalidPolicy(t *testing.T) {
	s, err := Generate(Policy{Length: 8})
	var pe *PolicyError
	if !errors.As(err, &pe) || s != "" {
		t.Fatalf("Generate(no class) = %q, %v; want \"\" and a *PolicyError", s, err)
	}
}

// chiSquareUniform returns the chi-square statistic of counts against the
// uniform distribution and its p-value (df = len(counts)-1).
func chiSquareUniform(counts []int) (stat, p float64) {
	total := 0
	for _, c := range counts {
		total += c
	}
	want := float64(total) / float64(len(counts))
	for _, c := range counts {
		d := float64(c) - want
		stat += d * d / want
	}
	return stat, chiSquareSF(stat, float64(len(counts)-1))
}

// chiSquareSF is the survival function of the chi-square distribution with k
// degrees of freedom: Q(k/2, x/2), the regularized upper incomplete gamma
// function (series below a+1, Lentz continued fraction above).
func chiSquareSF(x, k float64) float64 {
	a, x := k/2, x/2
	if x <= 0 {
		return 1
	}
	lg, _ := math.Lgamma(a)
	front := math.Exp(-x + a*math.Log(x) - lg)
	const eps, tiny = 1e-15, 1e-300
	if x < a+1 {
		sum, del, ap := 1/a, 1/a, a
		for range 10000 {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*eps {
				break
			}
		}
		return 1 - sum*front
	}
	b := x + 1 - a
	c, d := 1/tiny, 1/b
	h := d
	for i := 1.0; i < 10000; i++ {
		an := -i * (i - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return front * h
}

func TestChiSquareSF(t *testing.T) {
	tests := []struct {
		x, k, want float64
	}{
		{3.841458820694124, 1, 0.05}, // table value
		{18.307038053275146, 10, 0.05},
		{2, 2, math.Exp(-1)},               // df 2: exp(-x/2)
		{1, 4, math.Exp(-0.5) * (1 + 0.5)}, // df 4: exp(-x/2)(1+x/2), series branch
		{60, 4, math.Exp(-30) * (1 + 30)},  // continued-fraction branch, tiny tail
		{0, 5, 1},
	}
	for _, tt := range tests {
		got := chiSquareSF(tt.x, tt.k)
		if math.Abs(got-tt.want) > 1e-6*tt.want+1e-12 {
			t.Errorf("chiSquareSF(%v, %v) = %v, want %v", tt.x, tt.k, got, tt.want)
		}
	}
}

// TestChiSquareDetectsBias shows the character test has the power to catch
// modulo bias: picking a character as byte % 83 favours 7 of the 83.
func TestChiSquareDetectsBias(t *testing.T) {
	const n, draws = 83, 100000
	buf := make([]byte, draws)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	counts := make([]int, n)
	for _, b := range buf {
		counts[int(b)%n]++
	}
	if stat, p := chiSquareUniform(counts); p >= alpha {
		t.Fatalf("modulo-biased sample: chi2 = %.1f, p = %g; the test cannot tell it from uniform", stat, p)
	}
}

// TestGenerateUniformCharacters checks that, with every class on and no
// minimums, each of the 83 characters of the union is equally likely.
func TestGenerateUniformCharacters(t *testing.T) {
	const passwords = 3125 // 100000 characters, about 1205 per character
	p := DefaultPolicy()
	union := []rune(testUpper + testLower + testNumeric + testSpecial)
	index := make(map[rune]int, len(union))
	for i, r := range union {
		index[r] = i
	}
	counts := make([]int, len(union))
	for range passwords {
		s, err := Generate(p)
		if err != nil {
			t.Fatalf("Generate() error = %v", err)
		}
		for _, r := range s {
			i, ok := index[r]
			if !ok {
				t.Fatalf("rune %q is not in the union", r)
			}
			counts[i]++
		}
	}
	stat, pv := chiSquareUniform(counts)
	t.Logf("chi2 = %.1f, df = %d, p = %.3g", stat, len(counts)-1, pv)
	if pv < alpha {
		t.Fatalf("character frequencies are not uniform: chi2 = %.1f, df = %d, p = %g < %g; counts %v",
			stat, len(counts)-1, pv, alpha, counts)
	}
}

// TestGenerateRequiredCharacterPosition checks the shuffle: the one required
// special character (drawn before the others) lands in each position equally
// often. Without a shuffle it would always be last.
func TestGenerateRequiredCharacterPosition(t *testing.T) {
	const runs = 20000
	p := Policy{Length: 32, Lower: true, Special: true, MinLower: 31, MinSpecial: 1}
	counts := make([]int, p.Length)
	for range runs {
		s, err := Generate(p)
		if err != nil {
			t.Fatalf("Generate() error = %v", err)
		}
		pos := -1
		for i, r := range []rune(s) {
			if strings.ContainsRune(testSpecial, r) {
				if pos >= 0 {
					t.Fatalf("%q has more than one special character", s)
				}
				pos = i
			}
		}
		if pos < 0 {
			t.Fatalf("%q has no special character", s)
		}
		counts[pos]++
	}
	stat, pv := chiSquareUniform(counts)
	t.Logf("chi2 = %.1f, df = %d, p = %.3g", stat, len(counts)-1, pv)
	if pv < alpha {
		t.Fatalf("position of the required character is not uniform: chi2 = %.1f, p = %g < %g; counts %v",
			stat, pv, alpha, counts)
	}
}

// permutationCounts shuffles "abcd" runs times with shuffle and counts each
// of the 24 outcomes.
func permutationCounts(t *testing.T, runs int, shuffle func([]rune) error) []int {
	t.Helper()
	byPerm := map[string]int{}
	for range runs {
		rs := []rune("abcd")
		if err := shuffle(rs); err != nil {
			t.Fatal(err)
		}
		byPerm[string(rs)]++
	}
	if len(byPerm) > 24 {
		t.Fatalf("%d distinct outcomes, want at most 24", len(byPerm))
	}
	counts := make([]int, 24) // permutations never seen stay 0
	i := 0
	for _, c := range byPerm {
		counts[i] = c
		i++
	}
	return counts
}

// TestShufflePermutationsUniform checks that all 24 orders of four runes are
// equally likely, and that the same check rejects the classic naive shuffle
// (swap each element with any position), which is not uniform.
func TestShufflePermutationsUniform(t *testing.T) {
	const runs = 48000 // 2000 per permutation
	src := newSource(rand.Reader)

	counts := permutationCounts(t, runs, src.shuffle)
	stat, pv := chiSquareUniform(counts)
	t.Logf("Fisher–Yates: chi2 = %.1f, df = 23, p = %.3g", stat, pv)
	if pv < alpha {
		t.Fatalf("Fisher–Yates permutations are not uniform: chi2 = %.1f, p = %g; counts %v", stat, pv, counts)
	}

	naive := func(rs []rune) error {
		for i := range rs {
			j, err := src.intn(len(rs))
			if err != nil {
				return err
			}
			rs[i], rs[j] = rs[j], rs[i]
		}
		return nil
	}
	counts = permutationCounts(t, runs, naive)
	if stat, pv := chiSquareUniform(counts); pv >= alpha {
		t.Fatalf("naive shuffle passed the uniformity check (chi2 = %.1f, p = %g): the check has no power", stat, pv)
	}
}

// TestIntnRejects feeds intn a value from the biased top of the 32-bit range
// and checks it is thrown away: 0xFFFFFFFF % 3 == 0 would be an extra chance
// for 0. The next value, 5, gives 5 % 3 == 2.
func TestIntnRejects(t *testing.T) {
	in := []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 5}
	src := newSource(bytes.NewReader(in))
	got, err := src.intn(3)
	if err != nil {
		t.Fatalf("intn(3) error = %v", err)
	}
	if got != 2 {
		t.Fatalf("intn(3) = %d, want 2 (the first value must be rejected)", got)
	}
	// A value just below the limit is kept: 0xFFFFFFFE is the last of the
	// largest multiple of 3, and 0xFFFFFFFE % 3 == 2.
	src = newSource(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xfe}))
	if got, err := src.intn(3); err != nil || got != 2 {
		t.Fatalf("intn(3) = %d, %v; want 2, nil", got, err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestGenerateWithReaderError(t *testing.T) {
	errBoom := errors.New("entropy source failed")
	tests := []struct {
		name   string
		reader io.Reader
		want   error
	}{
		{"error at once", errReader{errBoom}, errBoom},
		{"error after some bytes", io.MultiReader(bytes.NewReader(make([]byte, 10)), errReader{errBoom}), errBoom},
		{"empty", bytes.NewReader(nil), io.EOF},
		{"too short", bytes.NewReader(make([]byte, 42)), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := GenerateWith(tt.reader, DefaultPolicy())
			if !errors.Is(err, tt.want) {
				t.Fatalf("GenerateWith() = %q, %v; want error %v", s, err, tt.want)
			}
			if s != "" {
				t.Fatalf("GenerateWith() returned %q with an error", s)
			}
		})
	}
}

// TestGenerateWithDeterministic checks that GenerateWith uses only its reader:
// the same stream gives the same password, another stream another one.
func TestGenerateWithDeterministic(t *testing.T) {
	gen := func(seed byte) string {
		t.Helper()
		s, err := GenerateWith(mrand.NewChaCha8([32]byte{seed}), DefaultPolicy())
		if err != nil {
			t.Fatalf("GenerateWith() error = %v", err)
		}
		return s
	}
	a, b, c := gen(1), gen(1), gen(2)
	if a != b {
		t.Errorf("same seed gave %q and %q", a, b)
	}
	if a == c {
		t.Errorf("different seeds both gave %q", a)
	}
}

func TestEntropy(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		want   float64
	}{
		{"default", DefaultPolicy(), 32 * math.Log2(83)},
		{"numeric only", Policy{Length: 10, Numeric: true}, 10 * math.Log2(10)},
		{"lower and one special", Policy{Length: 20, Lower: true, Special: true, OverrideSpecial: "!"}, 20 * math.Log2(27)},
		{"multi-byte duplicates counted once", Policy{Length: 8, Special: true, OverrideSpecial: "€€££"}, 8},
		{"override overlapping lower", Policy{Length: 4, Lower: true, Special: true, OverrideSpecial: "abc!"}, 4 * math.Log2(27)},
		{"no class", Policy{Length: 8}, 0},
		{"no length", Policy{Upper: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Entropy(tt.policy); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Entropy() = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzPolicyValidate(f *testing.F) {
	f.Add(int64(32), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "")
	f.Add(int64(8), true, true, true, true, int64(2), int64(2), int64(2), int64(2), "")
	f.Add(int64(5), true, true, true, true, int64(2), int64(2), int64(2), int64(2), "")
	f.Add(int64(1), false, false, true, false, int64(0), int64(0), int64(1), int64(0), "")
	f.Add(int64(16), false, true, false, true, int64(0), int64(4), int64(0), int64(4), "€£¥§✓😀")
	f.Add(int64(12), true, false, false, true, int64(0), int64(0), int64(0), int64(3), "_%@")
	f.Add(int64(12), true, true, true, false, int64(0), int64(0), int64(0), int64(0), "!")
	f.Add(int64(12), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "!\x00")
	f.Add(int64(12), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "\xff")
	f.Add(int64(0), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "")
	f.Add(int64(MaxLength), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "")
	f.Add(int64(MaxLength+1), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "")
	f.Add(int64(32), false, false, false, false, int64(0), int64(0), int64(0), int64(0), "")
	f.Add(int64(32), true, true, true, true, int64(-1), int64(0), int64(0), int64(0), "")
	f.Add(int64(32), true, true, true, true, int64(math.MaxInt64), int64(math.MaxInt64), int64(0), int64(0), "")
	f.Add(int64(10), true, true, true, true, int64(0), int64(0), int64(0), int64(0), "ab!")

	fields := map[string]bool{
		"": true, "length": true, "min_upper": true, "min_lower": true,
		"min_numeric": true, "min_special": true, "override_special": true,
	}
	f.Fuzz(func(t *testing.T, length int64, upper, lower, numeric, special bool,
		minUpper, minLower, minNumeric, minSpecial int64, override string,
	) {
		p := Policy{
			Length: length, Upper: upper, Lower: lower, Numeric: numeric, Special: special,
			MinUpper: minUpper, MinLower: minLower, MinNumeric: minNumeric, MinSpecial: minSpecial,
			OverrideSpecial: override,
		}
		if err := p.Validate(); err != nil {
			var pe *PolicyError
			if !errors.As(err, &pe) || pe.Message == "" || !fields[pe.Field] {
				t.Fatalf("Validate(%+v) = %#v, want a *PolicyError with a known field and a message", p, err)
			}
			if _, gerr := Generate(p); gerr == nil || gerr.Error() != err.Error() {
				t.Fatalf("Generate(%+v) error = %v, want the Validate error %v", p, gerr, err)
			}
			return
		}
		s, err := Generate(p)
		if err != nil {
			t.Fatalf("Generate(%+v) error = %v after Validate passed", p, err)
		}
		if err := meets(p, s); err != nil {
			t.Fatalf("policy %+v: %v", p, err)
		}
		if e := Entropy(p); math.IsNaN(e) || e < 0 || e > float64(p.Length)*21 {
			t.Fatalf("Entropy(%+v) = %v, want 0 to length × 21 bits (at most 2^21 runes)", p, e)
		}
	})
}

func BenchmarkGenerate32(b *testing.B) {
	p := DefaultPolicy()
	for b.Loop() {
		if _, err := Generate(p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestShuffleNoOrderBias checks that the shuffle keeps no trace of the input
// order. Under a uniform permutation of n elements the number of inversions
// has mean n(n-1)/4 and variance n(n-1)(2n+5)/72. Sorting on one random byte
// per element (terraform-provider-random's shuffle) leaves tied elements in
// their input order, which lowers the mean by about P(tie)/2 per pair: with
// n = 12 and 400000 runs that is about 11 standard errors. The test fails when
// the mean is more than 6 standard errors off (two-sided p ≈ 2e-9).
func TestShuffleNoOrderBias(t *testing.T) {
	const n, runs = 12, 400000
	src := newSource(rand.Reader)
	rs := make([]rune, n)
	total := 0
	for range runs {
		for i := range rs {
			rs[i] = rune(i)
		}
		if err := src.shuffle(rs); err != nil {
			t.Fatal(err)
		}
		for i := range rs {
			for j := i + 1; j < n; j++ {
				if rs[i] > rs[j] {
					total++
				}
			}
		}
	}
	mean := float64(total) / runs
	wantMean := float64(n*(n-1)) / 4
	se := math.Sqrt(float64(n*(n-1)*(2*n+5))/72) / math.Sqrt(runs)
	z := (mean - wantMean) / se
	t.Logf("mean inversions %.4f, want %.1f, z = %.2f", mean, wantMean, z)
	if math.Abs(z) > 6 {
		t.Fatalf("shuffle keeps input order: mean inversions %.4f, want %.1f (z = %.1f)", mean, wantMean, z)
	}
}

// TestGenerateAvoiding: no password holds an entry of the reject list in
// any case; a list that rules out every password is an error, not a loop.
func TestGenerateAvoiding(t *testing.T) {
	// Digits only, length 6: "123" and "456" would turn up often.
	p := Policy{Length: 6, Numeric: true}
	reject := []string{"123", "456", ""}
	for range 2000 {
		pw, err := GenerateAvoiding(p, reject)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(pw, "123") || strings.Contains(pw, "456") || len(pw) != 6 {
			t.Fatalf("got %q", pw)
		}
	}
	// Ignoring case: a lower-case entry rules out upper-case letters too.
	upperOnly := Policy{Length: 1, Upper: true}
	all := make([]string, 0, 26)
	for _, r := range LowerChars {
		all = append(all, string(r))
	}
	if pw, err := GenerateAvoiding(upperOnly, all); err == nil {
		t.Fatalf("every password is on the list, got %q and no error", pw)
	}
}
