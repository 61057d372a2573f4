package finspace

import (
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Users shows every FinSpace user and its temporary password's issue and
// expiry, never the password itself (identity-sandbox users). A temporary
// password must be changed at first login.
func (e *Emulator) Users() []emu.UserView {
	return emu.Users(&e.mu, e.users, func(_ string, u *userState) emu.UserView {
		v := emu.UserView{ID: u.ID, Name: strings.TrimSpace(u.FirstName + " " + u.LastName), State: strings.ToLower(u.Status), HasPassword: u.password != ""}
		if v.HasPassword {
			must := true
			v.LastChanged, v.MustChange = emu.TimeOf(u.issuedAt), &must
			v.Expiry = emu.TimeOf(u.issuedAt.Add(PasswordLifetime))
		}
		return v
	})
}
