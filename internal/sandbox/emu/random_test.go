package emu

import (
	"strings"
	"testing"
)

func TestPasswordRule(t *testing.T) {
	rule := PasswordRule{Length: 16, Classes: []string{Upper, Lower, Digits, "!#"}}
	seen := map[string]bool{}
	for range 200 {
		pw := rule.Generate()
		if len(pw) != 16 || seen[pw] {
			t.Fatalf("password %q: wrong length or drawn twice", pw)
		}
		seen[pw] = true
		for _, c := range rule.Classes {
			if !strings.ContainsAny(pw, c) {
				t.Fatalf("password %q has no character of %q", pw, c)
			}
		}
		if strings.Trim(pw, Upper+Lower+Digits+"!#") != "" {
			t.Fatalf("password %q has a character of no class", pw)
		}
	}
	// The guaranteed characters are not always first.
	first := map[byte]bool{}
	for range 200 {
		first[rule.Generate()[0]] = true
	}
	if len(first) < 10 {
		t.Errorf("only %d different first characters in 200 draws", len(first))
	}
	// Fewer characters than classes: one of each all the same.
	if pw := (PasswordRule{Length: 1, Classes: []string{"a", "b"}}).Generate(); len(pw) != 2 {
		t.Errorf("Generate = %q, want one character of each class", pw)
	}
}

func TestRandomHex(t *testing.T) {
	a, b := RandomHex(16), RandomHex(16)
	if len(a) != 32 || a == b || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("RandomHex(16) = %q, %q", a, b)
	}
}
