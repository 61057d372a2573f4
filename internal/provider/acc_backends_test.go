package provider

// The acceptance tests' fixture table: one entry per backend, and for Zato
// SSO one per transport (REST and CLI). Each says how to configure the
// provider for it, how to make a fresh user in its emulator, how to read
// what the emulator recorded and holds, and, through the provider's own
// backend, what it supports. The tests of each resource run once per
// backend that supports their case, in a subtest named after the entry.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// accFixture is one backend (or transport) as the acceptance tests see it.
type accFixture struct {
	// name names the backend's subtests: idaas, finspace, huawei, ocariot,
	// zato (REST) or zato_cli.
	name string
	// backend is the provider's backend as the capability matrix has it, a
	// zero value: its Name (as the diagnostics say it) and its Capabilities
	// (what a test may ask of it) depend on no configuration.
	backend backend.Backend
	// blockName and attrs are the backend's block of the provider
	// configuration, reaching the emulator.
	blockName string
	attrs     map[string]string
	// urlAttr is the attribute of attrs that holds the emulator's URL
	// ("" for the CLI).
	urlAttr string
	// secretAttr is the attribute of attrs that holds the backend's secret,
	// which secretEnv can hold instead ("" where the secret never goes in
	// the block: FinSpace's come from the AWS chain; the CLI has none).
	secretAttr, secretEnv string
	// settings are the provider settings of provider(), one a line.
	settings string
	// newUser adds a fresh user, so that parallel tests never share one.
	newUser func(t *testing.T) string
	// deleteUser removes a user behind Terraform's back (nil: the CLI).
	deleteUser func(user string)
	// setBehindBack changes a user's password behind Terraform's back (nil
	// for OCARIoT, which no test needs it of).
	setBehindBack func(t *testing.T, user, password string)
	// current is the password the emulator holds as current for a user.
	current func(user string) (string, bool)
	// issued lists every password the emulator took for a user, oldest
	// first (for Zato, the seed password too).
	issued func(user string) []string
	// sets returns the password-changing requests the emulator received
	// for a user, oldest first; setsName says what they are. Nil for the
	// CLI, which runs commands instead.
	sets     func(user string) []emu.Request
	setsName string
	// recorder, faults and clock are the emulator's (nil for the CLI).
	recorder *emu.Recorder
	faults   *emu.Faults
	clock    *emu.Clock
	// serverPath is the fake Zato server of the CLI fixture.
	serverPath string
}

// caps is what the backend supports.
func (f *accFixture) caps() backend.Capabilities { return f.backend.Capabilities() }

// url is the emulator's URL ("" for the CLI).
func (f *accFixture) url() string { return f.attrs[f.urlAttr] }

// provider is the fixture's provider block.
func (f *accFixture) provider() string { return f.providerWith(f.settings, f.block()) }

// providerWith is a provider block with the given settings (one a line,
// indented) and backend block, after the provider's address in
// required_providers: OpenTofu's import resolves an unqualified "identity"
// to registry.opentofu.org/hashicorp/identity, not to the provider the test
// serves at registry.opentofu.org/identityops/identity, where plan and apply
// find it.
func (f *accFixture) providerWith(settings, block string) string {
	return cliConfigHeader() + "\nprovider \"identity\" {\n" + settings + block + "}\n"
}

// block is the backend block with the attributes given as name, value
// pairs changed ("" drops one).
func (f *accFixture) block(changes ...string) string {
	attrs := maps.Clone(f.attrs)
	for i := 0; i+1 < len(changes); i += 2 {
		attrs[changes[i]] = changes[i+1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  %s {\n", f.blockName)
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		if attrs[k] != "" {
			fmt.Fprintf(&b, "    %s = %q\n", k, attrs[k])
		}
	}
	b.WriteString("  }\n")
	return b.String()
}

// blockAt is the backend block reaching another URL (a proxy, a remote host).
func (f *accFixture) blockAt(url string) string { return f.block(f.urlAttr, url) }

// blockFromEnv is the backend block without its secret, which it puts in
// the environment, as a CI pipeline does (Terraform logs HCL source at
// TRACE). The test cannot run in parallel.
func (f *accFixture) blockFromEnv(t *testing.T) string {
	if f.secretAttr == "" {
		return f.block()
	}
	t.Setenv(f.secretEnv, f.attrs[f.secretAttr])
	return f.block(f.secretAttr, "")
}

// caSetting is the provider setting that trusts the sandbox CA.
func caSetting() string { return fmt.Sprintf("  ca_certificate_pem = file(%q)\n", testCAFile) }

// restSettings are the settings of a provider reaching an emulator.
func restSettings() string { return caSetting() + "  max_retries        = 2\n" }

// currentOf is f.current for one user, as matchesServerPassword takes it.
func (f *accFixture) currentOf(user string) func() (string, bool) {
	return func() (string, bool) { return f.current(user) }
}

// expectSets is a step check on the number of password-changing requests
// for a user so far.
func (f *accFixture) expectSets(user string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(f.sets(user)); got != n {
			return fmt.Errorf("expected %d %s for user %s so far, the emulator recorded %d", n, f.setsName, user, got)
		}
		return nil
	}
}

// expectMentions is a step check on the number of requests the emulator
// received whose path names the user.
func (f *accFixture) expectMentions(user string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := f.recorder.Count("", user); got != n {
			return fmt.Errorf("%d requests mention user %s, want %d", got, user, n)
		}
		return nil
	}
}

// expectAsked is a step check that the emulator received at least one
// method request to path.
func (f *accFixture) expectAsked(method, path string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if f.recorder.Count(method, path) == 0 {
			return fmt.Errorf("no %s %s: the service was not asked", method, path)
		}
		return nil
	}
}

// expectIssued is a step check on how many passwords the emulator (or the
// fake CLI's state) holds as issued to a user.
func (f *accFixture) expectIssued(user string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(f.issued(user)); got != n {
			return fmt.Errorf("user %s has had %d passwords, want %d", user, got, n)
		}
		return nil
	}
}

// changesOf is expectChanges for one user, as triggerSteps takes it.
func (f *accFixture) changesOf(user string) func(n int) resource.TestCheckFunc {
	return func(n int) resource.TestCheckFunc { return f.expectChanges(user, n) }
}

// expectChanges is a step check on how many times the user's password was
// changed so far: the requests that change it or, for the CLI, the
// passwords the fake server's state holds besides the seed.
func (f *accFixture) expectChanges(user string, n int) resource.TestCheckFunc {
	if f.sets == nil {
		return f.expectIssued(user, n+1)
	}
	return f.expectSets(user, n)
}

// accEmulator is what every HTTP emulator of the sandbox tells alike.
type accEmulator interface {
	DeleteUser(id string)
	CurrentPassword(id string) (string, bool)
	IssuedPasswords(id string) []string
}

// reading completes the fixture of an HTTP emulator (e, whose embedded
// emu.Base is base): the provider settings that reach it, and what the
// fixture reads from it or changes behind Terraform's back.
func (f *accFixture) reading(e accEmulator, base *emu.Base) *accFixture {
	f.settings = restSettings()
	f.deleteUser, f.current, f.issued = e.DeleteUser, e.CurrentPassword, e.IssuedPasswords
	f.recorder, f.faults, f.clock = base.Recorder, base.Faults, base.Clock
	if b, ok := e.(interface{ SetPasswordBehindBack(id, pw string) }); ok && f.setBehindBack == nil {
		f.setBehindBack = func(_ *testing.T, user, pw string) { b.SetPasswordBehindBack(user, pw) }
	}
	return f
}

// accBackends opens the whole table, in the order of the docs.
func accBackends(t *testing.T) []*accFixture {
	return []*accFixture{accIDaaS(t), accFinSpace(t), accHuawei(t), accOCARIoT(t), accZato(t), accZatoCLI(t)}
}

// accBackendsWith opens the fixtures whose backend has what has asks for.
func accBackendsWith(t *testing.T, has func(backend.Capabilities) bool) []*accFixture {
	var out []*accFixture
	for _, f := range accBackends(t) {
		if has(f.caps()) {
			out = append(out, f)
		}
	}
	return out
}

// testAccEach runs test in a subtest per fixture; the subtests run in
// parallel when test makes them (resource.ParallelTest).
func testAccEach(t *testing.T, fixtures []*accFixture, test func(t *testing.T, f *accFixture)) {
	t.Helper()
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) { test(t, f) })
	}
}

// testAccParallel is testAccEach for a test that runs in parallel with
// the other tests.
func testAccParallel(t *testing.T, fixtures []*accFixture, test func(t *testing.T, f *accFixture)) {
	t.Parallel()
	testAccEach(t, fixtures, test)
}

// randomHex returns n random bytes in hex.
func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// randomUUID returns a random version 4 UUID.
func randomUUID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// jsonBody decodes a recorded JSON request body.
func jsonBody(t *testing.T, r emu.Request) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("a recorded %s %s body is not JSON: %v", r.Method, r.Path, err)
	}
	return body
}

// Entrust IDaaS.

func accIDaaS(t *testing.T) *accFixture {
	testAccPreCheck(t)
	e := testSandbox.IDaaS
	return (&accFixture{
		name: "idaas", backend: matrixBackend("Entrust IDaaS"),
		blockName: "entrust_idaas", urlAttr: "url", secretAttr: "shared_secret", secretEnv: "ENTRUST_IDAAS_SHARED_SECRET",
		attrs: map[string]string{
			"url": testSandbox.IDaaSURL, "application_id": idaasemu.TestApplicationID, "shared_secret": idaasemu.TestSharedSecret,
		},
		newUser:  newIDaaSUser,
		sets:     func(user string) []emu.Request { return e.Recorder.Match(http.MethodPut, "/users/"+user+"/passwords") },
		setsName: "password PUTs",
	}).reading(e, &e.Base)
}

// newIDaaSUser adds a fresh user to the IDaaS emulator and returns its UUID.
func newIDaaSUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	id := randomUUID(t)
	login := "user-" + id[:8]
	testSandbox.IDaaS.AddUser(idaasemu.User{ID: id, UserID: login, Email: login + "@example.com", State: "ACTIVE"})
	return id
}

// idaasPuts returns the decoded bodies of the password PUTs for a user.
func idaasPuts(t *testing.T, userID string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range testSandbox.IDaaS.Recorder.Match(http.MethodPut, "/users/"+userID+"/passwords") {
		out = append(out, jsonBody(t, r))
	}
	return out
}

// idaasEmailed counts the emails of a kind ("" for any) the emulator sent a user.
func idaasEmailed(user, kind string) int {
	n := 0
	for _, e := range testSandbox.IDaaS.EmailsSent() {
		if e.UserID == user && (kind == "" || e.Kind == kind) {
			n++
		}
	}
	return n
}

// AWS FinSpace.

func accFinSpace(t *testing.T) *accFixture {
	testAccPreCheck(t)
	e := testSandbox.FinSpace
	// The credentials come from the AWS_* environment TestMain set, as from
	// any AWS credential chain.
	return (&accFixture{
		name: "finspace", backend: matrixBackend("AWS FinSpace"),
		blockName: "aws_finspace", urlAttr: "endpoint",
		attrs:    map[string]string{"region": finspaceemu.TestRegion, "endpoint": testSandbox.FinSpaceURL},
		newUser:  func(t *testing.T) string { return newFinSpaceUser(t, "ENABLED") },
		sets:     finspaceResets,
		setsName: "ResetUserPassword requests",
	}).reading(e, &e.Base)
}

// newFinSpaceUser adds a fresh APP_USER with the given status (ENABLED or
// DISABLED) to the FinSpace emulator and returns its userId.
func newFinSpaceUser(t *testing.T, status string) string {
	t.Helper()
	testAccPreCheck(t)
	id := "fs-acc-" + randomHex(t, 8) // 23 characters: FinSpace allows 26
	testSandbox.FinSpace.AddUser(finspaceemu.User{ID: id, FirstName: "Acc", LastName: "Test", EmailAddress: id + "@example.com", Status: status})
	return id
}

// finspaceResets returns the ResetUserPassword requests recorded for a user.
func finspaceResets(userID string) []emu.Request {
	return testSandbox.FinSpace.Recorder.Match(http.MethodPost, "/user/"+userID+"/password")
}

// Huawei Cloud IAM Identity Center.

func accHuawei(t *testing.T) *accFixture {
	testAccPreCheck(t)
	e := testSandbox.Huawei
	return (&accFixture{
		name: "huawei", backend: matrixBackend("Huawei Cloud IAM Identity Center"),
		blockName: "huawei_identity_center", urlAttr: "endpoint", secretAttr: "secret_key", secretEnv: "HW_SECRET_KEY",
		attrs: map[string]string{
			"region": "ap-southeast-1", "identity_store_id": huaweiemu.TestIdentityStoreID,
			"access_key": huaweiemu.TestAccessKey, "secret_key": huaweiemu.TestSecretKey, "endpoint": testSandbox.HuaweiURL,
		},
		newUser:  func(t *testing.T) string { return newHuaweiUser(t, true) },
		sets:     huaweiResets,
		setsName: "reset-password requests",
	}).reading(e, &e.Base)
}

// newHuaweiUser adds a fresh user to the Huawei emulator and returns its user_id.
func newHuaweiUser(t *testing.T, enabled bool) string {
	t.Helper()
	testAccPreCheck(t)
	id := randomUUID(t)
	name := "acc-" + id[:8]
	testSandbox.Huawei.AddUser(huaweiemu.User{ID: id, UserName: name, DisplayName: "Acc " + id[:8], Email: name + "@example.com", Enabled: enabled})
	return id
}

// huaweiResets returns the reset-password requests recorded for a user.
func huaweiResets(userID string) []emu.Request {
	return testSandbox.Huawei.Recorder.Match(http.MethodPost, "/users/"+userID+"/reset-password")
}

// OCARIoT.

func accOCARIoT(t *testing.T) *accFixture {
	testAccPreCheck(t)
	e := testSandbox.OCARIoT
	// The emulator's admin, whose tokens carry users:resetPassword.
	return (&accFixture{
		name: "ocariot", backend: matrixBackend("OCARIoT"),
		blockName: "ocariot", urlAttr: "url", secretAttr: "password", secretEnv: "OCARIOT_PASSWORD",
		attrs:   map[string]string{"url": testSandbox.OCARIoTURL, "username": ocariotemu.TestUsername, "password": ocariotemu.TestPassword},
		newUser: newOCARIoTUser,
		sets: func(user string) []emu.Request {
			return e.Recorder.Match(http.MethodPost, "/v1/users/"+user+"/reset-password")
		},
		setsName: "reset-password requests",
	}).reading(e, &e.Base)
}

// newOCARIoTID returns a random OCARIoT id: 24 lowercase hex characters.
func newOCARIoTID(t *testing.T) string { return randomHex(t, 12) }

// newOCARIoTUser adds a fresh user (no password yet) to the OCARIoT
// emulator and returns its id.
func newOCARIoTUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	id := newOCARIoTID(t)
	testSandbox.OCARIoT.AddUser(id)
	return id
}

// Zato SSO over REST.

const (
	zatoPasswordPath = "/zato/sso/user/password"
	zatoUserPath     = "/zato/sso/user"
)

func accZato(t *testing.T) *accFixture {
	testAccPreCheck(t)
	e := testSandbox.Zato
	return (&accFixture{
		name: "zato", backend: matrixBackend("Zato SSO"),
		blockName: "zato_sso", urlAttr: "url", secretAttr: "password", secretEnv: "ZATO_SSO_PASSWORD",
		attrs: map[string]string{
			"url": testSandbox.ZatoURL, "username": zatoemu.TestUsername, "password": zatoemu.TestPassword, "current_app": zatoemu.TestCurrentApp,
		},
		newUser:  newZatoUser,
		sets:     func(user string) []emu.Request { return zatoPatches(zatoPasswordPath, user) },
		setsName: "password PATCHes",
	}).reading(e, &e.Base)
}

// zatoInitialPassword is a seed password that passes the server rules.
func zatoInitialPassword(t *testing.T) string {
	return "Initial-Seed-" + strings.NewReplacer("1", "x", "a", "y").Replace(randomHex(t, 6))
}

// newZatoUser adds a fresh user to the Zato REST emulator and returns its user_id.
func newZatoUser(t *testing.T) string {
	t.Helper()
	testAccPreCheck(t)
	return testSandbox.Zato.AddUser(zatoemu.User{Username: "tf-" + randomHex(t, 6), Password: zatoInitialPassword(t)})
}

// zatoPatches returns the PATCH requests (every Zato write is one) to this
// exact path whose JSON body names the user, oldest first.
func zatoPatches(path, userID string) []emu.Request {
	var out []emu.Request
	for _, r := range testSandbox.Zato.Recorder.Match(http.MethodPatch, path) {
		var body struct {
			UserID string `json:"user_id"`
		}
		if r.Path == path && json.Unmarshal(r.Body, &body) == nil && body.UserID == userID {
			out = append(out, r)
		}
	}
	return out
}

// zatoCalls returns the decoded bodies of zatoPatches, each with the
// answer's status under "(status)".
func zatoCalls(t *testing.T, path, userID string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range zatoPatches(path, userID) {
		body := jsonBody(t, r)
		body["(status)"] = r.Status
		out = append(out, body)
	}
	return out
}

// Zato SSO through its CLI: a fake zato command on a fake server path of
// the test's own.

func accZatoCLI(t *testing.T) *accFixture {
	testAccPreCheck(t)
	dir := newZatoCLIServer(t)
	user := func(u string) (zatoemu.CLIUser, error) { return zatoemu.CLIUserState(dir, u) }
	return &accFixture{
		name: "zato_cli", backend: matrixBackend("Zato SSO (CLI)"), serverPath: dir,
		blockName: "zato_sso", attrs: map[string]string{"server_path": dir, "zato_command": zatoFakeCommand(t)},
		newUser: func(t *testing.T) string {
			u := "tf-" + randomHex(t, 5)
			pw := zatoInitialPassword(t)
			if err := zatoemu.UpdateCLIState(dir, func(st *zatoemu.CLIState) error {
				st.Users[u] = &zatoemu.CLIUser{Username: u, Password: pw, Issued: []string{pw}}
				return nil
			}); err != nil {
				t.Fatalf("adding a user to the fake Zato server: %v", err)
			}
			return u
		},
		setBehindBack: func(t *testing.T, user, pw string) {
			if err := zatoemu.SetCLIPasswordBehindBack(dir, user, pw); err != nil {
				t.Fatalf("changing the password behind Terraform's back: %v", err)
			}
		},
		current: func(u string) (string, bool) {
			cu, err := user(u)
			return cu.Password, err == nil
		},
		issued: func(u string) []string {
			cu, _ := user(u)
			return cu.Issued
		},
	}
}

// zatoCLIUser reads one user of a fake server path, failing the test when
// the state cannot be read.
func zatoCLIUser(t *testing.T, serverPath, username string) zatoemu.CLIUser {
	t.Helper()
	u, err := zatoemu.CLIUserState(serverPath, username)
	if err != nil {
		t.Fatalf("reading the fake Zato server's state: %v", err)
	}
	return u
}

var (
	zatoFakeOnce sync.Once
	zatoFakePath string
	zatoFakeErr  error
)

// zatoFakeCommand builds the fake zato command once per test process. It
// goes into a directory of its own made with os.MkdirTemp, not t.TempDir:
// the first test to ask would otherwise delete it under the parallel tests
// still using it. Nothing removes that directory afterwards (no test knows
// it is the last user): it is left in the system temporary directory as
// identity-acc-fakezato-*.
func zatoFakeCommand(t *testing.T) string {
	t.Helper()
	zatoFakeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "identity-acc-fakezato-") //nolint:usetesting // shared by every test: see above
		if err != nil {
			zatoFakeErr = err
			return
		}
		zatoFakePath, zatoFakeErr = zatoemu.BuildFakeZato(dir)
	})
	if zatoFakeErr != nil {
		t.Fatalf("building the fake zato command: %v", zatoFakeErr)
	}
	return zatoFakePath
}

// newZatoCLIServer makes a fake Zato server path for one test, with the
// fake command's default users, and builds the fake command if needed. The
// secret scan learns every password it held when the test ends.
func newZatoCLIServer(t *testing.T) string {
	t.Helper()
	zatoFakeCommand(t)
	dir := t.TempDir()
	if err := zatoemu.CreateCLIServer(dir); err != nil {
		t.Fatalf("creating the fake Zato server path: %v", err)
	}
	trackZatoCLIServer(t, dir)
	return dir
}
