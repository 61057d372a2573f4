package sandbox

import (
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

func TestSeedUsers(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	s.SeedUsers(3)
	s.SeedUsers(3)
	if _, ok := s.FinSpace.GetUser(emu.SeedName(3)); !ok {
		t.Error("FinSpace has no user0003")
	}
	if u, ok := s.Zato.GetUser("zusr5eed00000000000000003"); !ok || u.Username != emu.SeedName(3) || !u.Locked {
		t.Errorf("Zato user0003: %+v %v", u, ok)
	}
	if got := len(s.Huawei.SeedUsers(3)); got != 3 {
		t.Errorf("%d ids", got)
	}
}
