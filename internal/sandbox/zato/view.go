package zato

import (
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Users shows every user of the Zato SSO REST emulator and what became of
// its password, never the password itself (identity-sandbox users).
func (e *Emulator) Users() []emu.UserView {
	return emu.Users(&e.mu, e.users, func(_ string, u *user) emu.UserView {
		state := "active"
		switch {
		case u.Locked:
			state = "locked"
		case u.Inactive:
			state = "inactive"
		}
		if u.SuperUser {
			state += ", super-user"
		}
		return passwordView(emu.UserView{ID: u.ID, Name: u.Username, State: state, HasPassword: u.Password != ""},
			u.MustChange, u.PasswordLastSet, u.PasswordExpiry)
	})
}

// CLIUsers shows the users of a fake server path of the CLI transport
// (addressed by username there), never their passwords.
func CLIUsers(serverPath string) ([]emu.UserView, error) {
	st, err := ReadCLIState(serverPath)
	if err != nil {
		return nil, err
	}
	out := make([]emu.UserView, 0, len(st.Users))
	for _, u := range st.Users {
		out = append(out, passwordView(emu.UserView{ID: u.Username, Name: u.Username, State: "active", HasPassword: u.Password != ""},
			u.MustChange, u.LastSet, u.Expiry))
	}
	return emu.SortUsers(out), nil
}

// passwordView completes v with the password's flags and times.
func passwordView(v emu.UserView, mustChange bool, lastSet, expiry time.Time) emu.UserView {
	if v.HasPassword {
		v.MustChange = &mustChange
		v.LastChanged, v.Expiry = emu.TimeOf(lastSet), emu.TimeOf(expiry)
	}
	return v
}
