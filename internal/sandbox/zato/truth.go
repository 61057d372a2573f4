package zato

import "time"

// ExpireSession makes one session token (ust) expired, as if its lifetime
// had run out (the next call with it answers E007002), and reports whether
// it was known. Other sessions, those of tests running alongside, are left
// alone.
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
