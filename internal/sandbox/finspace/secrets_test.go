package finspace

import (
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

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
	emutest.CheckListed(t, "Secrets()", e.Secrets(), TestSecretAccessKey, TestSessionSecretAccessKey, TestSessionToken, TestAppUserSecretAccessKey, pw)
	if len(emu.Missing(e.Secrets(), TestAccessKeyID, "token-1")) != 2 {
		t.Error("Secrets() lists an access key id or a clientToken, which are not secret")
	}
}
