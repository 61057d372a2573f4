package finspace

import "testing"

// TestSecrets: the secret keys, the session token and the temporary
// password of a user since deleted are all listed.
func TestSecrets(t *testing.T) {
	e, srv := newServer(t)
	a := reset(t, srv, e, AppUserID, "token-1")
	pw, _ := a.body["temporaryPassword"].(string)
	if a.status != 200 || pw == "" {
		t.Fatalf("reset: %d %v", a.status, a.body)
	}
	e.DeleteUser(AppUserID)
	got := map[string]bool{}
	for _, s := range e.Secrets() {
		got[s.Value] = true
	}
	for _, want := range []string{TestSecretAccessKey, TestSessionSecretAccessKey, TestSessionToken, TestAppUserSecretAccessKey, pw} {
		if !got[want] {
			t.Errorf("Secrets() lacks a secret (%d characters)", len(want))
		}
	}
	if got[TestAccessKeyID] || got["token-1"] {
		t.Error("Secrets() lists an access key id or a clientToken, which are not secret")
	}
}
