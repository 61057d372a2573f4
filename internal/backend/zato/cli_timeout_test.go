package zato

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// TestCLITimeout: a zato command that hangs is stopped after the
// configured timeout (the provider's request_timeout), and the error says
// so and that the password may have changed.
func TestCLITimeout(t *testing.T) {
	dir := t.TempDir()
	hang := filepath.Join(dir, "zato")
	if err := os.WriteFile(hang, []byte("#!/bin/sh\nexec sleep 30\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := NewCLI(CLIConfig{ServerPath: dir, Command: hang, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: "alice", Password: "Some-Chosen-Passw0rd"})
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the command ran %s, past its timeout", took)
	}
	if err == nil || !strings.Contains(err.Error(), "after request_timeout (300ms)") || !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
		t.Fatalf("err = %v", err)
	}
}
