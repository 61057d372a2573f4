package huawei

import (
	"encoding/json"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

// TestSecrets: the secret keys and tokens accepted, the one-time password of
// a user since deleted and a password set behind Terraform's back are all
// listed.
func TestSecrets(t *testing.T) {
	e, h := newEmulator(t)
	e.AddTemporaryCredentials("HPUATEMPORARY0000001", "temporarySecretKey0123456789", "temporary-security-token-0123")
	w := serve(h, newRequest(t, "POST", userPath(TestIdentityStoreID, UserBob)+"/reset-password", `{"mode":"OTP"}`))
	var out struct{ Password string }
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 200 || out.Password == "" {
		t.Fatalf("reset: %d %s", w.Code, w.Body)
	}
	e.DeleteUser(UserBob)
	e.SetPasswordBehindBack(UserAlice, "Behind-The-Back-Pass-1")
	emutest.CheckListed(t, "Secrets()", e.Secrets(), TestSecretKey, "temporarySecretKey0123456789", "temporary-security-token-0123", out.Password, "Behind-The-Back-Pass-1")
}
