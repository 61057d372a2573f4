package idaas

import "github.com/identityops/terraform-provider-identity/internal/sandbox/emu"

// Secrets returns every secret the emulator knows, for the acceptance tests'
// secret scan: the test shared secret; every password set, generated or
// received (refused ones too) for any user, deleted users included; and
// every authToken issued. What crossed the wire comes from the recorder
// (requests and answers), the rest from the tenant's state.
func (e *Emulator) Secrets() []emu.Secret {
	var s emu.Secrets
	s.Add("IDaaS shared secret", TestSharedSecret)
	s.AddRecorded(e.Recorder,
		emu.Wire{Kind: "IDaaS shared secret (received)", Body: []string{"sharedSecret"}},
		emu.Wire{Kind: "IDaaS password (received)", Body: []string{"password", "currentPassword"}},
		emu.Wire{Kind: "IDaaS authToken", Header: "Authorization", Answer: []string{"authToken"}},
		emu.Wire{Kind: "IDaaS password (generated)", Answer: []string{"newPassword"}})
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range e.users {
		s.Add("IDaaS password", u.issued...)
		s.Add("IDaaS password", u.current.clear)
		for _, h := range u.history {
			s.Add("IDaaS password", h.clear)
		}
	}
	for tok := range e.tokens {
		s.Add("IDaaS authToken", tok)
	}
	return s.List()
}
