package zato

import "time"

// ExpireSession makes one session token (ust) expired, as if its lifetime
// had run out (the next call with it answers E007001, or E005001 to the
// search), and reports whether it was known. Other sessions, those of tests
// running alongside, are left alone.
func (e *Emulator) ExpireSession(ust string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.sessions[ust]
	if !ok {
		return false
	}
	s.expires = time.Time{}
	return true
}

// SetSuperUser makes a user a super-user or takes that away, as `zato sso
// create-super-user` and an administrator would: its sessions then act
// with its new rights.
func (e *Emulator) SetSuperUser(userID string, v bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.users[userID]; ok {
		u.SuperUser = v
	}
}
