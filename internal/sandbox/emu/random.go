package emu

import (
	"crypto/rand"
	"encoding/hex"
	"math/big"
)

// Character classes the emulators' password rules draw from. Upper, Lower
// and Digits leave out the look-alikes (I, O, l, 0, 1), as the vendors'
// generators do.
const (
	Upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	Lower  = "abcdefghijkmnopqrstuvwxyz"
	Digits = "23456789"
	// Base64URL is the URL-safe base64 alphabet (RFC 4648 §5).
	Base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// PasswordRule is how an identity system generates a password: Length
// characters, at least one from each of Classes and the rest from any of
// them, in random order, all from crypto/rand. Each emulator declares the
// rule of the service it emulates.
type PasswordRule struct {
	Length  int
	Classes []string
}

// Generate draws a password by the rule.
func (p PasswordRule) Generate() string {
	var all string
	out := make([]byte, 0, max(p.Length, len(p.Classes)))
	for _, c := range p.Classes {
		all += c
		out = append(out, c[RandomInt(len(c))])
	}
	for len(out) < p.Length {
		out = append(out, all[RandomInt(len(all))])
	}
	// Fisher–Yates, so that the guaranteed characters are not always first.
	for i := len(out) - 1; i > 0; i-- {
		j := RandomInt(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// RandomInt is a uniform crypto/rand integer in [0, n).
func RandomInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return int(v.Int64())
}

// RandomBytes is n bytes from crypto/rand.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

// RandomHex is n random bytes in hexadecimal (2n characters): tokens and
// request ids.
func RandomHex(n int) string {
	return hex.EncodeToString(RandomBytes(n))
}
