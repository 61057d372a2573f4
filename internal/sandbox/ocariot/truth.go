package ocariot

import "strings"

// RevokeToken makes the gateway refuse one access token as expired (401
// with the gateway's expired-token description), as if its exp had passed,
// without moving the clock that every test shares, until a login issues
// the same token again. The header value is accepted as sent ("Bearer
// <token>") or bare.
func (e *Emulator) RevokeToken(authorization string) {
	tok, ok := bearerToken(authorization)
	if !ok {
		tok = strings.TrimSpace(authorization)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.revoked == nil {
		e.revoked = map[string]bool{}
	}
	e.revoked[tok] = true
}
