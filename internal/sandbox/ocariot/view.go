package ocariot

import (
	"net/http"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Users shows every user of the account service and when its password was
// last set through the API (from the requests recorded: OCARIoT keeps no
// such time, and has no expiry or must-change flag), never the password
// itself (identity-sandbox users).
func (e *Emulator) Users() []emu.UserView {
	out := emu.Users(&e.mu, e.users, func(id string, u *user) emu.UserView {
		return emu.UserView{ID: id, Name: u.username, State: u.subType, HasPassword: u.password != ""}
	})
	// The recorder has a lock of its own: read it after e.mu is released.
	for i, v := range out {
		out[i].LastChanged = e.Recorder.LastAnswered(http.MethodPost, "/v1/users/"+v.ID+"/reset-password", "")
	}
	return out
}
