package provider

// Acceptance tests of the provider configuration and of what holds for
// every resource alike: bad settings, TLS, one authentication per provider
// process, and no secret in TRACE logs. The fault tests are in
// acc_faults_test.go.

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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// TestAccProvider_badInput: provider settings refused at plan (see
// testAccBadInput): plain http to a remote host, a bad CA PEM, hosts made
// from settings, missing credentials without and with environment
// variables; then the rules of each setting, with Entrust IDaaS.
func TestAccProvider_badInput(t *testing.T) {
	idaas, finspace, huawei, ocariot := accIDaaS(t), accFinSpace(t), accHuawei(t), accOCARIoT(t)
	noEnv := func(names ...string) map[string]string {
		m := map[string]string{}
		for _, n := range names {
			m[n] = ""
		}
		return m
	}
	idaasEnv := []string{"ENTRUST_IDAAS_URL", "ENTRUST_IDAAS_APPLICATION_ID", "ENTRUST_IDAAS_SHARED_SECRET"}
	ocariotEnv := []string{"OCARIOT_URL", "OCARIOT_USERNAME", "OCARIOT_PASSWORD", "OCARIOT_ACCESS_TOKEN"}
	withProvider := func(providerBody string) string {
		return fmt.Sprintf("provider \"identity\" {\n%s\n}\n\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n",
			providerBody, "0000aaaa-0000-4000-8000-0000000f00d0")
	}
	testAccBadInput(t, []badInputCase{
		{name: "idaas http url to a remote host", config: biProvider(idaas, idaas.blockAt("http://acme.us.trustedauth.com")) + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			summary: "Invalid URL", attr: "url", detail: `plain http:// is refused for "acme.us.trustedauth.com"`},
		{name: "ocariot http url to a look-alike of localhost", config: biProvider(ocariot, ocariot.blockAt("http://localhost.attacker.example:8080")) + biUserPassword(hclAttr("user_id", biOCARIoTUser)),
			summary: "Invalid URL", attr: "url", detail: "plain http:// is refused"},
		{name: "finspace http endpoint", config: biProvider(finspace, finspace.blockAt("http://finspace-api.us-east-1.amazonaws.com")) + biUserPassword(hclAttr("user_id", biFinSpace)),
			summary: "Invalid URL", attr: "endpoint", detail: "plain http:// is refused"},
		{name: "idaas ca_certificate_pem not PEM", config: strings.Replace(biProvider(idaas, idaas.block()), "file(", `"not a certificate" # file(`, 1) + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			summary: "Invalid CA Certificate", attr: "ca_certificate_pem", detail: "must hold at least one PEM-encoded X.509 certificate"},
		{name: "huawei ca_certificate_pem certificate that does not parse", config: strings.Replace(biProvider(huawei, huawei.block()), "file(", `"-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n" # file(`, 1) + biUserPassword(hclAttr("user_id", biHuaweiUser)),
			summary: "Invalid CA Certificate", attr: "ca_certificate_pem", detail: "holds a certificate that does not parse"},
		{name: "huawei region that rewrites the host", config: biProvider(huawei, huawei.block("region", "ap-southeast-1.attacker.example/", "endpoint", "")) + biUserPassword(hclAttr("user_id", biHuaweiUser)),
			summary: "Invalid Region", attr: "region", detail: "is not a Huawei Cloud region name"},

		// Missing credentials, without and with environment variables.
		{name: "idaas no settings and no environment", config: biProvider(idaas, "  entrust_idaas {\n  }\n") + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			env:     noEnv(idaasEnv...),
			summary: "Missing Provider Setting", detail: "Set entrust_idaas.url or the environment variable ENTRUST_IDAAS_URL"},
		{name: "idaas shared secret missing from the environment", config: biProvider(idaas, "  entrust_idaas {\n  }\n") + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			env:     map[string]string{"ENTRUST_IDAAS_URL": testSandbox.IDaaSURL, "ENTRUST_IDAAS_APPLICATION_ID": idaasemu.TestApplicationID, "ENTRUST_IDAAS_SHARED_SECRET": "  "},
			summary: "Missing Provider Setting", detail: "Set entrust_idaas.shared_secret or the environment variable ENTRUST_IDAAS_SHARED_SECRET"},
		{name: "ocariot no credentials and no environment", config: biProvider(ocariot, ocariot.block("username", "", "password", "")) + biUserPassword(hclAttr("user_id", biOCARIoTUser)),
			env:     noEnv(ocariotEnv...),
			summary: "Missing OCARIoT Credentials", detail: "either an access token (set access_token or the environment variable OCARIOT_ACCESS_TOKEN)"},
		{name: "ocariot password missing from the environment", config: biProvider(ocariot, "  ocariot {\n  }\n") + biUserPassword(hclAttr("user_id", biOCARIoTUser)),
			env:     map[string]string{"OCARIOT_URL": testSandbox.OCARIoTURL, "OCARIOT_USERNAME": ocariotemu.TestUsername, "OCARIOT_PASSWORD": "", "OCARIOT_ACCESS_TOKEN": ""},
			summary: "Missing Provider Setting", detail: "Set ocariot.password or the environment variable OCARIOT_PASSWORD"},
		{name: "huawei secret key missing from the environment",
			config: biProvider(huawei, huawei.block("region", "", "identity_store_id", "", "access_key", "", "secret_key", "")) + biUserPassword(hclAttr("user_id", biHuaweiUser)),
			env: map[string]string{"HW_REGION_NAME": "ap-southeast-1", "HW_IDENTITY_STORE_ID": huaweiemu.TestIdentityStoreID,
				"HW_ACCESS_KEY": huaweiemu.TestAccessKey, "HW_SECRET_KEY": "", "HW_SECURITY_TOKEN": ""},
			summary: "Missing Provider Setting", detail: "Set huawei_identity_center.secret_key or the environment variable HW_SECRET_KEY"},
		{name: "finspace no AWS credentials", config: biProvider(finspace, finspace.block()) + biUserPassword(hclAttr("user_id", biFinSpace)),
			env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
				"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
				"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_WEB_IDENTITY_TOKEN_FILE": ""},
			summary: `[A-Z][A-Za-z ]+`, detail: "no usable AWS credentials from the standard chain",
			note: "contract: with no AWS credentials in the chain the plan fails, on the aws_finspace block; finspace.(*Backend).CheckCredentials " +
				"does it, once configureFinSpace (backend_finspace.go) calls it"},

		// The rules of each setting, with Entrust IDaaS.
		{name: "idaas validation request_timeout not a duration", config: withProvider(`request_timeout = "soon"
entrust_idaas {}`), want: `(?s)request_timeout.*Go duration`},
		{name: "idaas validation negative requests_per_second", config: withProvider(`requests_per_second = -1
entrust_idaas {}`), want: `(?s)requests_per_second.*zero or more`},
		{name: "idaas validation bad CA PEM", config: withProvider(`ca_certificate_pem = "not a certificate"
entrust_idaas {}`), want: `(?s)ca_certificate_pem.*PEM`},
		{name: "idaas validation no backend block", config: withProvider(``), want: `(?s)entrust_idaas`},
		{name: "idaas validation missing credentials", config: withProvider(`entrust_idaas {}`), want: `(?s)Missing Provider Setting.*ENTRUST_IDAAS_URL`},
		{name: "idaas validation plain http to a remote host", config: withProvider(`entrust_idaas {
  url            = "http://acme.us.trustedauth.com"
  application_id = "app"
  shared_secret  = "secret-value"
}`), want: `(?s)plain http:// is refused`},
	}, "")
}

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

// httpBackends are the fixtures that reach their identity system over HTTP.
func httpBackends(t *testing.T) []*accFixture {
	var out []*accFixture
	for _, f := range accBackends(t) {
		if f.urlAttr != "" {
			out = append(out, f)
		}
	}
	return out
}

// tlsConfig is a provider block with the given CA setting (or none) and
// backend block, and an identity_user_password for user.
func tlsConfig(f *accFixture, caSetting, block, user string) string {
	return f.providerWith(caSetting, block) + fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user)
}

// testAccTLSRefused runs every HTTP backend against its emulator through a
// counting proxy with caSetting as the only TLS setting: the plan must
// fail (it checks that the new resource's user exists, or, where the
// backend reads no users, the credentials) with a certificate error that
// says what to do, after exactly one attempt (a certificate error is not
// retried, though max_retries is left at its default of 5), and nothing
// reaches state.
func testAccTLSRefused(t *testing.T, caSetting func(t *testing.T) string) {
	testAccPreCheck(t)
	testAccParallel(t, httpBackends(t), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		proxy := newTLSProxy(t, f.url())
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: tlsConfig(f, caSetting(t), f.blockAt(proxy.url), user),
				ExpectError: regexp.MustCompile(`(?s)Error: Unable To Check (User|Credentials).*` +
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

// TestAccProvider_unknownCurrentApp: a zato_sso current_app the server does
// not have fails the plan (the plan-time read of a new resource's user logs
// in) with an error that names it and says where the server lists its apps;
// nothing reaches state and no password is sent.
// Zato answers it with HTTP 200, status "error" and E004001 when the app is
// not in sso.conf [apps] all (zato-server .../service/internal/sso/__init__.py:99-103),
// and with HTTP 403 E004001 at login when it is not in login_allowed
// (zato-sso util.py:311-318).
func TestAccProvider_unknownCurrentApp(t *testing.T) {
	apps := map[string][2]string{
		"not_an_app":            {"NoSuchApp", `is\s+not\s+one\s+of\s+the\s+server's\s+apps`},
		"not_allowed_to_log_in": {zatoemu.NoLoginApp, `is\s+not\s+allowed\s+to\s+log\s+in`},
	}
	for name, c := range apps {
		app, says := c[0], c[1]
		t.Run(name, func(t *testing.T) {
			testAccParallel(t, []*accFixture{accZato(t)}, func(t *testing.T, f *accFixture) {
				user := f.newUser(t)
				config := f.providerWith(f.settings, f.block("current_app", app)) +
					fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user)
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: protoV6Factories(nil),
					Steps: []resource.TestStep{
						{Config: config, ExpectError: regexp.MustCompile(`(?s)Unable To Check User.*E004001:\s+"current_app\s+` + says + `".*Set\s+current_app\s+\(now\s+"` + app + `"\).*sso\.conf\s+\[apps\]\s+all`)},
					},
				})
				// The plan failed, so nothing reached state; and no request
				// set a password:
				if n := len(f.sets(user)); n != 0 {
					t.Errorf("%d password PATCHes with an unknown current_app", n)
				}
			})
		})
	}
}

// TestAccProvider_tlsNoCA: without ca_certificate_pem the sandbox's private
// CA is not trusted (verification is on by default): every backend fails
// at plan with a clear certificate error, without retrying.
func TestAccProvider_tlsNoCA(t *testing.T) {
	testAccTLSRefused(t, func(*testing.T) string { return "" })
}

// TestAccProvider_tlsWrongCA: with ca_certificate_pem holding another CA
// the sandbox is not trusted either, and fails the same way.
func TestAccProvider_tlsWrongCA(t *testing.T) {
	testAccTLSRefused(t, func(t *testing.T) string {
		return fmt.Sprintf("  ca_certificate_pem = file(%q)\n", wrongCAFile(t))
	})
}

// TestAccProvider_tlsRightCAThroughProxy is the control for the two tests
// above: the same proxy with the sandbox CA works, so their failures come
// from the CA alone. (Every other acceptance test also runs with
// ca_certificate_pem = file(testCAFile) against the emulators directly.)
func TestAccProvider_tlsRightCAThroughProxy(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		proxy := newTLSProxy(t, f.url())
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: tlsConfig(f, caSetting(), f.blockAt(proxy.url), user),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user))),
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("generated_by"), knownvalue.StringExact("server")),
				},
			}},
		})
		if proxy.conns.Load() == 0 {
			t.Error("the apply did not go through the proxy")
		}
	})
}

// TestAccProvider_oneAuthentication applies 20 resources at Terraform's
// default -parallelism=10: each provider process (the plan's, the apply's)
// authenticates once, and every password request carries that one token. Serial: it counts the
// emulator's authentications.
func TestAccProvider_oneAuthentication(t *testing.T) {
	testAccEach(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		users := make([]string, 20)
		for i := range users {
			users[i] = fmt.Sprintf("%q", f.newUser(t))
		}
		var authBefore int
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				PreConfig: func() { authBefore = testSandbox.IDaaS.Authentications() },
				Config: f.provider() + fmt.Sprintf(`
locals {
  users = [%s]
}

resource "identity_user_password" "many" {
  count   = length(local.users)
  user_id = local.users[count.index]
}
`, strings.Join(users, ", ")),
				Check: func(*terraform.State) error {
					// Two provider processes have talked to the emulator by
					// now: the plan's, which read the new resources' users
					// to see that they exist, and the apply's.
					if n := testSandbox.IDaaS.Authentications() - authBefore; n != 2 {
						return fmt.Errorf("20 resources authenticated %d times, want exactly 2: once in the plan, once in the apply", n)
					}
					tokens := map[string]bool{}
					for _, u := range users {
						id := strings.Trim(u, `"`)
						reqs := f.sets(id)
						if len(reqs) != 1 {
							return fmt.Errorf("user %s: %d password PUTs, want 1", id, len(reqs))
						}
						tokens[reqs[0].Header.Get("Authorization")] = true
					}
					if len(tokens) != 1 {
						return fmt.Errorf("the 20 password PUTs carried %d different tokens, want 1", len(tokens))
					}
					return nil
				},
			}},
		})
	})
}

// bearerTokens returns every distinct bearer token the emulator received.
func bearerTokens(f *accFixture) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range f.recorder.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	return out
}

// TestAccProvider_noSecretInTraceLogs applies a generated password, a
// chosen one where the backend takes one, and a reset, then (where the
// backend refuses one) a password set that fails, with the Terraform CLI
// and the provider logging at TRACE into one file, and fails if any
// password, token, session or the backend's own secret appears there.
// Secrets reach Terraform the way pipelines pass them: environment
// variables and sensitive variables (Terraform logs HCL source text at
// TRACE, so a literal in a .tf file is out of any provider's hands). Not
// parallel: it sets the environment.
func TestAccProvider_noSecretInTraceLogs(t *testing.T) {
	// scan is what a backend brings to the case.
	type scan struct {
		// secret names the backend's own secret and gives it.
		secretName, secret string
		// chosen and refused are the chosen password and one the identity
		// system refuses ("" where there is none); refusedUser is whose
		// password the refused one is set as, and refusal the error.
		chosen, refused string
		refusedUser     func(t *testing.T, chosenUser string) string
		refusal         string
		// extra adds resources of the backend's own.
		extra func(t *testing.T, f *accFixture) (config string, users map[string]string)
		// tokens are the tokens or sessions the provider was given.
		tokens func(f *accFixture) []string
		// more are steps of the backend's own after the first apply (of
		// config), and logged what the log must show they did, so that the
		// scan covers those paths. A step that deletes a user moves its
		// passwords from users to secrets first.
		more   func(f *accFixture, users, secrets map[string]string, config string) []resource.TestStep
		logged []string
	}
	sameUser := func(_ *testing.T, chosenUser string) string { return chosenUser }
	scans := map[string]scan{
		"idaas": {
			secretName: "IDaaS shared secret", secret: idaasemu.TestSharedSecret,
			chosen: "Secret-Chosen-Passw0rd!", refused: "weakpw", refusedUser: sameUser,
			// The tenant policy refuses this password.
			refusal: `Unable To Set Password`,
			extra: func(t *testing.T, f *accFixture) (string, map[string]string) {
				user := f.newUser(t)
				// The sandbox tenant policy wants an upper-case letter, a
				// lower-case letter and a digit: without minimums a
				// 32-character draw lacks one about 3% of the time.
				return fmt.Sprintf(`
resource "identity_user_password" "provider_generated" {
  user_id      = %q
  generated_by = "provider"
  generate     = { min_upper = 1, min_lower = 1, min_numeric = 1 }
}
`, user), map[string]string{"provider-generated password": user}
			},
			tokens: func(f *accFixture) []string {
				seen := map[string]bool{}
				var out []string
				for _, r := range f.recorder.Requests() {
					v := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
					if v != "" && !seen[v] {
						seen[v] = true
						out = append(out, v)
					}
				}
				return out
			},
		},
		// The credentials come from the environment, as the AWS chain takes them.
		"finspace": {secretName: "AWS secret access key", secret: finspaceemu.TestSecretAccessKey},
		"huawei":   {secretName: "Huawei secret key", secret: huaweiemu.TestSecretKey},
		"ocariot": {
			secretName: "OCARIoT admin password", secret: ocariotemu.TestPassword,
			chosen: "Secret-OCARIoT-Chosen-1!", refused: "Secret-OCARIoT-Refused-2!",
			// The user does not exist.
			refusedUser: func(t *testing.T, _ string) string { return newOCARIoTID(t) },
			refusal:     `(?s)Unable To Set Password.*User not found`,
			tokens:      bearerTokens,
		},
		"zato": {
			secretName: "Zato super-user password", secret: zatoemu.TestPassword,
			chosen: "Secret-Sso-Chosen-7731!", refused: "Secret-Qwerty-Refused-8842!", refusedUser: sameUser,
			// The server refuses the password (reject list).
			refusal: `(?s)Unable To Set Password.*E003001`,
			tokens:  func(*accFixture) []string { return testSandbox.Zato.IssuedUSTs() },
			// The super-user search, which every set asks first, and a
			// refresh of a user deleted behind Terraform's back asks too.
			more: func(f *accFixture, users, secrets map[string]string, config string) []resource.TestStep {
				step := createPlanned(config, "identity_user_password.generated")
				step.PreConfig = func() {
					user := users["generated password"]
					for i, pw := range f.issued(user) {
						secrets[fmt.Sprintf("deleted user's password %d", i+1)] = pw
					}
					delete(users, "generated password")
					f.deleteUser(user)
				}
				return []resource.TestStep{step}
			},
			logged: []string{"/zato/sso/user/search"},
		},
	}
	testAccEach(t, httpBackends(t), func(t *testing.T, f *accFixture) {
		sc := scans[f.name]
		users := map[string]string{"generated password": f.newUser(t), "temporary password": f.newUser(t)}
		log := traceLog(t)
		provider := f.providerWith(caSetting(), f.blockFromEnv(t))
		config := fmt.Sprintf(`
resource "identity_user_password" "generated" {
  user_id = %q
}

resource "identity_password_reset" "reset" {
  user_id = %q
}
`, users["generated password"], users["temporary password"])
		secrets := map[string]string{sc.secretName: sc.secret}
		var variables string
		if sc.chosen != "" {
			users["chosen password"] = f.newUser(t)
			t.Setenv("TF_VAR_chosen_password", sc.chosen)
			t.Setenv("TF_VAR_refused_password", sc.refused)
			variables = sensitiveVariables("chosen_password", "refused_password")
			secrets["chosen password"], secrets["refused password"] = sc.chosen, sc.refused
			config += fmt.Sprintf("\nresource \"identity_user_password\" \"chosen\" {\n  user_id  = %q\n  password = var.chosen_password\n}\n", users["chosen password"])
		}
		if sc.extra != nil {
			extra, more := sc.extra(t, f)
			config += extra
			for k, v := range more {
				users[k] = v
			}
		}
		var changed []resource.TestCheckFunc
		for _, u := range users {
			changed = append(changed, f.expectChanges(u, 1))
		}
		steps := []resource.TestStep{{Config: provider + variables + config, Check: allChecks(changed...)}}
		if sc.more != nil {
			steps = append(steps, sc.more(f, users, secrets, provider+variables+config)...)
		}
		if sc.refused != "" {
			// A failing call: neither the diagnostic nor any log line may
			// echo the password sent.
			steps = append(steps, resource.TestStep{
				Config: provider + variables + fmt.Sprintf("\nresource \"identity_user_password\" \"chosen\" {\n  user_id  = %q\n  password = var.refused_password\n}\n",
					sc.refusedUser(t, users["chosen password"])),
				ExpectError: regexp.MustCompile(sc.refusal),
			})
		}
		resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories(nil), Steps: steps})
		for name, user := range users {
			issued := f.issued(user)
			if len(issued) == 0 {
				t.Fatalf("the emulator holds no %s", name)
			}
			for i, pw := range issued {
				secrets[fmt.Sprintf("%s %d", name, i+1)] = pw
			}
		}
		if sc.tokens != nil {
			tokens := sc.tokens(f)
			if len(tokens) == 0 {
				t.Fatal("the emulator recorded no token or session")
			}
			for i, tok := range tokens {
				secrets[fmt.Sprintf("token %d", i+1)] = tok
			}
		}
		if data, err := os.ReadFile(log); err != nil {
			t.Fatal(err)
		} else {
			for _, want := range sc.logged {
				if !strings.Contains(string(data), want) {
					t.Errorf("the TRACE log does not show %s: the scan did not cover it", want)
				}
			}
		}
		scanForSecrets(t, log, secrets)
	})
}

// TestAccProvider_endpointsFromEnvironment: the FinSpace and Huawei
// endpoints come from the environment like the other backends' URLs: the
// AWS SDKs' AWS_ENDPOINT_URL_FINSPACE_DATA, and HW_IDENTITY_CENTER_ENDPOINT.
// Serial: it sets the environment.
func TestAccProvider_endpointsFromEnvironment(t *testing.T) {
	envs := map[string]string{"finspace": sandbox.FinSpaceEndpointEnv, "huawei": sandbox.HuaweiEndpointEnv}
	testAccEach(t, []*accFixture{accFinSpace(t), accHuawei(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		t.Setenv(envs[f.name], f.url())
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			Steps: []resource.TestStep{{
				Config: f.providerWith(f.settings, f.block(f.urlAttr, "")) +
					fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userPasswordAddr, attrAt("password"), matchesServerPassword("password", f.currentOf(user))),
				},
				Check: f.expectSets(user, 1),
			}},
		})
	})
}
