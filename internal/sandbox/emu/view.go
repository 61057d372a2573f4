package emu

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// UserView is what the sandbox shows of one user of an emulator (the
// identity-sandbox users command, its loopback admin page): who it is and
// what happened to its password. It has no field for a password, a hash or
// a token, so none can be shown.
type UserView struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// State is e.g. "active", "locked", "inactive", "disabled".
	State       string     `json:"state,omitempty"`
	HasPassword bool       `json:"has_password"`
	LastChanged *time.Time `json:"last_changed,omitempty"`
	// MustChange is nil where the identity system has no such flag.
	MustChange *bool      `json:"must_change,omitempty"`
	Expiry     *time.Time `json:"expiry,omitempty"`
}

// EmailView is one email the identity system would have sent.
type EmailView struct {
	UserID string    `json:"user_id"`
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
}

// Users shows every user of an emulator's users map, read under its lock mu,
// as view has it (id is the map's key), ordered by id: what each
// emulator's Users is made of.
func Users[U any](mu *sync.Mutex, users map[string]U, view func(id string, u U) UserView) []UserView {
	mu.Lock()
	defer mu.Unlock()
	out := make([]UserView, 0, len(users))
	for id, u := range users {
		out = append(out, view(id, u))
	}
	return SortUsers(out)
}

// SortUsers orders views by id.
func SortUsers(views []UserView) []UserView {
	slices.SortFunc(views, func(a, b UserView) int { return strings.Compare(a.ID, b.ID) })
	return views
}

// FindUser returns the view of the user with the id.
func FindUser(views []UserView, id string) (UserView, bool) {
	for _, v := range views {
		if v.ID == id {
			return v, true
		}
	}
	return UserView{}, false
}

// TimeOf is t as a view's optional time (nil for the zero time).
func TimeOf(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Answered lists the times of the requests to method and path that were
// answered with a 2xx status and whose body holds bodyHas, oldest first.
func (r *Recorder) Answered(method, path, bodyHas string) []time.Time {
	var out []time.Time
	for _, req := range r.Match(method, path) {
		if req.Path == path && req.Status/100 == 2 && strings.Contains(string(req.Body), bodyHas) {
			out = append(out, req.Time.UTC())
		}
	}
	return out
}

// LastAnswered is the last of Answered (nil for none): when an emulator
// that keeps no time of its own last acted on a user.
func (r *Recorder) LastAnswered(method, path, bodyHas string) *time.Time {
	times := r.Answered(method, path, bodyHas)
	if len(times) == 0 {
		return nil
	}
	return &times[len(times)-1]
}
