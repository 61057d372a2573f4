package ocariot

import (
	"strings"
	"testing"
)

// TestGuideQuotesMissingUser: the guide quotes, as the one 404 that is a
// missing user, the very message the backend takes for one.
func TestGuideQuotesMissingUser(t *testing.T) {
	for _, q := range (&Backend{}).Guide().Quirks {
		if strings.Contains(q.Provider, "Only `"+msgUserNotFound+"` is a missing user") {
			return
		}
	}
	t.Errorf("no quirk says that only %q is a missing user", msgUserNotFound)
}
