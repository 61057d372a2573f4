package finspace

import "github.com/identityops/terraform-provider-identity/internal/sandbox/emu"

// Secrets returns every secret the emulator knows, for the acceptance tests'
// secret scan: the secret access keys and session token it accepts, and
// every temporary password issued to any user, deleted users included (the
// recorder keeps the answers). Access key ids and clientTokens are not
// secrets.
func (e *Emulator) Secrets() []emu.Secret {
	var s emu.Secrets
	s.AddRecorded(e.Recorder,
		emu.Wire{Kind: "FinSpace temporary password", Answer: []string{"temporaryPassword"}},
		emu.Wire{Kind: "AWS session token (received)", Header: "X-Amz-Security-Token"})
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.keys {
		s.Add("AWS secret access key", p.secret)
		s.Add("AWS session token", p.sessionToken)
	}
	for _, u := range e.users {
		s.Add("FinSpace temporary password", u.password)
		s.Add("FinSpace temporary password", u.issued...)
		for _, use := range u.tokens {
			s.Add("FinSpace temporary password", use.password)
		}
	}
	return s.List()
}
