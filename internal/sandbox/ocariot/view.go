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
	e.mu.Lock()
	out := make([]emu.UserView, 0, len(e.users))
	for id, u := range e.users {
		out = append(out, emu.UserView{ID: id, Name: u.username, State: u.subType, HasPassword: u.password != ""})
	}
	e.mu.Unlock()
	for i, v := range out {
		out[i].LastChanged = e.Recorder.LastAnswered(http.MethodPost, "/v1/users/"+v.ID+"/reset-password", "")
	}
	return emu.SortUsers(out)
}
