package zato

import (
	"net/http"
	"testing"
)

// TestSecrets: the seeded passwords, a session token and the password set
// for a user since deleted are all listed, and so are the fake CLI's.
func TestSecrets(t *testing.T) {
	e, srv := newServer(t)
	ust := login(t, srv, TestUsername, TestPassword)
	const pw = "Changed-By-Admin-4471"
	a := call(t, srv, http.MethodPatch, "/zato/sso/user/password",
		map[string]any{"ust": ust, "current_app": TestCurrentApp, "user_id": AliceUserID, "new_password": pw}, nil)
	if a.status != http.StatusOK || a.body["status"] != "ok" {
		t.Fatalf("change password: HTTP %d %s", a.status, a.raw)
	}
	e.DeleteUser(AliceUserID)
	got := map[string]bool{}
	for _, s := range e.Secrets() {
		got[s.Value] = true
	}
	for _, want := range []string{TestPassword, BobPassword, ust, pw} {
		if !got[want] {
			t.Errorf("Secrets() lacks a secret (%d characters)", len(want))
		}
	}

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
	got = map[string]bool{}
	for _, s := range cli {
		got[s.Value] = true
	}
	for _, want := range []string{AlicePassword, CarolPassword, "Cli-Behind-Back-7781"} {
		if !got[want] {
			t.Errorf("CLISecrets() lacks a password (%d characters)", len(want))
		}
	}
}
