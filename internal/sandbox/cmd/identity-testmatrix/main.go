// Command identity-testmatrix is `make test`: the unit tests once, then the
// acceptance suite on each CLI it finds, one after the other (two legs side
// by side gain nothing on two cores): the installed Terraform, the oldest
// supported, and each CLI of the toolchain folder (Terraform 1.15.9 and
// OpenTofu 1.12.6), unpacked into a cache folder and checked against the
// folder's SHA256SUMS. Then it runs the commands given with -then (the
// bounded fuzz run and the bench smoke test).
//
// Each run ends with a line CI reads, over top-level tests,
//
//	<label>: N passed, N failed, N skipped
//
// followed by the skipped tests with their reasons; the last line is
// "total: ..." over them all, in which a failed -then command, a package
// that failed outside its tests (the secret scan) and a missing leg under
// -require-all-legs count as failures.
//
// Without the toolchain folder only the installed Terraform runs, and the
// output says which legs were left out; -require-all-legs (make test
// REQUIRE_ALL_LEGS=1, as .ci/run calls it) makes that a failure.
//
// With -unpack-only it only unpacks the toolchain (make toolchain), if the
// folder exists.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

type options struct {
	terraform, toolchain, cache  string
	requireAll, unpackOnly, unit bool
	timeout, parallel            string
	// acc selects the acceptance tests (go test -run), load those of them
	// that run on the first leg only.
	acc, load string
	then      []string
}

type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, "; ") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	var o options
	flag.StringVar(&o.terraform, "terraform", "", "the installed Terraform CLI (the oldest supported)")
	flag.StringVar(&o.toolchain, "toolchain", "", "the folder of the extra legs' CLIs: SHA256SUMS and <name>_*.xz")
	flag.StringVar(&o.cache, "cache", ".cache/toolchain", "where the toolchain is unpacked")
	flag.BoolVar(&o.requireAll, "require-all-legs", false, "fail when the toolchain folder is missing")
	flag.BoolVar(&o.unpackOnly, "unpack-only", false, "only unpack the toolchain, if the folder exists")
	flag.BoolVar(&o.unit, "unit", true, "run the unit tests first (-unit=false: the acceptance legs only)")
	flag.StringVar(&o.timeout, "timeout", "20m", "go test -timeout")
	flag.StringVar(&o.parallel, "parallel", "4", "go test -parallel")
	flag.StringVar(&o.acc, "acc", "^(TestAcc[A-Z]|TestLoad_)", "the acceptance tests: the unit run skips them, each leg runs them")
	flag.StringVar(&o.load, "load", "^TestLoad_", "the acceptance tests that only the first leg runs")
	flag.Var((*stringsFlag)(&o.then), "then", "a shell command to run after the legs (repeatable)")
	flag.Parse()
	code, err := run(context.Background(), o, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "make test:", err)
		code = 1
	}
	os.Exit(code)
}

// leg is one CLI the acceptance suite runs on.
type leg struct {
	cli   sandbox.CLI
	where string
}

// label is the leg's word in the count line: terraform_1_11_4, opentofu_1_12_6.
func (l leg) label() string {
	return strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(l.cli.String(), " ", "_"), ".", "_"))
}

func run(ctx context.Context, o options, out io.Writer) (int, error) {
	start := time.Now()
	legs, leftOut, err := findLegs(ctx, o, out)
	if err != nil {
		return 1, err
	}
	if o.unpackOnly {
		return 0, nil
	}
	var total tally
	if leftOut != "" && o.requireAll {
		return 1, errors.New(leftOut + "; -require-all-legs (REQUIRE_ALL_LEGS=1) makes that an error")
	}

	if o.unit {
		fmt.Fprintln(out, "==> unit tests (go test ./..., acceptance tests skipped)")
		unit, err := goTest(ctx, o, out, nil, "-skip", o.acc, "./...")
		if err != nil {
			return 1, err
		}
		fmt.Fprint(out, unit.report("unit"))
		total.add(unit)
	}

	for i, l := range legs {
		legStart := time.Now()
		args := []string{"-run", o.acc, "./..."}
		load := "with the load test"
		if i > 0 {
			args = append(args, "-skip", o.load)
			load = "without the load test (the first leg runs it)"
		}
		fmt.Fprintf(out, "==> acceptance tests on %s (%s, %s), %s\n", l.cli, l.cli.Path, l.where, load)
		env := []string{"TF_ACC=1", "TF_ACC_TERRAFORM_PATH=" + l.cli.Path, "CHECKPOINT_DISABLE=1"}
		res, err := goTest(ctx, o, out, env, args...)
		if err != nil {
			return 1, err
		}
		fmt.Fprint(out, res.report(l.label()))
		fmt.Fprintf(out, "==> %s took %s\n", l.cli, time.Since(legStart).Round(time.Second))
		total.add(res)
	}

	var steps []string
	for _, cmdline := range o.then {
		fmt.Fprintf(out, "==> %s\n", cmdline)
		cmd := exec.CommandContext(ctx, "bash", "-c", cmdline)
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		status := "ok"
		if err := cmd.Run(); err != nil {
			status = "FAILED (" + err.Error() + ")"
			total.failed++
			total.failures = append(total.failures, cmdline)
		}
		steps = append(steps, fmt.Sprintf("%s: %s", cmdline, status))
	}

	fmt.Fprintf(out, "==> summary (%s)\n", time.Since(start).Round(time.Second))
	names := make([]string, len(legs))
	for i, l := range legs {
		names[i] = l.cli.String()
	}
	fmt.Fprintf(out, "legs run: %s\n", strings.Join(names, ", "))
	if leftOut != "" {
		fmt.Fprintf(out, "legs left out: %s\n", leftOut)
	}
	for _, s := range steps {
		fmt.Fprintln(out, s)
	}
	for _, f := range total.failures {
		fmt.Fprintf(out, "FAILED %s\n", f)
	}
	fmt.Fprintln(out, total.line("total"))
	if total.failed > 0 {
		return 1, nil
	}
	return 0, nil
}

// findLegs returns the installed Terraform's leg, then a leg per CLI of the
// toolchain (unpacked), and what was left out and why ("" for nothing).
func findLegs(ctx context.Context, o options, out io.Writer) (legs []leg, leftOut string, err error) {
	var paths []string
	if !o.unpackOnly {
		if o.terraform == "" {
			return nil, "", errors.New("-terraform (the installed Terraform) is required")
		}
		paths = append(paths, o.terraform)
	}
	if _, statErr := os.Stat(filepath.Join(o.toolchain, "SHA256SUMS")); o.toolchain == "" || statErr != nil {
		leftOut = fmt.Sprintf("the toolchain's (Terraform 1.14+ with actions, OpenTofu): no SHA256SUMS in %q (TOOLCHAIN_DIR)", o.toolchain)
		if o.unpackOnly {
			fmt.Fprintf(out, "==> no toolchain to unpack: no SHA256SUMS in %q (TOOLCHAIN_DIR)\n", o.toolchain)
		} else {
			fmt.Fprintf(out, "==> legs left out: %s. Only the installed Terraform runs.\n", leftOut)
		}
	} else {
		fmt.Fprintf(out, "==> toolchain %s, unpacked into %s\n", o.toolchain, o.cache)
		unpacked, err := unpackToolchain(ctx, o.toolchain, o.cache, out)
		if err != nil {
			return nil, "", err
		}
		paths = append(paths, unpacked...)
	}
	seen := map[string]bool{}
	for i, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, "", err
		}
		cli, err := sandbox.DetectCLI(abs)
		if err != nil {
			return nil, "", err
		}
		where := "toolchain"
		if i == 0 && !o.unpackOnly {
			where = "installed"
		}
		if seen[cli.String()] {
			fmt.Fprintf(out, "==> %s (%s) is already a leg: run once\n", cli, abs)
			continue
		}
		seen[cli.String()] = true
		legs = append(legs, leg{cli: cli, where: where})
	}
	return legs, leftOut, nil
}

// goTest runs `go test -json` with the given environment and arguments,
// shows its output as a plain go test would, and counts its tests.
func goTest(ctx context.Context, o options, out io.Writer, env []string, args ...string) (tally, error) {
	all := append([]string{"test", "-json", "-count=1", "-timeout", o.timeout, "-parallel", o.parallel}, args...)
	cmd := exec.CommandContext(ctx, "go", all...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return tally{}, err
	}
	if err := cmd.Start(); err != nil {
		return tally{}, err
	}
	res, readErr := summarize(stdout, out)
	waitErr := cmd.Wait()
	if readErr != nil {
		return tally{}, fmt.Errorf("reading go test -json: %w", readErr)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(waitErr, &exit) && res.failed == 0:
		res.failed++
		res.failures = append(res.failures, fmt.Sprintf("go test exited %d with no failed test", exit.ExitCode()))
	case waitErr != nil && !errors.As(waitErr, &exit):
		return tally{}, waitErr
	}
	return res, nil
}
