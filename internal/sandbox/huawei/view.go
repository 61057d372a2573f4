package huawei

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Users shows every user of the identity store and when it was last given a
// one-time password (from the requests recorded: Identity Center reports
// no password times), never the password itself (identity-sandbox users).
// A one-time password must be changed at first sign-in; its lifetime is not
// published.
func (e *Emulator) Users() []emu.UserView {
	otps, _ := e.resets()
	return emu.Users(&e.mu, e.users, func(_ string, u *userRecord) emu.UserView {
		v := emu.UserView{ID: u.ID, Name: u.UserName, State: "disabled", HasPassword: u.hasPwd}
		if u.Enabled {
			v.State = "enabled"
		}
		if at, ok := otps[u.ID]; ok {
			must := true
			v.LastChanged, v.MustChange = emu.TimeOf(at), &must
		}
		return v
	})
}

// Emails shows every reset email Identity Center would have sent (mode
// EMAIL), oldest first.
func (e *Emulator) Emails() []emu.EmailView {
	_, emails := e.resets()
	return emails
}

// resets reads the answered reset-password requests: the time of each
// user's last one-time password, and the emails.
func (e *Emulator) resets() (map[string]time.Time, []emu.EmailView) {
	otps := map[string]time.Time{}
	var emails []emu.EmailView
	for _, r := range e.Recorder.Match(http.MethodPost, "/reset-password") {
		rest, ok := strings.CutSuffix(r.Path, "/reset-password")
		i := strings.LastIndex(rest, "/users/")
		var req resetRequest
		if !ok || i < 0 || r.Status/100 != 2 || json.Unmarshal(r.Body, &req) != nil {
			continue
		}
		user := rest[i+len("/users/"):]
		if req.Mode == "EMAIL" {
			emails = append(emails, emu.EmailView{UserID: user, Kind: "reset_link", At: r.Time.UTC()})
		} else {
			otps[user] = r.Time
		}
	}
	return otps, emails
}
