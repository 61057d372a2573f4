package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
)

// tlsProxy forwards TCP connections to an emulator and counts them. A TLS
// handshake that fails closes its connection, so the count is the number of
// attempts the provider made: a retry would open another.
type tlsProxy struct {
	url   string
	conns atomic.Int32
}

// newTLSProxy listens on loopback and forwards to the emulator at target
// (an https URL). The sandbox certificate names 127.0.0.1, so with the
// sandbox CA the proxy is as good as the emulator itself. Cleanup closes
// every connection: the in-process provider keeps idle ones open.
func newTLSProxy(t *testing.T, target string) *tlsProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tlsProxy{url: "https://" + ln.Addr().String()}
	var (
		mu    sync.Mutex
		open  []net.Conn
		wg    sync.WaitGroup
		track = func(c net.Conn) {
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
		}
	)
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range open {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			p.conns.Add(1)
			track(client)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer client.Close()
				server, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
				if err != nil {
					return
				}
				track(server)
				defer server.Close()
				done := make(chan struct{}, 2)
				go func() { _, _ = io.Copy(server, client); done <- struct{}{} }()
				go func() { _, _ = io.Copy(client, server); done <- struct{}{} }()
				<-done // one side closed: close both
			}()
		}
	}()
	return p
}

// wrongCAFile writes a self-signed CA that signed nothing the sandbox serves.
func wrongCAFile(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "not the sandbox CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "wrong-ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// tlsBackend is one backend for the TLS tests: its emulator's URL, a
// provider block reaching a given URL, and a fresh user.
type tlsBackend struct {
	name    string
	target  func() string
	block   func(url string) string
	newUser func(t *testing.T) string
}

func tlsBackends() []tlsBackend {
	return []tlsBackend{
		{"idaas", func() string { return testSandbox.IDaaSURL }, biIDaaS, newIDaaSUser},
		{"finspace", func() string { return testSandbox.FinSpaceURL },
			func(u string) string { return biFinSpaceBlock(finspaceemu.TestRegion, u) },
			func(t *testing.T) string { return newFinSpaceUser(t, "ENABLED") }},
		{"huawei", func() string { return testSandbox.HuaweiURL },
			func(u string) string { return biHuawei("ap-southeast-1", huaweiemu.TestIdentityStoreID, u) },
			func(t *testing.T) string { return newHuaweiUser(t, true) }},
		{"ocariot", func() string { return testSandbox.OCARIoTURL }, biOCARIoT, newOCARIoTUser},
		{"zato", func() string { return testSandbox.ZatoURL }, biZato, newZatoUser},
	}
}

// tlsConfig is a provider block with the given CA attribute line (or none)
// and an identity_user_password for user.
func tlsConfig(caLine, block, user string) string {
	return fmt.Sprintf("provider \"identity\" {\n%s\n%s\n}\n\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", caLine, block, user)
}

// testAccTLSRefused runs every backend against its emulator through a
// counting proxy with caLine as the only TLS setting: the apply must fail
// with a certificate error that says what to do, after exactly one attempt
// (a certificate error is not retried, though max_retries is left at its
// default of 5), and nothing reaches state.
func testAccTLSRefused(t *testing.T, caLine func(t *testing.T) string) {
	testAccPreCheck(t)
	t.Parallel()
	for _, be := range tlsBackends() {
		t.Run(be.name, func(t *testing.T) {
			user := be.newUser(t)
			proxy := newTLSProxy(t, be.target())
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(nil),
				Steps: []resource.TestStep{{
					Config: tlsConfig(caLine(t), be.block(proxy.url), user),
					ExpectError: regexp.MustCompile(`(?s)Error: Unable To Set Password.*` +
						`tls:\s+failed\s+to\s+verify\s+certificate:\s+x509:\s+certificate\s+signed\s+by\s+unknown\s+authority\.\s+` +
						`The\s+server's\s+TLS\s+certificate\s+is\s+not\s+issued\s+by\s+a\s+CA\s+this\s+machine\s+trusts:.*` +
						`set\s+ca_certificate_pem\s+to\s+that\s+CA's\s+certificate.*The\s+request\s+was\s+not\s+retried`),
				}},
			})
			if n := proxy.conns.Load(); n != 1 {
				t.Errorf("the provider opened %d connections; a certificate error must end the call after one attempt", n)
			}
		})
	}
}

// TestAccTLS_allBackendsNoCA: without ca_certificate_pem the sandbox's
// private CA is not trusted (verification is on by default): every backend
// fails at apply with a clear certificate error, without retrying.
func TestAccTLS_allBackendsNoCA(t *testing.T) {
	testAccTLSRefused(t, func(*testing.T) string { return "" })
}

// TestAccTLS_allBackendsWrongCA: with ca_certificate_pem holding another CA
// the sandbox is not trusted either, and fails the same way.
func TestAccTLS_allBackendsWrongCA(t *testing.T) {
	testAccTLSRefused(t, func(t *testing.T) string {
		return fmt.Sprintf("  ca_certificate_pem = file(%q)", wrongCAFile(t))
	})
}

// TestAccTLS_idaasRightCAThroughProxy is the control for the two tests
// above: the same proxy with the sandbox CA works, so their failures come
// from the CA alone. (Every other acceptance test also runs with
// ca_certificate_pem = file(testCAFile) against the emulators directly.)
func TestAccTLS_idaasRightCAThroughProxy(t *testing.T) {
	user := newIDaaSUser(t)
	proxy := newTLSProxy(t, testSandbox.IDaaSURL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{{
			Config: tlsConfig(fmt.Sprintf("  ca_certificate_pem = file(%q)", testCAFile), biIDaaS(proxy.url), user),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("password"),
					matchesServerPassword("password", func() (string, bool) { return testSandbox.IDaaS.CurrentPassword(user) })),
				statecheck.ExpectKnownValue("identity_user_password.test", tfjsonpath.New("generated_by"), knownvalue.StringExact("server")),
			},
		}},
	})
	if proxy.conns.Load() == 0 {
		t.Error("the apply did not go through the proxy")
	}
}
