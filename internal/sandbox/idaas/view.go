package idaas

import (
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Users shows every user of the tenant and what became of its password,
// never the password itself (identity-sandbox users).
func (e *Emulator) Users() []emu.UserView {
	return emu.Users(&e.mu, e.users, func(_ string, u *userRecord) emu.UserView {
		v := emu.UserView{ID: u.ID, Name: u.UserID, State: strings.ToLower(u.State), HasPassword: u.present}
		if u.Locked {
			v.State += ", locked"
		}
		if u.present {
			must := u.forceUpdate
			v.LastChanged, v.MustChange = emu.TimeOf(u.lastChanged), &must
			if u.expiry != nil {
				v.Expiry = emu.TimeOf(*u.expiry)
			}
		}
		return v
	})
}

// Emails shows every email IDaaS would have sent, oldest first.
func (e *Emulator) Emails() []emu.EmailView {
	var out []emu.EmailView
	for _, m := range e.EmailsSent() {
		out = append(out, emu.EmailView{UserID: m.UserID, Kind: m.Kind, At: m.At.UTC()})
	}
	return out
}
