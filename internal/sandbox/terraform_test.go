package sandbox

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestDetectCLI tells Terraform from OpenTofu by the line naming the CLI,
// wherever it is: OpenTofu prints a missing CLI configuration's warning
// first, on stdout.
func TestDetectCLI(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts")
	}
	for _, tc := range []struct{ out, want string }{
		{"Terraform v1.11.4\non linux_amd64\n", "Terraform 1.11.4"},
		{"Warning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\non linux_amd64\n", "OpenTofu 1.12.6"},
	} {
		cli := filepath.Join(t.TempDir(), "cli")
		script := "#!/bin/sh\n[ \"$1\" = version ] || exit 2\nprintf '" + strings.ReplaceAll(tc.out, "\n", `\n`) + "'\n"
		if err := os.WriteFile(cli, []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		got, err := DetectCLI(cli)
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != tc.want || got.Path != cli || got.OpenTofu != strings.HasPrefix(tc.want, "OpenTofu") {
			t.Errorf("DetectCLI = %+v (%s), want %s", got, got, tc.want)
		}
	}
	if _, err := DetectCLI(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("DetectCLI of a missing command succeeded")
	}
}

// TestTerraformEnvOverridesBothAddresses: the CLI configuration points
// Terraform's and OpenTofu's address of the provider at the local build, so
// that source = "identityops/identity" works with either CLI.
func TestTerraformEnvOverridesBothAddresses(t *testing.T) {
	sbx, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sbx.Close()
	work, providerDir := t.TempDir(), t.TempDir()
	env, err := sbx.TerraformEnv(work, providerDir)
	if err != nil {
		t.Fatal(err)
	}
	// For os/exec the last entry of a name wins.
	cliConfig := ""
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "TF_CLI_CONFIG_FILE="); ok {
			cliConfig = v
		}
	}
	rc, err := os.ReadFile(cliConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"registry.terraform.io/identityops/identity", "registry.opentofu.org/identityops/identity"} {
		if want := `"` + addr + `" = "` + providerDir + `"`; !strings.Contains(string(rc), want) {
			t.Errorf("the CLI configuration lacks %s:\n%s", want, rc)
		}
	}
}
