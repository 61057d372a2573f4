package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
