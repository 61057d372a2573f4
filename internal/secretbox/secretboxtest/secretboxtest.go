// Package secretboxtest makes the keys that tests of encrypt_to encrypt to.
package secretboxtest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"
)

// SSHKey makes an SSH key pair of the given kind: "ed25519", "rsa" (of
// bits) or "ecdsa" (P-256, which age cannot encrypt to). It returns the
// public key as an authorized_keys line with a user@host comment (which
// errors must not quote), and the age identity read from the OpenSSH
// private key file, as `age -d -i ~/.ssh/id_ed25519` reads it (nil for
// ecdsa).
func SSHKey(t testing.TB, kind string, bits int) (string, age.Identity) {
	t.Helper()
	var pub, priv any
	switch kind {
	case "ed25519":
		p, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = p, k
	case "rsa":
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = &k.PublicKey, k
	case "ecdsa":
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub = &k.PublicKey
	default:
		t.Fatalf("no SSH key kind %q", kind)
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))) + " ops@bastion.example"
	if priv == nil {
		return line, nil
	}
	block, err := ssh.MarshalPrivateKey(priv, "ops@bastion.example")
	if err != nil {
		t.Fatal(err)
	}
	id, err := agessh.ParseIdentity(pem.EncodeToMemory(block))
	if err != nil {
		t.Fatal(err)
	}
	return line, id
}
