package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/hashicorp/go-version"
)

// TerraformCLI is the Terraform CLI the sandbox's commands run: $TERRAFORM,
// else terraform on PATH. It is never downloaded; who names the command in
// the error ("the demo").
func TerraformCLI(who string) (string, error) {
	if tf := os.Getenv("TERRAFORM"); tf != "" {
		return tf, nil
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("terraform is not installed: %s runs the installed Terraform CLI and never downloads one", who)
	}
	return tf, nil
}

// CLI is a Terraform or OpenTofu command, and which of the two it is.
type CLI struct {
	Path     string
	OpenTofu bool
	Version  *version.Version
}

// String names the CLI and its version: "Terraform 1.11.4", "OpenTofu 1.12.6".
func (c CLI) String() string {
	if c.OpenTofu {
		return "OpenTofu " + c.Version.String()
	}
	return "Terraform " + c.Version.String()
}

// cliVersionLine is the line of `terraform version` or `tofu version` that
// names the CLI. It is looked for on every line: with a CLI configuration
// file that does not exist, OpenTofu prints its warning first, on stdout.
var cliVersionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)`)

// DetectCLI runs `path version` and tells Terraform from OpenTofu (which
// report version numbers alike).
func DetectCLI(path string) (CLI, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	m := cliVersionLine.FindSubmatch(out)
	if m == nil {
		return CLI{}, fmt.Errorf("%s version printed no line naming Terraform or OpenTofu: %q", path, out)
	}
	v, err := version.NewVersion(string(m[2]))
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	return CLI{Path: path, OpenTofu: string(m[1]) == "OpenTofu", Version: v}, nil
}

// ProviderBinary is the absolute path of the built provider binary at path,
// which must exist.
func ProviderBinary(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("the provider binary: %w (run make build)", err)
	}
	return abs, nil
}
