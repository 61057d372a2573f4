// Command identity-sandbox runs the sandbox and shows what it holds.
//
//	identity-sandbox [-dir .sandbox]               run every emulator in the foreground until interrupted
//	identity-sandbox users [-dir .sandbox] [-json] show the running sandbox's users: never a password
//
// Running, it writes into -dir the CA certificate (ca.pem), the environment
// that points the provider at the sandbox (sandbox.env), a fake `zato`
// command (bin/zato) with a fake Zato server path (zato-server) for the CLI
// transport, and the address of its read-only admin page (admin.url), which
// `users` reads; then it prints the seeded users, the environment and how
// to use the fake zato command.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

func main() {
	args := os.Args[1:]
	sub := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("identity-sandbox "+sub, flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "the sandbox's directory: ca.pem, sandbox.env, bin/zato, zato-server, admin.url")
	asJSON := fs.Bool("json", false, "users: print JSON, as the admin page's /users serves it")
	_ = fs.Parse(args)
	var err error
	switch sub {
	case "run":
		err = run(*dir, os.Stdout)
	case "users":
		err = users(*dir, *asJSON, os.Stdout)
	default:
		err = fmt.Errorf("unknown subcommand %q: use run (the default) or users", sub)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}

// files are where a running sandbox writes what it tells its users.
type files struct {
	dir, ca, env, admin, bin, zatoServer string
}

func filesIn(dir string) (files, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return files{}, err
	}
	return files{
		dir: abs, ca: filepath.Join(abs, "ca.pem"), env: filepath.Join(abs, "sandbox.env"), admin: filepath.Join(abs, "admin.url"),
		bin: filepath.Join(abs, "bin"), zatoServer: filepath.Join(abs, "zato-server"),
	}, nil
}

func run(dir string, out io.Writer) error {
	f, err := filesIn(dir)
	if err != nil {
		return err
	}
	sbx, err := sandbox.Start()
	if err != nil {
		return err
	}
	defer sbx.Close()
	for _, d := range []string{f.dir, f.bin} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	if err := os.WriteFile(f.ca, sbx.CA.CertPEM, 0o600); err != nil {
		return err
	}
	zatoCmd, err := zato.BuildFakeZato(f.bin)
	if err != nil {
		return err
	}
	// A fresh fake server each run, like the emulators' state.
	if err := os.RemoveAll(f.zatoServer); err != nil {
		return err
	}
	if err := zato.CreateCLIServer(f.zatoServer); err != nil {
		return err
	}
	adminURL, stopAdmin, err := sbx.ServeAdmin(f.zatoServer)
	if err != nil {
		return err
	}
	defer func() { _ = stopAdmin() }()
	defer os.Remove(f.admin)
	if err := os.WriteFile(f.admin, []byte(adminURL+"\n"), 0o600); err != nil {
		return err
	}
	env := envFile(sbx, f)
	if err := os.WriteFile(f.env, []byte(env), 0o600); err != nil {
		return err
	}
	if err := banner(out, sbx, f, zatoCmd, adminURL, env); err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}

// envFile is the shell file that points the provider at the sandbox: the
// sandbox's environment, the CA for TF_VAR_sandbox_ca_file, and the fake
// zato command's directory first on PATH.
func envFile(sbx *sandbox.Sandbox, f files) string {
	env := sbx.Env()
	env["TF_VAR_sandbox_ca_file"] = f.ca
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(&b, "export %s=%q\n", k, env[k])
	}
	fmt.Fprintf(&b, "export PATH=%q:\"$PATH\"\n", f.bin)
	return b.String()
}

// banner says what is running and how to use it.
func banner(out io.Writer, sbx *sandbox.Sandbox, f files, zatoCmd, adminURL, env string) error {
	fmt.Fprintf(out, "identity sandbox running: emulators of five identity systems on loopback, TLS from the sandbox's CA. Stop with Ctrl-C.\n\n")
	fmt.Fprintf(out, "Seeded users (no user has a password in OCARIoT, FinSpace and Huawei until one is set; Zato's expire by its 730-day default):\n\n")
	if err := sandbox.WriteUsers(out, sbx.Views(f.zatoServer)); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nPoint Terraform at it:  source %s\nwhich sets:\n", rel(f.env))
	for _, line := range strings.Split(strings.TrimSpace(env), "\n") {
		fmt.Fprintf(out, "  %s\n", line)
	}
	fmt.Fprintf(out, `
Every credential and URL then comes from the environment; a provider block needs only the CA and its backend block:

  provider "identity" {
    ca_certificate_pem = file(var.sandbox_ca_file) # TF_VAR_sandbox_ca_file: %s
    entrust_idaas {}                               # or aws_finspace {}, huawei_identity_center {}, ocariot {}, zato_sso {}
  }

Zato SSO over its CLI: a fake zato command is at %s
(on PATH once the file above is sourced), with a fake Zato server whose users are alice, bob and carol:

  zato_sso {
    server_path = %q
  }

What apply did, never a password (last change, must-change, expiry, emails sent):
  go run ./internal/sandbox/cmd/identity-sandbox users -dir %s
  or open %s/
`, f.ca, zatoCmd, f.zatoServer, rel(f.dir), adminURL)
	return nil
}

// rel is path relative to the working directory where it is inside it.
func rel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// users prints what the running sandbox holds, from its admin page.
func users(dir string, asJSON bool, out io.Writer) error {
	f, err := filesIn(dir)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(f.admin)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no sandbox is running with directory %s (start one with make sandbox)", f.dir)
	}
	if err != nil {
		return err
	}
	views, err := sandbox.FetchUsers(strings.TrimSpace(string(raw)))
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(out, views)
	}
	return sandbox.WriteUsers(out, views)
}

func writeJSON(out io.Writer, views []sandbox.SystemView) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(views)
}
