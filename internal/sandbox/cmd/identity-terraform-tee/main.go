// Command identity-terraform-tee stands in for the Terraform CLI in the
// acceptance tests' secret scan (internal/provider/secretscan_test.go): it
// runs the real CLI (IDENTITY_SECRET_SCAN_TERRAFORM) with its own arguments,
// passes stdin, stdout, stderr, signals and the exit code through, and
// appends a copy of the output to a file next to the test's Terraform log
// (TF_LOG_PATH, which terraform-plugin-testing sets per test), or to
// terraform-output.log in IDENTITY_SECRET_SCAN_DIR without one.
//
// The stdout of commands that print state or plan as JSON or a schema (show,
// output, state, providers, version) is not copied: state and plan hold
// sensitive values by design. Their stderr is.
//
// It is a separate small program, not the test binary re-run, because it
// runs for every Terraform command of every test: it starts in a
// millisecond, where the test binary's start-up cost tens.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// Environment variables set by the secret scan.
const (
	envTerraform = "IDENTITY_SECRET_SCAN_TERRAFORM"
	envDir       = "IDENTITY_SECRET_SCAN_DIR"
)

func main() {
	terraform := os.Getenv(envTerraform)
	if terraform == "" {
		fmt.Fprintln(os.Stderr, "identity-terraform-tee: "+envTerraform+" (the real Terraform CLI) is not set")
		os.Exit(1)
	}
	out := filepath.Join(os.Getenv(envDir), "terraform-output.log")
	if p := os.Getenv("TF_LOG_PATH"); p != "" {
		out = strings.TrimSuffix(p, ".log") + ".terraform-output.log"
	}
	os.Exit(run(terraform, os.Args[1:], out, os.Stdin, os.Stdout, os.Stderr))
}

// quietCommands print state, plan or schema on stdout: not copied.
var quietCommands = []string{"show", "output", "state", "providers", "version"}

// run runs terraform with args, streams its output to stdout and stderr,
// copies it into the file out, and returns its exit code.
func run(terraform string, args []string, out string, stdin io.Reader, stdout, stderr io.Writer) int {
	sub := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			sub = a
			break
		}
	}
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintf(stderr, "identity-terraform-tee: %v\n", err)
		return 1
	}
	defer f.Close()
	copyOut := !slices.Contains(quietCommands, sub)
	cwd, _ := os.Getwd()
	lw := &lockedWriter{w: bufio.NewWriter(f)}
	defer lw.flush()
	fmt.Fprintf(lw, "=== terraform %s (in %s; stdout copied: %t)\n", strings.Join(args, " "), cwd, copyOut)

	// No context: the CLI's lifetime is the caller's, signals included.
	cmd := exec.CommandContext(context.Background(), terraform, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, io.MultiWriter(stderr, lw)
	if copyOut {
		cmd.Stdout = io.MultiWriter(stdout, lw)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "identity-terraform-tee: %v\n", err)
		return 1
	}
	// terraform-exec interrupts the CLI on cancellation: pass it on.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		for sig := range sigs {
			_ = cmd.Process.Signal(sig)
		}
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		fmt.Fprintf(stderr, "identity-terraform-tee: %v\n", err)
		return 1
	}
	return 0
}

// lockedWriter serialises the stdout and stderr copies into one file.
type lockedWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.w.Flush()
}
