package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/provider"
	"github.com/identityops/terraform-provider-identity/internal/sandbox"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// commandTimeout bounds one terraform command: far above what a run takes,
// so that only a hang ends it.
const commandTimeout = 5 * time.Minute

// harness is what every run shares: the sandbox, the Terraform CLI, and its
// environment (dev_overrides pointing at the freshly built provider, the
// sandbox's credentials).
type harness struct {
	sbx  *sandbox.Sandbox
	tf   string
	env  []string
	work string
}

// newHarness fails, never skips, without the acceptance-test environment:
// the same policy as the provider's acceptance tests (a skipped load test
// must not pass for a green one).
func newHarness(t *testing.T) *harness {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("the load test runs the Terraform CLI against the sandbox: it needs TF_ACC=1 and " +
			"TF_ACC_TERRAFORM_PATH (make test sets both)")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		t.Fatal("TF_ACC is set but TF_ACC_TERRAFORM_PATH is not: point it at the installed Terraform " +
			"(make test does: TF_ACC_TERRAFORM_PATH=$(command -v terraform)); the tests never download one")
	}
	work := t.TempDir()
	bin := buildProvider(t, filepath.Join(work, "plugins"))

	sbx, err := sandbox.Start()
	if err != nil {
		t.Fatalf("starting the sandbox: %v", err)
	}
	t.Cleanup(func() { _ = sbx.Close() })

	env, err := sbx.TerraformEnv(work, filepath.Dir(bin))
	if err != nil {
		t.Fatal(err)
	}
	// Provider logs off, whatever this process's environment says.
	env = append(env, "TF_LOG=", "TF_LOG_PROVIDER=")
	return &harness{sbx: sbx, tf: tf, env: env, work: work}
}

// buildProvider builds the provider as `make build` does (the build cache
// makes this quick) and returns the binary's path.
func buildProvider(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the load test builds the provider with the go command, which is not on PATH: %v", err)
	}
	bin := filepath.Join(dir, "terraform-provider-identity")
	cmd := exec.CommandContext(t.Context(), goBin, "build", "-trimpath", "-o", bin, "github.com/identityops/terraform-provider-identity")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return bin
}

// backend is one emulator as the load test seeds, configures and counts it.
type backend struct {
	// name is the provider alias and the resource name.
	name string
	// block is the backend block (settings come from the environment) and
	// generatedBy the resource's generated_by.
	block, generatedBy string
	// userIDFormat has one %d, for fmt.Sprintf and HCL's format().
	userIDFormat string
	users        []string
	base         *emu.Base
	// auths is the emulator's running count of authentications.
	auths  func() int
	isAuth func(r emu.Request) bool
	// setPath is the method and path of the request that sets id's password.
	setMethod string
	setPath   func(id string) string
	// atPlan is how many requests the provider's plan-time checks send
	// (a new resource's user read, or the credentials checked).
	atPlan int
}

// idaasBackend: IDaaS generates the password (generatePassword and
// returnPassword in one PUT).
func idaasBackend(sbx *sandbox.Sandbox, n int) *backend {
	be := &backend{
		name: "idaas", block: "entrust_idaas {}", generatedBy: "server",
		userIDFormat: "10ad0000-0000-4000-8000-%012d",
		base:         &sbx.IDaaS.Base,
		auths:        sbx.IDaaS.Authentications,
		isAuth:       func(r emu.Request) bool { return strings.HasSuffix(r.Path, "/adminapi/authenticate") },
		setMethod:    http.MethodPut,
		setPath:      func(id string) string { return "/api/web/v1/users/" + id + "/passwords" },
		// Each of the two provider processes of terraform apply (its plan,
		// its apply, which plans each new resource again) reads the first
		// users of the new resources to see that they exist; the plan's
		// authenticates for it.
		atPlan: 2*min(provider.MaxUserChecksAtPlan, n) + 1,
	}
	for i := range n {
		id := fmt.Sprintf(be.userIDFormat, i)
		sbx.IDaaS.AddUser(idaas.User{ID: id, UserID: "load-" + strconv.Itoa(i), Email: "load@example.com"})
		be.users = append(be.users, id)
	}
	return be
}

// ocariotBackend: the provider generates the password and sets it with one
// POST; the service has no read.
func ocariotBackend(sbx *sandbox.Sandbox, n int) *backend {
	be := &backend{
		name: "ocariot", block: "ocariot {}", generatedBy: "provider",
		userIDFormat: "10ad%020d",
		base:         &sbx.OCARIoT.Base,
		auths:        sbx.OCARIoT.Logins,
		isAuth:       func(r emu.Request) bool { return r.Path == "/v1/auth" },
		setMethod:    http.MethodPost,
		setPath:      func(id string) string { return "/v1/users/" + id + "/reset-password" },
		// OCARIoT reads no users: the plan's process checks the
		// credentials with one login (the apply's logs in anyway).
		atPlan: 1,
	}
	for i := range n {
		id := fmt.Sprintf(be.userIDFormat, i)
		sbx.OCARIoT.AddUser(id)
		be.users = append(be.users, id)
	}
	return be
}

// config is a configuration with one provider block per backend and one
// identity_user_password per seeded user; rps > 0 sets requests_per_second
// in every provider block.
func config(backends []*backend, rps float64) string {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    identity = {
      source = "identityops/identity"
    }
  }
}

variable "sandbox_ca_file" {
  type = string
}
`)
	for _, be := range backends {
		limit := ""
		if rps > 0 {
			limit = fmt.Sprintf("  requests_per_second = %g\n", rps)
		}
		fmt.Fprintf(&b, `
provider "identity" {
  alias              = %q
  ca_certificate_pem = file(var.sandbox_ca_file)
%s  %s
}

resource "identity_user_password" %q {
  provider     = identity.%s
  count        = %d
  user_id      = format(%q, count.index)
  generated_by = %q
}
`, be.name, limit, be.block, be.name, be.name, len(be.users), be.userIDFormat, be.generatedBy)
	}
	return b.String()
}

// tally is what one emulator received during one run.
type tally struct {
	Requests  int
	Throttled int // answered 429 by the throttle
	Auths     int // authentications that succeeded (the emulator's count)
	AuthCalls int // authentication requests, 429s excluded
	Sets      int // password sets answered 2xx
	Other     int // anything else: reads, refused sets
	// Wrong lists users without exactly one successful set.
	Wrong []string
}

// count classifies what be's emulator recorded since the run began.
func (be *backend) count(authsBefore int) tally {
	var c tally
	okSets := map[string]int{}
	for _, r := range be.base.Recorder.Requests() {
		c.Requests++
		switch {
		case r.Status == http.StatusTooManyRequests:
			c.Throttled++
		case be.isAuth(r):
			c.AuthCalls++
		case r.Method == be.setMethod && r.Status >= 200 && r.Status < 300:
			c.Sets++
			okSets[r.Path]++
		default:
			c.Other++
		}
	}
	c.Auths = be.auths() - authsBefore
	for _, id := range be.users {
		if n := okSets[be.setPath(id)]; n != 1 {
			c.Wrong = append(c.Wrong, fmt.Sprintf("%s (%d sets)", id, n))
		}
	}
	return c
}

// run is one terraform apply and what the emulators received.
type run struct {
	Wall   time.Duration
	Output string
	Err    error
	Tally  map[string]tally
}

// apply writes the configuration into a fresh directory (fresh state),
// resets the emulators' throttles to emulatorRPS and their recorders, and
// runs terraform apply at the given -parallelism.
func (h *harness) apply(t *testing.T, label string, backends []*backend, rps, emulatorRPS float64, parallelism int) run {
	t.Helper()
	dir := filepath.Join(h.work, label)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config(backends, rps)), 0o600); err != nil {
		t.Fatal(err)
	}
	authsBefore := map[string]int{}
	for _, be := range backends {
		be.base.SetThrottle(emulatorRPS) // a full bucket and a zero count
		be.base.Recorder.Clear()
		authsBefore[be.name] = be.auths()
	}

	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.tf, "apply", "-auto-approve", "-input=false", "-no-color",
		"-parallelism="+strconv.Itoa(parallelism))
	cmd.Dir, cmd.Env = dir, h.env
	// On timeout, let terraform stop its provider processes.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := run{Wall: time.Since(start), Output: string(out), Err: err, Tally: map[string]tally{}}
	for _, be := range backends {
		r.Tally[be.name] = be.count(authsBefore[be.name])
		if th := be.base.Throttled(); th != r.Tally[be.name].Throttled {
			t.Errorf("%s: the throttle counted %d 429s, the recorder %d", be.name, th, r.Tally[be.name].Throttled)
		}
	}
	return r
}

var (
	applyRE = regexp.MustCompile(`Apply complete! Resources: \d+ added, \d+ changed, \d+ destroyed\.`)
	errorRE = regexp.MustCompile(`(?m)^[│ ]*Error: .*$`)
)

// checkApplied fails the test unless the apply exited 0, reported no error
// and created want resources.
func checkApplied(t *testing.T, r run, want int) {
	t.Helper()
	wantLine := fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", want)
	errs := errorRE.FindAllString(r.Output, -1)
	if r.Err == nil && len(errs) == 0 && strings.Contains(r.Output, wantLine) {
		return
	}
	got := applyRE.FindString(r.Output)
	if got == "" {
		got = "no summary line"
	}
	t.Errorf("terraform apply: exit %v, %d errors, want %q, got %q; %s\n%s",
		r.Err, len(errs), wantLine, got, summarizeErrors(errs), tail(r.Output, 40))
}

// summarizeErrors counts the distinct error summaries.
func summarizeErrors(errs []string) string {
	counts := map[string]int{}
	var order []string
	for _, e := range errs {
		e = strings.TrimSpace(strings.TrimLeft(e, "│ "))
		if counts[e] == 0 {
			order = append(order, e)
		}
		counts[e]++
	}
	var b strings.Builder
	for _, e := range order {
		fmt.Fprintf(&b, "%d× %q; ", counts[e], e)
	}
	return b.String()
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
