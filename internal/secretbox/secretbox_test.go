package secretbox

import (
	"strings"
	"testing"

	"filippo.io/age"
)

func TestEncryptDecrypt(t *testing.T) {
	id1, _ := age.GenerateX25519Identity()
	id2, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	rs, err := ParseRecipients([]string{id1.Recipient().String(), id2.Recipient().String()})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Tr0ub4dor&3-correct-horse"
	ct, err := Encrypt(secret, rs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "-----BEGIN AGE ENCRYPTED FILE-----") || strings.Contains(ct, secret) {
		t.Fatalf("not an ASCII-armoured age file, or the plaintext shows")
	}
	for _, id := range []age.Identity{id1, id2} {
		got, err := Decrypt(ct, id)
		if err != nil || got != secret {
			t.Fatalf("decrypt with a recipient's identity: %v (match %t)", err, got == secret)
		}
	}
	if _, err := Decrypt(ct, other); err == nil {
		t.Fatal("decrypted with an identity that is not a recipient")
	}
}

func TestParseRecipients(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	for _, tc := range []struct {
		name string
		in   []string
		ok   bool
	}{
		{"one", []string{id.Recipient().String()}, true},
		{"none", nil, false},
		{"garbage", []string{"not-a-key"}, false},
		{"identity instead of recipient", []string{id.String()}, false},
		{"second bad", []string{id.Recipient().String(), "age1xyz"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRecipients(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %t", err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), "AGE-SECRET-KEY") {
				t.Fatal("the error echoes a secret key")
			}
		})
	}
}
