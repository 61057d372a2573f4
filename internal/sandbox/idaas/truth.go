package idaas

import (
	"strings"
	"time"
)

// ExpireToken makes one authToken expired, as if its lifetime had run out
// (the next call with it answers 401 AUTHORIZATION_TOKEN_EXPIRED), and
// reports whether the token was known. The header value is accepted as sent,
// with or without "Bearer ". Unlike RevokeTokens it leaves the tokens of
// other clients alone, so tests running alongside are not disturbed.
func (e *Emulator) ExpireToken(authorization string) bool {
	tok := strings.TrimSpace(authorization)
	if len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
		tok = strings.TrimSpace(tok[7:])
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.tokens[tok]; !ok {
		return false
	}
	e.tokens[tok] = time.Time{}
	return true
}
