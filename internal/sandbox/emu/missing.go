package emu

// Missing returns the values of want that list does not hold, for the
// tests of each emulator's Secrets.
func Missing(list []Secret, want ...string) []string {
	held := map[string]bool{}
	for _, s := range list {
		held[s.Value] = true
	}
	var out []string
	for _, w := range want {
		if !held[w] {
			out = append(out, w)
		}
	}
	return out
}
