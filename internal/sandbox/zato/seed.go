package zato

import (
	"fmt"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// SeedUsers adds n regular users for listing tests, user0001 to userNNNN
// (user_ids zusr5eed0000000000000NNNN, emails userNNNN@example.com, the
// password "Seeded-Passw0rd-NNNN"); every third is locked. It returns their
// user_ids in username order.
func (e *Emulator) SeedUsers(n int) []string {
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		name := emu.SeedName(i)
		ids = append(ids, e.AddUser(User{ID: fmt.Sprintf("zusr5eed%017d", i), Username: name, Email: name + "@example.com",
			Password: fmt.Sprintf("Seeded-Passw0rd-%04d", i), Locked: i%3 == 0}))
	}
	return ids
}
