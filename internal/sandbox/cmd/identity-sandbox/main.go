// Command identity-sandbox runs every emulator of the sandbox in the
// foreground until interrupted. It writes the CA certificate and an env file
// (the provider's environment variables pointing at the sandbox) into -dir.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

func main() {
	dir := flag.String("dir", ".sandbox", "where to write ca.pem and sandbox.env")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	sbx, err := sandbox.Start()
	if err != nil {
		return err
	}
	defer sbx.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	caFile, _ := filepath.Abs(filepath.Join(dir, "ca.pem"))
	if err := os.WriteFile(caFile, sbx.CA.CertPEM, 0o600); err != nil {
		return err
	}
	env := sbx.Env()
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "export %s=%q\n", k, env[k])
	}
	fmt.Fprintf(&b, "export TF_VAR_sandbox_ca_file=%q\n", caFile)
	envFile := filepath.Join(dir, "sandbox.env")
	if err := os.WriteFile(envFile, []byte(b.String()), 0o600); err != nil {
		return err
	}
	fmt.Printf("sandbox running: %s\nCA: %s\nenvironment: source %s\nstop with Ctrl-C\n", strings.Join(sbx.Describe(), ", "), caFile, envFile)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}
