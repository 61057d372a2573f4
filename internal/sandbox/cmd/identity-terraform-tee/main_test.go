package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunCopiesOutputAndExitCode(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out := filepath.Join(t.TempDir(), "TestAccX.terraform-output.log")
	var stdout, stderr bytes.Buffer
	code := run(sh, []string{"-c", "read l; echo out:$l; echo err >&2; exit 3"}, out, strings.NewReader("in\n"), &stdout, &stderr)
	if code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	if stdout.String() != "out:in\n" || stderr.String() != "err\n" {
		t.Errorf("stdout %q, stderr %q: not passed through", stdout.String(), stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"=== terraform -c read l;", "out:in\n", "err\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the copy lacks %q:\n%s", want, data)
		}
	}
}

func TestRunQuietCommandKeepsStdoutOut(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	// A script named "show" stands for `terraform show`: its stdout (state
	// JSON) must not be copied, its stderr must.
	dir := t.TempDir()
	script := filepath.Join(dir, "fake")
	if err := os.WriteFile(script, []byte("#!"+sh+"\necho state-json; echo warning >&2\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.log")
	var stdout, stderr bytes.Buffer
	if code := run(script, []string{"show", "-json"}, out, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "state-json") || !strings.Contains(string(data), "warning") {
		t.Errorf("copy of a quiet command:\n%s", data)
	}
	if stdout.String() != "state-json\n" {
		t.Errorf("stdout %q not passed through", stdout.String())
	}
}
