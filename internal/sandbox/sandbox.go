// Package sandbox runs emulators of the five identity APIs in one process,
// each on its own loopback port with TLS from the sandbox's own CA. The
// acceptance tests start it in-process; `make demo` and `make sandbox` start
// it through the commands under cmd/.
package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// Sandbox is the running set of emulators.
type Sandbox struct {
	// CA is the sandbox's certificate authority: clients trust CA.CertPEM.
	CA *emu.CA

	IDaaS    *idaas.Emulator
	IDaaSURL string

	FinSpace    *finspace.Emulator
	FinSpaceURL string

	Huawei    *huawei.Emulator
	HuaweiURL string

	OCARIoT    *ocariot.Emulator
	OCARIoTURL string

	// Zato is the Zato SSO REST emulator. (The CLI transport is tested with
	// a fake zato command whose state is a file; see package zato.)
	Zato    *zato.Emulator
	ZatoURL string

	servers []*emu.Server
}

// Start starts every emulator on a free loopback port.
func Start() (*Sandbox, error) {
	ca, err := emu.NewCA()
	if err != nil {
		return nil, fmt.Errorf("creating the sandbox CA: %w", err)
	}
	s := &Sandbox{CA: ca, IDaaS: idaas.New(), FinSpace: finspace.New(), Huawei: huawei.New(), OCARIoT: ocariot.New(), Zato: zato.New()}
	for _, e := range []struct {
		handler http.Handler
		url     *string
	}{
		{s.IDaaS.Handler(), &s.IDaaSURL},
		{s.FinSpace.Handler(), &s.FinSpaceURL},
		{s.Huawei.Handler(), &s.HuaweiURL},
		{s.OCARIoT.Handler(), &s.OCARIoTURL},
		{s.Zato.Handler(), &s.ZatoURL},
	} {
		srv, err := s.CA.Serve("127.0.0.1:0", e.handler)
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("starting an emulator: %w", err)
		}
		s.servers = append(s.servers, srv)
		*e.url = srv.URL
	}
	return s, nil
}

// Close stops every emulator.
func (s *Sandbox) Close() error {
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}

// Env is the environment that points the provider at the sandbox: the
// backend URLs and the test credentials, by the contract's variable names.
// FinSpace takes its credentials and its endpoint from the standard AWS
// chain (AWS_ENDPOINT_URL_FINSPACE_DATA); Huawei's endpoint comes as
// HW_IDENTITY_CENTER_ENDPOINT. The demo's configuration sets both
// endpoints from TF_VAR_finspace_endpoint and TF_VAR_huawei_endpoint.
func (s *Sandbox) Env() map[string]string {
	return map[string]string{
		"ENTRUST_IDAAS_URL":            s.IDaaSURL,
		"ENTRUST_IDAAS_APPLICATION_ID": idaas.TestApplicationID,
		"ENTRUST_IDAAS_SHARED_SECRET":  idaas.TestSharedSecret,

		"AWS_ACCESS_KEY_ID":           finspace.TestAccessKeyID,
		"AWS_SECRET_ACCESS_KEY":       finspace.TestSecretAccessKey,
		"AWS_REGION":                  finspace.TestRegion,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             "/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"TF_VAR_finspace_endpoint":    s.FinSpaceURL,
		FinSpaceEndpointEnv:           s.FinSpaceURL,

		"HW_REGION_NAME":         "ap-southeast-1",
		"HW_IDENTITY_STORE_ID":   huawei.TestIdentityStoreID,
		"HW_ACCESS_KEY":          huawei.TestAccessKey,
		"HW_SECRET_KEY":          huawei.TestSecretKey,
		"TF_VAR_huawei_endpoint": s.HuaweiURL,
		HuaweiEndpointEnv:        s.HuaweiURL,

		"OCARIOT_URL":      s.OCARIoTURL,
		"OCARIOT_USERNAME": ocariot.TestUsername,
		"OCARIOT_PASSWORD": ocariot.TestPassword,

		"ZATO_SSO_URL":         s.ZatoURL,
		"ZATO_SSO_USERNAME":    zato.TestUsername,
		"ZATO_SSO_PASSWORD":    zato.TestPassword,
		"ZATO_SSO_CURRENT_APP": zato.TestCurrentApp,
	}
}

// The provider's variables for the endpoints of FinSpace (the AWS SDKs'
// convention for the service id "finspace data") and Huawei.
const (
	FinSpaceEndpointEnv = "AWS_ENDPOINT_URL_FINSPACE_DATA"
	HuaweiEndpointEnv   = "HW_IDENTITY_CENTER_ENDPOINT"
)

// Describe lists the emulators and their URLs.
func (s *Sandbox) Describe() []string {
	return []string{
		"Entrust IDaaS " + s.IDaaSURL,
		"AWS FinSpace " + s.FinSpaceURL,
		"Huawei Identity Center " + s.HuaweiURL,
		"OCARIoT " + s.OCARIoTURL,
		"Zato SSO " + s.ZatoURL,
	}
}

// Summary counts what each emulator received.
func (s *Sandbox) Summary() []string {
	return []string{
		fmt.Sprintf("Entrust IDaaS %d requests (%d authentications)", len(s.IDaaS.Recorder.Requests()), s.IDaaS.Authentications()),
		fmt.Sprintf("AWS FinSpace %d requests", len(s.FinSpace.Recorder.Requests())),
		fmt.Sprintf("Huawei Identity Center %d requests", len(s.Huawei.Recorder.Requests())),
		fmt.Sprintf("OCARIoT %d requests (%d logins)", len(s.OCARIoT.Recorder.Requests()), s.OCARIoT.Logins()),
		fmt.Sprintf("Zato SSO %d requests (%d logins)", len(s.Zato.Recorder.Requests()), s.Zato.Logins()),
	}
}

// ProviderAddresses are the provider's addresses, Terraform's and
// OpenTofu's, which the CLI configuration of TerraformEnv overrides: the
// same source = "identityops/identity" means the first to Terraform and the
// second to OpenTofu. (Terraform lists the second in its dev_overrides
// warning and otherwise ignores it.)
var ProviderAddresses = []string{"registry.terraform.io/identityops/identity", "registry.opentofu.org/identityops/identity"}

// TerraformEnv prepares a working directory for running the installed
// Terraform CLI against the sandbox with a locally built provider: it writes
// the sandbox's CA (sandbox-ca.pem, passed as TF_VAR_sandbox_ca_file) and a
// CLI configuration whose dev_overrides point at providerDir (so no registry
// and no init), and returns the environment of every terraform run: this
// process's, then those settings and Env. Callers may append more; for
// os/exec the last entry of a name wins.
func (s *Sandbox) TerraformEnv(work, providerDir string) ([]string, error) {
	caFile := filepath.Join(work, "sandbox-ca.pem")
	if err := os.WriteFile(caFile, s.CA.CertPEM, 0o600); err != nil {
		return nil, err
	}
	cliConfig := filepath.Join(work, "terraformrc")
	var rc strings.Builder
	rc.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, addr := range ProviderAddresses {
		fmt.Fprintf(&rc, "    %q = %q\n", addr, providerDir)
	}
	rc.WriteString("  }\n  direct {}\n}\n")
	if err := os.WriteFile(cliConfig, []byte(rc.String()), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_VAR_sandbox_ca_file="+caFile,
	)
	for k, v := range s.Env() {
		env = append(env, k+"="+v)
	}
	return env, nil
}
