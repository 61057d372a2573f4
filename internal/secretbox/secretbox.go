// Package secretbox encrypts generated passwords to age recipients, so that
// state holds only ASCII-armoured ciphertext (encrypt_to).
package secretbox

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

// MinRSABits is the smallest ssh-rsa key age encrypts to (agessh refuses
// smaller ones).
const MinRSABits = 2048

// RecipientError is a problem with the recipient list. Its message names
// the offending entry by index and never quotes it: a pasted identity would
// be a secret key, and an SSH key's comment often names a user and a host.
type RecipientError struct {
	// Index is the offending entry, or -1 when the list as a whole is at
	// fault (empty, or recipients that age refuses to mix).
	Index int
	// Reason says what is wrong, without the value: a phrase that follows
	// "element N" ("is an ssh-rsa key of 1024 bits: ...") or, for the whole
	// list, a sentence fragment.
	Reason string
}

func (e *RecipientError) Error() string {
	if e.Index < 0 {
		return e.Reason
	}
	return fmt.Sprintf("element %d %s", e.Index, e.Reason)
}

// ParseRecipients parses age recipients, one per string: native X25519
// ("age1..."), post-quantum ("age1pq1...", what age.ParseRecipients takes)
// and SSH public keys in authorized_keys form ("ssh-ed25519 AAAA... [comment]"
// or "ssh-rsa AAAA... [comment]" of at least 2048 bits, what
// agessh.ParseRecipient takes). Post-quantum recipients cannot be mixed with
// the others: age refuses, since the file would then be only as strong as a
// classic one. Errors are *RecipientError.
func ParseRecipients(list []string) ([]age.Recipient, error) {
	if len(list) == 0 {
		return nil, &RecipientError{Index: -1, Reason: "at least one recipient is needed"}
	}
	var out []age.Recipient
	for i, s := range list {
		r, err := parseRecipient(s)
		if err != nil {
			return nil, &RecipientError{Index: i, Reason: err.Error()}
		}
		out = append(out, r)
	}
	// age checks that the recipients can be used together when it writes a
	// file's header: ask it now, with nothing to encrypt, so that a refused
	// mix is known before any password is set.
	if _, err := age.Encrypt(io.Discard, out...); err != nil {
		return nil, &RecipientError{Index: -1, Reason: "the recipients cannot be used together: " +
			"post-quantum recipients (age1pq1...) cannot be mixed with X25519 (age1...) or SSH recipients, " +
			"or the file would be only as strong as a classic one (age: " + err.Error() + ")"}
	}
	return out, nil
}

// parseRecipient parses one recipient; its error is a phrase completing
// "element N ...", without the value.
func parseRecipient(s string) (age.Recipient, error) {
	trimmed := strings.TrimSpace(s)
	if strings.HasPrefix(trimmed, "ssh-") || strings.HasPrefix(trimmed, "ecdsa-") || strings.HasPrefix(trimmed, "sk-") {
		return parseSSHRecipient(trimmed)
	}
	// age's own errors quote the value: they are not passed on.
	rs, err := age.ParseRecipients(strings.NewReader(s))
	switch {
	case err != nil:
		return nil, errors.New("is not an age recipient (such as age1... or ssh-ed25519 AAAA...)")
	case len(rs) != 1:
		return nil, fmt.Errorf("is not one age recipient: it holds %d", len(rs))
	}
	return rs[0], nil
}

// parseSSHRecipient parses an authorized_keys line. The key is parsed here
// first (golang.org/x/crypto/ssh, as agessh does) only to word the errors:
// agessh's quote the whole line, comment included.
func parseSSHRecipient(line string) (age.Recipient, error) {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return nil, errors.New("is not an SSH public key in authorized_keys form (ssh-ed25519 AAAA... or ssh-rsa AAAA...)")
	}
	switch t := pub.Type(); t {
	case ssh.KeyAlgoED25519:
	case ssh.KeyAlgoRSA:
		if ck, ok := pub.(ssh.CryptoPublicKey); ok {
			if k, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && k.N.BitLen() < MinRSABits {
				return nil, fmt.Errorf("is an ssh-rsa key of %d bits: age needs at least %d; use a longer RSA key or an ssh-ed25519 key", k.N.BitLen(), MinRSABits)
			}
		}
	default:
		return nil, fmt.Errorf("is an SSH key of type %s, which age cannot encrypt to: use ssh-ed25519, ssh-rsa (2048 bits or more) or an age1... recipient", t)
	}
	r, err := agessh.ParseRecipient(line)
	if err != nil {
		return nil, errors.New("is an SSH public key that age refuses as a recipient")
	}
	return r, nil
}

// Encrypt encrypts plaintext to the recipients and returns the
// ASCII-armoured age file.
func Encrypt(plaintext string, recipients []age.Recipient) (string, error) {
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, recipients...)
	if err != nil {
		return "", err
	}
	if _, err := io.WriteString(w, plaintext); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := aw.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// Decrypt reverses Encrypt with the given identities (tests and tooling).
func Decrypt(armored string, identities ...age.Identity) (string, error) {
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(armored)), identities...)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
