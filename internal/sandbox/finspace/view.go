package finspace

import (
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Users shows every FinSpace user and its temporary password's issue and
// expiry, never the password itself (identity-sandbox users). A temporary
// password must be changed at first login.
func (e *Emulator) Users() []emu.UserView {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]emu.UserView, 0, len(e.users))
	for _, u := range e.users {
		v := emu.UserView{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), State: strings.ToLower(u.Status), HasPassword: u.password != ""}
		if v.HasPassword {
			must := true
			v.LastChanged, v.MustChange = emu.TimeOf(u.issuedAt), &must
			v.Expiry = emu.TimeOf(u.issuedAt.Add(PasswordLifetime))
		}
		out = append(out, v)
	}
	return emu.SortUsers(out)
}
