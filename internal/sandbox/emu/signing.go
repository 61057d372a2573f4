package emu

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// What AWS Signature Version 4 and Huawei Cloud's SDK-HMAC-SHA256 (modelled
// on it) share. The emulators verify signatures with this code, written from
// the published algorithms, rather than with the SDK signers the backends
// sign with: checking the SDK with itself would prove nothing.

// URIEncode percent-encodes every byte but RFC 3986's unreserved characters
// (A-Z a-z 0-9 - _ . ~) and, with keepSlash, '/', in upper-case hex.
func URIEncode(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 || (c == '/' && keepSlash) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// CanonicalQuery is the canonical query string: the parameters sorted by
// name, then by value, each name and value URI-encoded, joined with "&".
func CanonicalQuery(q url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range slices.Sorted(slices.Values(q[k])) {
			parts = append(parts, URIEncode(k, false)+"="+URIEncode(v, false))
		}
	}
	return strings.Join(parts, "&")
}

// HexSHA256 is the lower-case hex SHA-256 of b.
func HexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// HMACSHA256 is the HMAC-SHA256 of data with key.
func HMACSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
