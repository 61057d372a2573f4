package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

// TestSummarize counts top-level tests only, gives each skip its reason,
// shows the output of failed tests (and not of the others), and counts as a
// failure a test that never ended and a package that failed outside its
// tests.
func TestSummarize(t *testing.T) {
	events := strings.Join([]string{
		`{"Action":"start","Package":"p"}`,
		`{"Action":"output","Package":"p","Output":"acceptance tests on OpenTofu 1.12.6\n"}`,
		`{"Action":"output","Package":"r","Output":"testing: warning: no tests to run\n"}`,
		`{"Action":"output","Package":"r","Output":"PASS\n"}`,
		`{"Action":"output","Package":"r","Output":"ok  \tr\t0.1s [no tests to run]\n"}`,
		`{"Action":"run","Package":"p","Test":"TestAccA"}`,
		`{"Action":"output","Package":"p","Test":"TestAccA","Output":"=== RUN   TestAccA\n"}`,
		`{"Action":"run","Package":"p","Test":"TestAccA/idaas"}`,
		`{"Action":"output","Package":"p","Test":"TestAccA/idaas","Output":"    a_test.go:3: quiet\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestAccA/idaas"}`,
		`{"Action":"pass","Package":"p","Test":"TestAccA"}`,
		`{"Action":"run","Package":"p","Test":"TestAccSkipped"}`,
		`{"Action":"output","Package":"p","Test":"TestAccSkipped","Output":"    acc_x_test.go:108: OpenTofu 1.12.6 has no actions: skipping test\n"}`,
		`{"Action":"output","Package":"p","Test":"TestAccSkipped","Output":"--- SKIP: TestAccSkipped (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestAccSkipped"}`,
		`{"Action":"run","Package":"p","Test":"TestAccBroken"}`,
		`{"Action":"run","Package":"p","Test":"TestAccBroken/zato"}`,
		`{"Action":"output","Package":"p","Test":"TestAccBroken/zato","Output":"    b_test.go:9: the emulator recorded 2 PATCHes\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestAccBroken/zato"}`,
		`{"Action":"skip","Package":"p","Test":"TestAccBroken/idaas"}`,
		`{"Action":"output","Package":"p","Test":"TestAccBroken","Output":"--- FAIL: TestAccBroken (1.00s)\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestAccBroken"}`,
		`{"Action":"run","Package":"p","Test":"TestAccHung"}`,
		`{"Action":"output","Package":"p","Test":"TestAccHung","Output":"panic: test timed out\n"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t20.0s\n"}`,
		`{"Action":"fail","Package":"p"}`,
		`{"Action":"start","Package":"q"}`,
		`{"Action":"run","Package":"q","Test":"TestAccC"}`,
		`{"Action":"pass","Package":"q","Test":"TestAccC"}`,
		`{"Action":"output","Package":"q","Output":"secret scan: FAILED: 1 secrets found\n"}`,
		`{"Action":"fail","Package":"q"}`,
		`not JSON: passed on`,
	}, "\n")
	var out bytes.Buffer
	got, err := summarize(strings.NewReader(events), &out)
	if err != nil {
		t.Fatal(err)
	}
	if got.passed != 2 || got.failed != 3 || got.skipped != 1 {
		t.Errorf("counts %d passed, %d failed, %d skipped; want 2, 3, 1", got.passed, got.failed, got.skipped)
	}
	wantSkips := []skip{{"TestAccSkipped", "OpenTofu 1.12.6 has no actions: skipping test"}}
	if !slices.Equal(got.skips, wantSkips) {
		t.Errorf("skips %q, want %q", got.skips, wantSkips)
	}
	wantFailures := []string{"TestAccBroken", "TestAccHung (did not finish)", "package q (outside any test: its TestMain, e.g. the secret scan, or its build)"}
	if !slices.Equal(got.failures, wantFailures) {
		t.Errorf("failures %q, want %q", got.failures, wantFailures)
	}
	shown := out.String()
	for _, s := range []string{"acceptance tests on OpenTofu", "recorded 2 PATCHes", "--- FAIL: TestAccBroken", "panic: test timed out",
		"FAIL\tp", "secret scan: FAILED", "not JSON: passed on"} {
		if !strings.Contains(shown, s) {
			t.Errorf("the output lacks %q:\n%s", s, shown)
		}
	}
	for _, s := range []string{"quiet", "=== RUN", "skipping test", "no tests to run", "PASS"} {
		if strings.Contains(shown, s) {
			t.Errorf("the output shows %q of a test that did not fail:\n%s", s, shown)
		}
	}
}

// TestCountLineFormat: the count lines are what CI reads: an optional word
// and a colon, then "N passed, N failed", then ", N skipped".
func TestCountLineFormat(t *testing.T) {
	ci := regexp.MustCompile(`^(\w+: )?\d+ passed, \d+ failed(, \d+ skipped)?$`)
	tl := tally{passed: 412, failed: 0, skipped: 3}
	for _, label := range []string{"total", "unit", leg{cli: cliOf(t, "OpenTofu", "1.12.6")}.label(), leg{cli: cliOf(t, "Terraform", "1.11.4")}.label()} {
		if line := tl.line(label); !ci.MatchString(line) {
			t.Errorf("%q is not a count line CI reads", line)
		}
	}
	if got := (leg{cli: cliOf(t, "Terraform", "1.15.9")}).label(); got != "terraform_1_15_9" {
		t.Errorf("label %q, want terraform_1_15_9", got)
	}
}

// TestUnpackToolchain: binaries are unpacked and checked against
// SHA256SUMS, used as cached while their sum matches, unpacked again when a
// sum changes, and refused when they do not match it.
func TestUnpackToolchain(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil {
		t.Skip("no xz command")
	}
	dir, cache := t.TempDir(), filepath.Join(t.TempDir(), "cache")
	put := func(name, content string) string {
		raw := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(raw, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		xz, err := exec.Command("xz", "-c", raw).Output()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"_1.0.0_linux_amd64.xz"), xz, 0o600); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(content))
		return hex.EncodeToString(sum[:]) + "  " + name + "\n"
	}
	writeSums := func(lines ...string) {
		if err := os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(strings.Join(lines, "")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	unpack := func() (string, error) {
		var log bytes.Buffer
		paths, err := unpackToolchain(context.Background(), dir, cache, &log)
		if err == nil && !slices.Equal(paths, []string{filepath.Join(cache, "terraform"), filepath.Join(cache, "tofu")}) {
			t.Errorf("paths %q", paths)
		}
		return log.String(), err
	}

	tfSum, tofuSum := put("terraform", "terraform v1"), put("tofu", "tofu v1")
	writeSums(tofuSum, tfSum)
	if log, err := unpack(); err != nil || strings.Count(log, "unpacked from") != 2 {
		t.Fatalf("first unpack: %v\n%s", err, log)
	}
	if data, _ := os.ReadFile(filepath.Join(cache, "tofu")); string(data) != "tofu v1" {
		t.Fatalf("unpacked tofu holds %q", data)
	}
	if fi, _ := os.Stat(filepath.Join(cache, "tofu")); fi.Mode()&0o100 == 0 {
		t.Error("the unpacked binary is not executable")
	}
	if log, err := unpack(); err != nil || strings.Count(log, "cached") != 2 {
		t.Fatalf("second unpack (nothing changed): %v\n%s", err, log)
	}
	writeSums(put("tofu", "tofu v2"), tfSum)
	if log, err := unpack(); err != nil || !strings.Contains(log, "tofu: unpacked") || !strings.Contains(log, "terraform: cached") {
		t.Fatalf("after tofu's sum changed: %v\n%s", err, log)
	}
	put("tofu", "tofu v3") // the sum still says v2
	if err := os.Remove(filepath.Join(cache, "tofu")); err != nil {
		t.Fatal(err)
	}
	if _, err := unpack(); err == nil || !strings.Contains(err.Error(), "damaged or inconsistent") {
		t.Fatalf("a binary that does not match SHA256SUMS: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(cache, "tofu")); err == nil {
		t.Error("a binary that does not match SHA256SUMS was put in the cache")
	}
}

func cliOf(t *testing.T, kind, v string) sandbox.CLI {
	t.Helper()
	return sandbox.CLI{OpenTofu: kind == "OpenTofu", Version: version.Must(version.NewVersion(v))}
}
