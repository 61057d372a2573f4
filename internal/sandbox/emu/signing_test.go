package emu

import (
	"encoding/hex"
	"net/url"
	"testing"
)

func TestSigningHelpers(t *testing.T) {
	if got := URIEncode("a b/ü~-_.", false); got != "a%20b%2F%C3%BC~-_." {
		t.Errorf("URIEncode = %q", got)
	}
	if got := URIEncode("/a b/", true); got != "/a%20b/" {
		t.Errorf("URIEncode keeping slashes = %q", got)
	}
	q := url.Values{"b": {"2", "1"}, "a": {"x y"}, "c/d": {""}}
	if got := CanonicalQuery(q); got != "a=x%20y&b=1&b=2&c%2Fd=" {
		t.Errorf("CanonicalQuery = %q", got)
	}
	// The SHA-256 of nothing, and RFC 4231 test case 2.
	if got := HexSHA256(nil); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("HexSHA256 = %q", got)
	}
	if got := hex.EncodeToString(HMACSHA256([]byte("Jefe"), "what do ya want for nothing?")); got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Errorf("HMACSHA256 = %q", got)
	}
}
