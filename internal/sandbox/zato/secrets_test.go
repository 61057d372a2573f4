package zato

import (
	"net/http"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

// TestSecrets: the seeded passwords, a session token and the password set
// for a user since deleted are all listed, and so are the fake CLI's.
func TestSecrets(t *testing.T) {
	e, srv := newServer(t)
	ust := login(t, srv, TestUsername, TestPassword)
	const pw = "Changed-By-Admin-4471"
	a := call(t, srv, http.MethodPatch, "/zato/sso/user/password",
		map[string]any{"ust": ust, "current_app": TestCurrentApp, "user_id": AliceUserID, "new_password": pw})
	if a.status != http.StatusOK || a.body["status"] != "ok" {
		t.Fatalf("change password: HTTP %d %s", a.status, a.raw)
	}
	e.DeleteUser(AliceUserID)
	emutest.CheckListed(t, "Secrets()", e.Secrets(), TestPassword, BobPassword, ust, pw)

	dir := t.TempDir()
	if err := CreateCLIServer(dir); err != nil {
		t.Fatal(err)
	}
	if err := SetCLIPasswordBehindBack(dir, AliceUsername, "Cli-Behind-Back-7781"); err != nil {
		t.Fatal(err)
	}
	cli, err := CLISecrets(dir)
	if err != nil {
		t.Fatal(err)
	}
	emutest.CheckListed(t, "CLISecrets()", cli, AlicePassword, CarolPassword, "Cli-Behind-Back-7781")
}
