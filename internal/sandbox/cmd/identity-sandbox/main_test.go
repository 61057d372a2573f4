package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// TestUsers: `identity-sandbox users` reads the running sandbox's admin
// page through the address the sandbox wrote, as text or JSON, and says
// what to do when no sandbox runs.
func TestUsers(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := users(dir, false, &out); err == nil || !strings.Contains(err.Error(), "no sandbox is running") {
		t.Fatalf("without a sandbox: %v", err)
	}
	sbx, err := sandbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sbx.Close()
	url, stop, err := sbx.ServeAdmin("")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := os.WriteFile(filepath.Join(dir, "admin.url"), []byte(url+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := users(dir, false, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), idaasemu.UserAlice+"  alice") {
		t.Errorf("the users output lacks the seeded IDaaS user alice:\n%s", out.String())
	}
	out.Reset()
	if err := users(dir, true, &out); err != nil {
		t.Fatal(err)
	}
	var views []sandbox.SystemView
	if err := json.Unmarshal(out.Bytes(), &views); err != nil || len(views) != 5 {
		t.Fatalf("JSON: %d systems, %v", len(views), err)
	}
}
