// Command identity-demo runs the README's demo: it starts the sandbox,
// writes a Terraform CLI configuration whose dev_overrides point at the
// freshly built provider (no registry needed), runs terraform apply on the
// demo configuration, prints the outputs (secrets stay hidden), then destroys
// and stops the sandbox.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

func main() {
	providerBin := flag.String("provider", "", "path of the built terraform-provider-identity binary")
	configDir := flag.String("config", "examples/demo", "the demo Terraform configuration")
	flag.Parse()
	if err := run(*providerBin, *configDir); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func run(providerBin, configDir string) error {
	if providerBin == "" {
		return errors.New("-provider is required")
	}
	tf, err := sandbox.TerraformCLI("the demo")
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
	fmt.Println("==> sandbox started:", strings.Join(sbx.Describe(), ", "))

	work, err := os.MkdirTemp("", "identity-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	env, err := prepare(work, absBin, configDir, sbx)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	terraform := func(args ...string) error {
		fmt.Printf("==> terraform %s\n", strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, tf, args...)
		cmd.Dir = filepath.Join(work, "config")
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if args[0] == "destroy" {
			// The destroy plan repeats the apply's; show only its outcome.
			var out strings.Builder
			cmd.Stdout = &out
			err := cmd.Run()
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, "Destroy complete") || err != nil {
					fmt.Println(line)
				}
			}
			return err
		}
		return cmd.Run()
	}
	if err := terraform("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		_ = terraform("destroy", "-auto-approve", "-input=false", "-no-color")
		return fmt.Errorf("terraform apply: %w", err)
	}
	if err := terraform("output", "-no-color"); err != nil {
		return fmt.Errorf("terraform output: %w", err)
	}
	if err := terraform("destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	fmt.Println("==> sandbox recorded:", strings.Join(sbx.Summary(), ", "))
	fmt.Printf("==> demo finished in %.1fs; sandbox stopped\n", time.Since(start).Seconds())
	return nil
}

// prepare copies the demo configuration, writes the CA and the CLI
// configuration, and returns the environment for terraform.
func prepare(work, absBin, configDir string, sbx *sandbox.Sandbox) ([]string, error) {
	dst := filepath.Join(work, "config")
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(configDir, "*.tf"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no .tf files in %s", configDir)
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
