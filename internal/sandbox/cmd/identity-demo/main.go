// Command identity-demo runs the README's demo: it starts the sandbox,
// writes a Terraform CLI configuration whose dev_overrides point at the
// freshly built provider (no registry needed), runs terraform apply on the
// demo configuration (which prints the outputs; secrets stay hidden), then,
// where the Terraform CLI has actions (1.14+), invokes the
// identity_send_password_reset action of the demo's actions/ folder, and
// finally destroys everything and stops the sandbox.
//
// It runs the newest Terraform among those given with -terraform (the
// installed one, and the toolchain's that make toolchain unpacked, if any).
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

	"github.com/hashicorp/go-version"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

// actionsFrom is the first Terraform version with actions.
var actionsFrom = version.Must(version.NewVersion("1.14.0"))

// invokeAction is the demo's action (examples/demo/actions).
const invokeAction = "action.identity_send_password_reset.alice"

type candidates []string

func (c *candidates) String() string     { return strings.Join(*c, ", ") }
func (c *candidates) Set(v string) error { *c = append(*c, v); return nil }

func main() {
	providerBin := flag.String("provider", "", "path of the built terraform-provider-identity binary")
	configDir := flag.String("config", "examples/demo", "the demo Terraform configuration")
	var clis candidates
	flag.Var(&clis, "terraform", "a Terraform CLI the demo may run (repeatable; the newest that exists wins; default $TERRAFORM or terraform on PATH)")
	flag.Parse()
	if err := run(*providerBin, *configDir, clis, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func run(providerBin, configDir string, clis []string, out io.Writer) error {
	if providerBin == "" {
		return errors.New("-provider is required")
	}
	tf, err := newestTerraform(clis, out)
	if err != nil {
		return err
	}
	absBin, err := sandbox.ProviderBinary(providerBin)
	if err != nil {
		return err
	}
	start := time.Now()

	sbx, err := sandbox.Start()
	if err != nil {
		return err
	}
	defer sbx.Close()
	fmt.Fprintln(out, "==> sandbox started:", strings.Join(sbx.Describe(), ", "))

	work, err := os.MkdirTemp("", "identity-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	actions := !tf.Version.Core().LessThan(actionsFrom)
	env, err := prepare(work, absBin, configDir, actions, sbx)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// terraform runs a command; with keep set, only the lines of its
	// standard output that keep accepts are shown (all of them on failure).
	terraform := func(keep func(line string) bool, args ...string) error {
		fmt.Fprintf(out, "==> terraform %s\n", strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, tf.Path, args...)
		cmd.Dir = filepath.Join(work, "config")
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = out, out
		if keep == nil {
			return cmd.Run()
		}
		var stdout strings.Builder
		cmd.Stdout = &stdout
		err := cmd.Run()
		for _, line := range strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n") {
			if keep(line) || err != nil {
				fmt.Fprintln(out, line)
			}
		}
		return err
	}
	// The destroy plan repeats the apply's; show only its outcome.
	destroy := func() error {
		return terraform(func(l string) bool { return strings.HasPrefix(l, "Destroy complete") }, "destroy", "-auto-approve", "-input=false", "-no-color")
	}
	// The apply prints the outputs once, at its end (a separate terraform
	// output would print them again).
	if err := terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		_ = destroy()
		return fmt.Errorf("terraform apply: %w", err)
	}
	if actions {
		// An apply -invoke plans and applies nothing else, but prints the
		// outputs again: show the action's lines and the outcome.
		keep := func(l string) bool {
			return strings.HasPrefix(l, "Action") || strings.HasPrefix(l, "Apply complete")
		}
		if err := terraform(keep, "apply", "-auto-approve", "-input=false", "-no-color", "-invoke="+invokeAction); err != nil {
			_ = destroy()
			return fmt.Errorf("terraform apply -invoke: %w", err)
		}
	} else {
		fmt.Fprintf(out, "==> %s has no actions (Terraform 1.14 or newer): the %s step is left out\n", tf, invokeAction)
	}
	if err := destroy(); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	fmt.Fprintln(out, "==> sandbox recorded:", strings.Join(sbx.Summary(), ", "))
	fmt.Fprintf(out, "==> demo finished in %.1fs on %s; sandbox stopped\n", time.Since(start).Seconds(), tf)
	return nil
}

// newestTerraform is the newest Terraform (not OpenTofu) among the
// candidates that exist; without candidates, the installed one.
func newestTerraform(clis []string, out io.Writer) (sandbox.CLI, error) {
	if len(clis) == 0 {
		tf, err := sandbox.TerraformCLI("the demo")
		if err != nil {
			return sandbox.CLI{}, err
		}
		clis = []string{tf}
	}
	var best sandbox.CLI
	var found []string
	for _, path := range clis {
		if path == "" {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			continue // e.g. no toolchain unpacked
		}
		cli, err := sandbox.DetectCLI(path)
		if err != nil {
			return sandbox.CLI{}, err
		}
		found = append(found, cli.String())
		if !cli.OpenTofu && (best.Version == nil || cli.Version.GreaterThan(best.Version)) {
			best = cli
		}
	}
	if best.Version == nil {
		return sandbox.CLI{}, fmt.Errorf("no Terraform CLI among %q: the demo runs the installed Terraform and never downloads one", clis)
	}
	fmt.Fprintf(out, "==> %s (%s), the newest Terraform found (%s)\n", best, best.Path, strings.Join(found, ", "))
	return best, nil
}

// prepare copies the demo configuration (and its actions/ folder when
// actions is set), writes the CA and the CLI configuration, and returns the
// environment for terraform.
func prepare(work, absBin, configDir string, actions bool, sbx *sandbox.Sandbox) ([]string, error) {
	dst := filepath.Join(work, "config")
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(configDir, "*.tf"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no .tf files in %s", configDir)
	}
	if actions {
		more, err := filepath.Glob(filepath.Join(configDir, "actions", "*.tf"))
		if err != nil || len(more) == 0 {
			return nil, fmt.Errorf("no .tf files in %s", filepath.Join(configDir, "actions"))
		}
		files = append(files, more...)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o600); err != nil {
			return nil, err
		}
	}
	return sbx.TerraformEnv(work, filepath.Dir(absBin))
}
