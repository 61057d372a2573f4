package ocariot

import (
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Secrets returns every secret the emulator knows, for the acceptance tests'
// secret scan: the login users' passwords, every password set or received
// (refused ones too) for any user, deleted users included, and every access
// token issued or presented. A token is listed whole and by its signature:
// its header and claims are not secret (every token shares the header).
func (e *Emulator) Secrets() []emu.Secret {
	var s emu.Secrets
	s.Add("OCARIoT login password", TestPassword, TestNoScopePassword)
	token := func(t string) {
		s.Add("OCARIoT access token", t)
		if parts := strings.Split(t, "."); len(parts) == 3 {
			s.Add("OCARIoT access token signature", parts[2])
		}
	}
	s.AddRecorded(e.Recorder,
		emu.Wire{Kind: "OCARIoT login password (received)", Body: []string{"password"}},
		emu.Wire{Kind: "OCARIoT password (received)", Body: []string{"new_password"}})
	for _, r := range e.Recorder.Requests() {
		token(emu.BearerToken(r.Header.Get("Authorization")))
		for _, t := range emu.JSONStrings(r.Response, "access_token") {
			token(t)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range e.users {
		s.Add("OCARIoT password", u.password)
		s.Add("OCARIoT password", u.issued...)
	}
	return s.List()
}
