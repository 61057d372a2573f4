// Package sandbox runs emulators of the five identity APIs in one process,
// each on its own loopback port with TLS from the sandbox's own CA. The
// acceptance tests start it in-process; `make demo` starts it through
// cmd/identity-sandbox.
package sandbox

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// Sandbox is the running set of emulators.
type Sandbox struct {
	// CA is the sandbox's certificate authority: clients trust CA.CertPEM.
	CA *emu.CA

	IDaaS    *idaas.Emulator
	IDaaSURL string

	servers []*emu.Server
}

// Start starts every emulator on a free loopback port.
func Start() (*Sandbox, error) {
	ca, err := emu.NewCA()
	if err != nil {
		return nil, fmt.Errorf("creating the sandbox CA: %w", err)
	}
	s := &Sandbox{CA: ca, IDaaS: idaas.New()}
	if s.IDaaSURL, err = s.serve(s.IDaaS.Handler()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Sandbox) serve(h http.Handler) (string, error) {
	srv, err := s.CA.Serve("127.0.0.1:0", h)
	if err != nil {
		return "", fmt.Errorf("starting an emulator: %w", err)
	}
	s.servers = append(s.servers, srv)
	return srv.URL, nil
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
func (s *Sandbox) Env() map[string]string {
	return map[string]string{
		"ENTRUST_IDAAS_URL":            s.IDaaSURL,
		"ENTRUST_IDAAS_APPLICATION_ID": idaas.TestApplicationID,
		"ENTRUST_IDAAS_SHARED_SECRET":  idaas.TestSharedSecret,
	}
}

// Describe lists the emulators and their URLs.
func (s *Sandbox) Describe() []string {
	return []string{"Entrust IDaaS " + s.IDaaSURL}
}

// Summary counts what each emulator received.
func (s *Sandbox) Summary() []string {
	return []string{fmt.Sprintf("Entrust IDaaS %d requests, %d authentications", len(s.IDaaS.Recorder.Requests()), s.IDaaS.Authentications())}
}
