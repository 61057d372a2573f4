package provider

// The CLI under test (Terraform or OpenTofu, TF_ACC_TERRAFORM_PATH), and a
// harness for the commands terraform-plugin-testing has no step for
// (terraform apply -invoke): the CLI run with os/exec against the provider
// served by this test process.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

// testCLI is the CLI the acceptance tests run, as TestMain found it.
var testCLI sandbox.CLI

// prepareCLI finds the CLI under test (before the secret scan puts its
// stand-in in TF_ACC_TERRAFORM_PATH) and sets what it needs:
//
//   - a CLI configuration file that exists: with TF_CLI_CONFIG_FILE naming
//     a missing file, OpenTofu prints a warning before the JSON of
//     `tofu version -json`, which terraform-exec then cannot read; an empty
//     file in dir means the same as a missing one;
//   - for OpenTofu, the provider's OpenTofu address
//     (registry.opentofu.org/identityops/identity): the namespace "-" that
//     terraform-plugin-testing also registers is valid only on that host.
func prepareCLI(dir string) error {
	if p := os.Getenv("TF_CLI_CONFIG_FILE"); p != "" {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			empty := filepath.Join(dir, "empty.tfrc")
			if err := os.WriteFile(empty, nil, 0o600); err != nil {
				return err
			}
			os.Setenv("TF_CLI_CONFIG_FILE", empty)
		}
	}
	cli, err := sandbox.DetectCLI(os.Getenv("TF_ACC_TERRAFORM_PATH"))
	if err != nil {
		return err
	}
	testCLI = cli
	if cli.OpenTofu {
		for k, v := range map[string]string{"TF_ACC_PROVIDER_HOST": "registry.opentofu.org", "TF_ACC_PROVIDER_NAMESPACE": "identityops"} {
			if os.Getenv(k) == "" {
				os.Setenv(k, v)
			}
		}
	}
	if cli.Version.Core().LessThan(cliMinimum(cli.OpenTofu)) {
		return fmt.Errorf("%s is older than the oldest supported, %s", cli, cliMinimum(cli.OpenTofu))
	}
	return nil
}

// cliMinimum is the oldest supported version of Terraform or OpenTofu.
func cliMinimum(openTofu bool) *version.Version {
	if openTofu {
		return minOpenTofu
	}
	return minTerraform
}

// testProviderAddress is the provider's address in the tests, as
// terraform-plugin-testing builds it (TF_ACC_PROVIDER_HOST and
// TF_ACC_PROVIDER_NAMESPACE, else registry.terraform.io/hashicorp).
func testProviderAddress() string {
	host, namespace := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if namespace == "" {
		namespace = "hashicorp"
	}
	return strings.TrimSuffix(host, "/") + "/" + strings.TrimSuffix(namespace, "/") + "/identity"
}

// cliDir is a working directory of the CLI under test whose provider
// "identity" is served by this test process, for commands that
// terraform-plugin-testing has no step for. Its logs go where a
// resource.Test's would, so the secret scan reads them.
type cliDir struct {
	t   *testing.T
	dir string
	env []string
}

// newCLIDir serves the provider (with the clock now; nil for time.Now) for
// the rest of the test and writes config into a new working directory.
func newCLIDir(t *testing.T, now func() time.Time, config string) *cliDir {
	t.Helper()
	if now == nil {
		now = time.Now
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattachCh, closeCh := make(chan *plugin.ReattachConfig, 1), make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(testProviderAddress(), func() tfprotov6.ProviderServer {
			return providerserver.NewProtocol6(&identityProvider{version: "test", now: now})()
		}, tf6server.WithDebug(ctx, reattachCh, closeCh), tf6server.WithLoggingSink(t),
			// go-plugin's own log (a closed listener at the end) is noise.
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattachCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	reattach, err := json.Marshal(tfexec.ReattachInfo{testProviderAddress(): {
		Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: true,
		Addr: tfexec.ReattachConfigAddr{Network: rc.Addr.Network(), String: rc.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(reattach), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	if log := testLogFile(t); log != "" {
		// The test's log file of the secret scan, as plugin-testing sets it.
		env = append(env, "TF_LOG_PATH="+log, "TF_LOG="+os.Getenv("TF_ACC_LOG"))
	}
	return &cliDir{t: t, dir: dir, env: env}
}

// cliConfigHeader names the provider's address in required_providers (the
// served provider is reattached at that address only); accFixture.provider
// starts with it.
func cliConfigHeader() string {
	source := strings.TrimPrefix(testProviderAddress(), "registry.terraform.io/")
	return fmt.Sprintf("terraform {\n  required_providers {\n    identity = { source = %q }\n  }\n}\n", source)
}

// run runs the CLI under test with args in the directory and returns its
// combined output and exit code.
func (d *cliDir) run(args ...string) (string, int) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), args...) //nolint:gosec // G204: the CLI under test
	cmd.Dir, cmd.Env = d.dir, d.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		d.t.Fatalf("running %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// TestAccCLISupport_refusals proves the "—" cells of the support table on
// the CLI under test: each feature it lacks (as cliFeatures says) is
// refused by the CLI as the table's row expects, and a feature it has is
// accepted (planned without error). Nothing is skipped: every leg checks its
// own column.
func TestAccCLISupport_refusals(t *testing.T) {
	t.Parallel()
	f := accIDaaS(t)
	for _, feature := range cliFeatures {
		if feature.probe == "" {
			continue
		}
		probe := resource.TestStep{Config: f.provider() + feature.probe, PlanOnly: true}
		if !feature.supported() {
			probe.ExpectError = regexp.MustCompile(regexp.QuoteMeta(feature.refusal))
		}
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: protoV6Factories(nil),
			// The harness reads state after the last step, which a
			// configuration the CLI refuses would fail: end on a valid one.
			Steps: []resource.TestStep{probe, {Config: f.provider(), PlanOnly: true}},
		})
	}
}
