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
	for _, r := range e.Recorder.Requests() {
		s.Add("IDaaS shared secret (received)", emu.JSONStrings(r.Body, "sharedSecret")...)
		s.Add("IDaaS password (received)", emu.JSONStrings(r.Body, "password", "currentPassword")...)
		s.Add("IDaaS authToken", emu.BearerToken(r.Header.Get("Authorization")))
		s.Add("IDaaS authToken", emu.JSONStrings(r.Response, "authToken")...)
		s.Add("IDaaS password (generated)", emu.JSONStrings(r.Response, "newPassword")...)
	}
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
