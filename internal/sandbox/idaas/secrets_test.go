package idaas

import "testing"

// TestSecrets: the shared secret, tokens (revoked ones too), passwords
// generated for a user since deleted, and received passwords (refused ones
// too) are all listed.
func TestSecrets(t *testing.T) {
	h := newHarness(t)
	alice, _ := h.e.CurrentPassword(UserAlice)
	tok := h.token()
	code, out := h.do("PUT", pwPath(UserBob), "Bearer "+tok, map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false})
	generated, _ := out["newPassword"].(string)
	if code != 200 || generated == "" {
		t.Fatalf("generating a password: %d %v", code, out)
	}
	const refused = "refused-received-password" // no upper case: refused by the policy
	if code, _ := h.do("PUT", pwPath(UserBob), "Bearer "+tok, map[string]any{"password": refused}); code == 200 {
		t.Fatal("the policy accepted a password without upper case or digit")
	}
	h.e.DeleteUser(UserBob)
	h.e.RevokeTokens()
	got := map[string]bool{}
	for _, s := range h.e.Secrets() {
		if s.Kind == "" {
			t.Error("a secret without a kind")
		}
		got[s.Value] = true
	}
	for name, want := range map[string]string{"shared secret": TestSharedSecret, "token": tok, "generated": generated, "refused": refused, "alice's": alice} {
		if !got[want] {
			t.Errorf("Secrets() lacks the %s password or token", name)
		}
	}
}
