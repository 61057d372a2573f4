package sandbox

// SeedUsers adds n users to every emulator, for listings longer than a
// page: user0001 to userNNNN in each, with fixed ids, so that seeding again
// replaces them rather than adding more (see each emulator's SeedUsers for
// its ids and which are disabled or locked). The Zato CLI's fake command
// keeps its own users.
func (s *Sandbox) SeedUsers(n int) {
	s.IDaaS.SeedUsers(n)
	s.FinSpace.SeedUsers(n)
	s.Huawei.SeedUsers(n)
	s.OCARIoT.SeedUsers(n)
	s.Zato.SeedUsers(n)
}
