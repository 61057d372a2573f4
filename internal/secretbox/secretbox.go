// Package secretbox encrypts generated passwords to age recipients, so that
// state holds only ASCII-armoured ciphertext (encrypt_to).
package secretbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// ParseRecipients parses age recipients, one per string: native X25519
// ("age1...") and post-quantum ("age1pq1...") recipients, which is what
// age.ParseRecipients takes (SSH public keys are not accepted: they would need
// filippo.io/age/agessh). The error names the index of the offending entry,
// never its value.
func ParseRecipients(list []string) ([]age.Recipient, error) {
	if len(list) == 0 {
		return nil, errors.New("at least one recipient is needed")
	}
	var out []age.Recipient
	for i, s := range list {
		rs, err := age.ParseRecipients(strings.NewReader(s))
		if err != nil || len(rs) != 1 {
			if err == nil {
				err = fmt.Errorf("expected exactly one recipient, found %d", len(rs))
			}
			return nil, fmt.Errorf("element %d is not an age recipient (such as age1...): %w", i, err)
		}
		out = append(out, rs[0])
	}
	return out, nil
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
