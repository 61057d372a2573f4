package secretbox

import (
	"errors"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/identityops/terraform-provider-identity/internal/secretbox/secretboxtest"
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

func TestParseRecipients_ssh(t *testing.T) {
	ed, edID := secretboxtest.SSHKey(t, "ed25519", 0)
	rsa2048, rsaID := secretboxtest.SSHKey(t, "rsa", 2048)
	rsa1024, _ := secretboxtest.SSHKey(t, "rsa", 1024)
	ecdsaKey, _ := secretboxtest.SSHKey(t, "ecdsa", 0)
	x, _ := age.GenerateX25519Identity()
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		in    []string
		index int    // of the error; -2: no error
		want  string // in the error
	}{
		{"ed25519", []string{ed}, -2, ""},
		{"rsa 2048", []string{rsa2048}, -2, ""},
		{"ssh and x25519", []string{ed, x.Recipient().String(), rsa2048}, -2, ""},
		{"rsa 1024", []string{x.Recipient().String(), rsa1024}, 1, "ssh-rsa key of 1024 bits: age needs at least 2048"},
		{"ecdsa", []string{ecdsaKey}, 0, "type ecdsa-sha2-nistp256, which age cannot encrypt to"},
		{"truncated", []string{ed[:40]}, 0, "not an SSH public key"},
		{"ssh with pq", []string{ed, pq.Recipient().String()}, -1, "cannot be mixed"},
		{"x25519 with pq", []string{pq.Recipient().String(), x.Recipient().String()}, -1, "cannot be mixed"},
		{"pq alone", []string{pq.Recipient().String()}, -2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := ParseRecipients(tc.in)
			if tc.index == -2 {
				if err != nil {
					t.Fatal(err)
				}
				if len(rs) != len(tc.in) {
					t.Fatalf("%d recipients for %d entries", len(rs), len(tc.in))
				}
				return
			}
			var rerr *RecipientError
			if !errors.As(err, &rerr) {
				t.Fatalf("err = %v, want a *RecipientError", err)
			}
			if rerr.Index != tc.index || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q at index %d, want %q at %d", err, rerr.Index, tc.want, tc.index)
			}
			for _, in := range tc.in {
				if f := strings.Fields(in); strings.Contains(err.Error(), "bastion") || strings.Contains(err.Error(), f[len(f)/2][4:24]) {
					t.Errorf("the error quotes a key: %q", err)
				}
			}
		})
	}

	// What is encrypted to SSH keys decrypts with their private keys, as
	// `age -d -i ~/.ssh/id_ed25519` does.
	rs, err := ParseRecipients([]string{ed, rsa2048})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Correct-Horse-Battery-Staple-9"
	ct, err := Encrypt(secret, rs)
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]age.Identity{"ed25519": edID, "rsa": rsaID} {
		if got, err := Decrypt(ct, id); err != nil || got != secret {
			t.Errorf("%s: decrypt: %v (match %t)", name, err, got == secret)
		}
	}
}
