package sandbox

import "github.com/identityops/terraform-provider-identity/internal/sandbox/emu"

// Secrets returns every secret the five emulators know (see each
// emulator's Secrets): what the acceptance tests' secret scan looks for.
func (s *Sandbox) Secrets() []emu.Secret {
	var out []emu.Secret
	out = append(out, s.IDaaS.Secrets()...)
	out = append(out, s.FinSpace.Secrets()...)
	out = append(out, s.Huawei.Secrets()...)
	out = append(out, s.OCARIoT.Secrets()...)
	out = append(out, s.Zato.Secrets()...)
	return out
}
