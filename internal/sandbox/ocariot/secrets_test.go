package ocariot

import (
	"net/http"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

// TestSecrets: the login passwords, an access token (whole and its
// signature) and the password set for a user since deleted are all listed.
func TestSecrets(t *testing.T) {
	e, srv := start(t)
	tok := login(t, srv, TestUsername, TestPassword)
	const pw = "New-Child-Passw0rd-1"
	if a := post(t, srv, resetPath(ChildUserID), tok, `{"new_password":"`+pw+`"}`); a.status != http.StatusNoContent {
		t.Fatalf("reset: HTTP %d %s", a.status, a.body)
	}
	e.DeleteUser(ChildUserID)
	sig := tok[strings.LastIndex(tok, ".")+1:]
	emutest.CheckListed(t, "Secrets()", e.Secrets(), TestPassword, TestNoScopePassword, tok, sig, pw)
	if header := tok[:strings.Index(tok, ".")]; len(emu.Missing(e.Secrets(), header)) == 0 {
		t.Error("Secrets() lists the token header, which every token shares")
	}
}
