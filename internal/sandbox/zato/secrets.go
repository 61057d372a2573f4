package zato

import "github.com/identityops/terraform-provider-identity/internal/sandbox/emu"

// Secrets returns every secret the REST emulator knows, for the acceptance
// tests' secret scan: the seeded passwords, every password set, seeded or
// received (refused ones too) for any user, deleted users included, and
// every session token (ust) issued or presented. The fake CLI keeps its own
// state: see CLISecrets.
func (e *Emulator) Secrets() []emu.Secret {
	var s emu.Secrets
	s.Add("Zato super-user password", TestPassword)
	s.Add("Zato seeded password", AlicePassword, BobPassword, CarolPassword)
	passwords := []string{"password", "new_password", "old_password"}
	s.AddRecorded(e.Recorder,
		emu.Wire{Kind: "Zato password (received)", Body: passwords, Query: passwords},
		emu.Wire{Kind: "Zato session token", Body: []string{"ust"}, Query: []string{"ust"}, Answer: []string{"ust"}})
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range e.users {
		s.Add("Zato password", u.Password)
		s.Add("Zato password", u.issued...)
	}
	s.Add("Zato session token", e.usts...)
	for ust := range e.sessions {
		s.Add("Zato session token", ust)
	}
	return s.List()
}

// CLISecrets returns every password the fake CLI's state at serverPath
// holds: each user's current one and every one it has had.
func CLISecrets(serverPath string) ([]emu.Secret, error) {
	st, err := ReadCLIState(serverPath)
	if err != nil {
		return nil, err
	}
	var s emu.Secrets
	for _, u := range st.Users {
		s.Add("Zato CLI password", u.Password)
		s.Add("Zato CLI password", u.Issued...)
	}
	return s.List(), nil
}
