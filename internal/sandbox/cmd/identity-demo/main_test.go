package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeCLI writes a stand-in for a Terraform (or OpenTofu) CLI that reports
// version v, prints what the real one prints for apply, apply -invoke,
// output and destroy (the outputs after each apply), and logs its
// arguments to log.
func fakeCLI(t *testing.T, name, v, log string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "terraform")
	script := `#!/bin/sh
echo "$*" >> ` + log + `
case "$1" in
version) echo "` + name + ` v` + v + `"; echo "on linux_amd64" ;;
apply)
  case "$*" in *-invoke=*) echo "Action started: action.identity_send_password_reset.alice (triggered by CLI)" ;; esac
  printf 'Apply complete! Resources: 0 added, 0 changed, 0 destroyed.\n\nOutputs:\n\nanswer = 42\n' ;;
output) echo "answer = 42" ;;
destroy) printf 'Plan: 0 to destroy.\nanswer = 42\nDestroy complete! Resources: 0 destroyed.\n' ;;
esac
`
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDemo: the demo runs the newest Terraform it is given (not OpenTofu),
// prints the outputs once, and invokes the action only where the CLI has
// actions.
func TestDemo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts")
	}
	provider := filepath.Join(t.TempDir(), "terraform-provider-identity")
	if err := os.WriteFile(provider, nil, 0o700); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join("..", "..", "..", "..", "examples", "demo")
	for _, tc := range []struct {
		name       string
		terraforms []string // versions given, in order
		want       string
		invokes    bool
	}{
		{"installed only", []string{"1.11.4"}, "Terraform 1.11.4", false},
		{"toolchain too", []string{"1.11.4", "1.15.9"}, "Terraform 1.15.9", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "calls.log")
			var clis []string
			for _, v := range tc.terraforms {
				clis = append(clis, fakeCLI(t, "Terraform", v, log))
			}
			clis = append(clis, fakeCLI(t, "OpenTofu", "1.99.0", log), filepath.Join(t.TempDir(), "not-unpacked"))
			var out strings.Builder
			if err := run(provider, config, clis, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			shown := out.String()
			if n := strings.Count(shown, "answer = 42"); n != 1 {
				t.Errorf("the outputs are printed %d times, want once:\n%s", n, shown)
			}
			if !strings.Contains(shown, "demo finished") || !strings.Contains(shown, "on "+tc.want) {
				t.Errorf("the demo did not run on %s:\n%s", tc.want, shown)
			}
			calls, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			invoked := strings.Contains(string(calls), "-invoke="+invokeAction)
			if invoked != tc.invokes || strings.Contains(shown, "Action started") != tc.invokes {
				t.Errorf("invoked the action: %t, want %t:\n%s", invoked, tc.invokes, shown)
			}
			if !tc.invokes && !strings.Contains(shown, "has no actions") {
				t.Errorf("the demo does not say why the action is left out:\n%s", shown)
			}
		})
	}
}
