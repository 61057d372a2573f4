package provider

import (
	"strings"
	"testing"
)

// TestUserIDProblem: the plan-time message for a malformed user id is one
// sentence of the provider's own, ending in one full stop, for every
// backend (OCARIoT's once quoted the service's "24-byte" wording and ended
// in two).
func TestUserIDProblem(t *testing.T) {
	for _, be := range matrixBackends() {
		for _, id := range []string{"", "not an id/../x", "507f191e810c19729de860e", "-option"} {
			err := be.ValidateUserID(id)
			if err == nil {
				continue
			}
			msg := userIDProblem(be, err)
			if !strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "..") || strings.Contains(msg, "24-byte") ||
				!strings.HasPrefix(msg, be.Name()+" expects ") {
				t.Errorf("%s, id %q: %q", be.Name(), id, msg)
			}
		}
	}
}
