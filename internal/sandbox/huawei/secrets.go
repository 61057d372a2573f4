package huawei

import "github.com/identityops/terraform-provider-identity/internal/sandbox/emu"

// Secrets returns every secret the emulator knows, for the acceptance tests'
// secret scan: the secret keys and security tokens it accepts (tests add
// some), every one-time password issued to any user, deleted users included
// (the recorder keeps the answers), and passwords set behind Terraform's
// back. Access keys are not secrets.
func (e *Emulator) Secrets() []emu.Secret {
	var s emu.Secrets
	s.Add("Huawei secret key", TestSecretKey)
	e.mu.Lock()
	for _, u := range e.users {
		s.Add("Huawei one-time password", u.issued...)
		s.Add("Huawei password", u.password)
	}
	for _, c := range e.creds {
		s.Add("Huawei secret key", c.secretKey)
		s.Add("Huawei security token", c.token)
	}
	e.mu.Unlock()
	s.AddRecorded(e.Recorder,
		emu.Wire{Kind: "Huawei one-time password", Answer: []string{"password"}},
		emu.Wire{Kind: "Huawei security token (received)", Header: headerToken})
	return s.List()
}
