package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

// testSandbox runs every emulator for the acceptance tests (TF_ACC=1).
var testSandbox *sandbox.Sandbox

// testCAFile holds the sandbox CA, for ca_certificate_pem = file(...).
var testCAFile string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		fmt.Fprintln(os.Stderr, "TF_ACC is set but TF_ACC_TERRAFORM_PATH is not: point it at the installed Terraform "+
			"(make test does: TF_ACC_TERRAFORM_PATH=$(command -v terraform)); the tests never download one.")
		return 1
	}
	dir, err := os.MkdirTemp("", "identity-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := prepareCLI(dir); err != nil {
		fmt.Fprintln(os.Stderr, "the CLI under test (TF_ACC_TERRAFORM_PATH):", err)
		return 1
	}
	fmt.Printf("acceptance tests on %s (%s), provider address %s\n", testCLI, os.Getenv("TF_ACC_TERRAFORM_PATH"), testProviderAddress())
	sbx, err := sandbox.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the sandbox:", err)
		return 1
	}
	defer sbx.Close()
	testCAFile = filepath.Join(dir, "sandbox-ca.pem")
	if err := os.WriteFile(testCAFile, sbx.CA.CertPEM, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// FinSpace credentials come from the standard AWS chain: point it at the
	// sandbox's test keys, and keep it away from any real AWS configuration.
	// Not the endpoint (AWS_ENDPOINT_URL_FINSPACE_DATA): the tests name
	// their endpoints, and TestAccProvider_endpointsFromEnvironment sets it.
	for k, v := range sbx.Env() {
		if strings.HasPrefix(k, "AWS_") && !strings.HasPrefix(k, "AWS_ENDPOINT_URL") {
			os.Setenv(k, v)
		}
	}
	testSandbox = sbx
	// Every acceptance test's logs and Terraform output are scanned for
	// every secret the sandbox knows once the tests are done (secretscan_test.go).
	scan, err := startSecretScan()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the secret scan:", err)
		return 1
	}
	code := m.Run()
	if scan != nil {
		code = max(code, scan.finish(sbx))
	}
	return code
}

// testAccPreCheck fails (never skips) a test that runs without the sandbox.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if testSandbox == nil {
		t.Fatal("the sandbox is not running: acceptance tests need TF_ACC=1 (make test)")
	}
}

// protoV6Factories serves the provider in-process, with the given clock.
func protoV6Factories(now func() time.Time) map[string]func() (tfprotov6.ProviderServer, error) {
	if now == nil {
		now = time.Now
	}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"identity": providerserver.NewProtocol6WithError(&identityProvider{version: "test", now: now}),
	}
}
