package provider

// The secret scan of the acceptance tests. With TF_ACC set, TestMain
// (provider_test.go) calls startSecretScan before the tests and
// secretScan.finish after them:
//
//   - every test's Terraform CLI log and in-process provider log go, at
//     TRACE, into one file per test (TF_LOG_PATH_MASK; see startSecretScan
//     for each variable and what reads it);
//   - the Terraform CLI runs through a stand-in
//     (internal/sandbox/cmd/identity-terraform-tee) that copies its stdout
//     and stderr into a file per test: plan and apply output, the
//     diagnostics that ExpectError matches (the emulators' error texts as the
//     provider reports them) and any crash output;
//   - Terraform's working directories go under the scan's directory
//     (TF_ACC_TEMP_DIR), so that any *.log left there (crash.log) is scanned;
//   - after the tests, every secret the sandbox knows (sandbox.Secrets:
//     passwords set, issued or received, tokens and sessions, test
//     credentials) and every secret a test registered (registerTestSecret)
//     is looked for in all of those files, raw and in its escaped forms.
//     Any hit fails the run, naming the secret's kind, a hash of it, the
//     file and the line, never the secret; the files are then kept. A
//     secret on a line of configuration source that Terraform quotes under
//     a diagnostic is not a hit (see configSourceLine).
//
// State is not scanned here: Terraform stores sensitive attributes in state
// by design. The tests of write-only passwords and encrypt_to scan plan and
// state themselves (TestAccUserPassword_writeOnly, TestAccUserPassword_encryptTo,
// TestAccPasswordReset_encryptTo).
//
// IDENTITY_SECRET_SCAN tunes it: a comma-separated list of "off" (no scan,
// logging as before), "debug" (DEBUG instead of TRACE) and "keep" (keep the
// files even without a hit).

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

const (
	// envSecretScan tunes the scan: "off", "debug", "keep" (comma-separated).
	envSecretScan = "IDENTITY_SECRET_SCAN"
	// envWrappedTerraform is the real Terraform CLI, for the stand-in that
	// copies its output (identity-terraform-tee).
	envWrappedTerraform = "IDENTITY_SECRET_SCAN_TERRAFORM"
	// envScanLogDir is where that stand-in writes when Terraform has no
	// TF_LOG_PATH.
	envScanLogDir = "IDENTITY_SECRET_SCAN_DIR"
)

// minSecretLen is the shortest value scanned for. Shorter "secrets" (a
// test's deliberately weak password such as "weakpw", a 4-digit PIN) occur
// by chance in megabytes of logs and would fail runs for nothing; every
// real credential of the sandbox is much longer.
const minSecretLen = 8

// secretScan is the running scan: its directory and options.
type secretScan struct {
	dir   string // removed at the end unless kept
	logs  string // per-test log and output files
	level string // TRACE or DEBUG
	keep  bool
}

// startSecretScan routes every acceptance test's logs and Terraform output
// into a new temporary directory. It returns nil when IDENTITY_SECRET_SCAN
// has "off".
//
// The variables, and what reads them:
//   - TF_LOG_PATH_MASK: terraform-plugin-testing gives each test's Terraform
//     CLI TF_LOG_PATH = mask % test name (internal/plugintest NewWorkingDir,
//     with the CLI at TRACE unless TF_ACC_LOG says otherwise), and
//     terraform-plugin-log's test sink (tfsdklog.ContextWithTestLogging,
//     used by tf6server for in-process ProtoV6ProviderFactories providers)
//     writes the provider's logs to the same file; so does the SDK's
//     standard-library log redirection (helper/logging.LogOutput).
//   - TF_LOG: the level of that sink for the in-process provider (with a
//     mask, the sink takes the level from TF_LOG; TF_LOG_PROVIDER_* is not
//     read in-process: the provider's own loggers inherit the sink's level).
//   - TF_ACC_LOG: the Terraform CLI's TF_LOG (plugin-testing SetLog).
//   - TF_LOG_SDK_HELPER_RESOURCE=DEBUG: plugin-testing itself logs each
//     step's whole configuration at TRACE ("Setting Terraform
//     configuration"). That echoes the test's own HCL, literals included
//     (the provider blocks of most tests carry the sandbox credentials), so
//     it is no leak by Terraform or the provider; DEBUG keeps every other
//     line of the harness, its warnings with the CLI's errors included.
//   - TF_ACC_TEMP_DIR: where plugin-testing makes its working directories.
//   - TF_ACC_TERRAFORM_PATH: replaced by identity-terraform-tee, built
//     into the scan's directory, which runs the real CLI (kept in
//     IDENTITY_SECRET_SCAN_TERRAFORM) and copies its output.
//
// The mask overrides a TF_ACC_LOG_PATH of one's own: IDENTITY_SECRET_SCAN=keep
// keeps the per-test logs instead, =off gives TF_ACC_LOG_PATH back.
func startSecretScan() (*secretScan, error) {
	opts := strings.Split(strings.ToLower(os.Getenv(envSecretScan)), ",")
	if slices.Contains(opts, "off") {
		return nil, nil
	}
	s := &secretScan{level: "TRACE", keep: slices.Contains(opts, "keep")}
	if slices.Contains(opts, "debug") {
		s.level = "DEBUG"
	}
	dir, err := os.MkdirTemp("", "identity-acc-scan-")
	if err != nil {
		return nil, err
	}
	started := false
	defer func() {
		if !started {
			_ = os.RemoveAll(dir)
		}
	}()
	s.dir, s.logs = dir, filepath.Join(dir, "logs")
	work := filepath.Join(dir, "work")
	for _, d := range []string{s.logs, work} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, err
		}
	}
	tee, err := buildTerraformTee(dir)
	if err != nil {
		return nil, err
	}
	for k, v := range map[string]string{
		"TF_LOG_PATH_MASK":           filepath.Join(s.logs, "%s.log"),
		"TF_LOG":                     s.level,
		"TF_ACC_LOG":                 s.level,
		"TF_LOG_SDK_HELPER_RESOURCE": "DEBUG",
		"TF_ACC_TEMP_DIR":            work,
		envScanLogDir:                s.logs,
		envWrappedTerraform:          os.Getenv("TF_ACC_TERRAFORM_PATH"),
		"TF_ACC_TERRAFORM_PATH":      tee,
	} {
		if err := os.Setenv(k, v); err != nil {
			return nil, err
		}
	}
	started = true
	return s, nil
}

// buildTerraformTee builds the Terraform CLI stand-in that copies its output
// (internal/sandbox/cmd/identity-terraform-tee) into dir and returns its path.
func buildTerraformTee(dir string) (string, error) {
	out := filepath.Join(dir, "terraform")
	goTool := "go"
	if p, err := exec.LookPath("go"); err == nil {
		goTool = p
	}
	cmd := exec.Command(goTool, "build", "-o", out, "github.com/identityops/terraform-provider-identity/internal/sandbox/cmd/identity-terraform-tee")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build of the Terraform output copier: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// testLogFile is the file that holds the test's Terraform and provider logs
// while the scan runs ("" without it), named as plugin-testing and
// terraform-plugin-log name it.
func testLogFile(t *testing.T) string {
	mask := os.Getenv("TF_LOG_PATH_MASK")
	if mask == "" || os.Getenv(envWrappedTerraform) == "" {
		return ""
	}
	return fmt.Sprintf(mask, strings.ReplaceAll(t.Name(), "/", "__"))
}

// finish scans every file under the scan's directory for every
// secret known and returns 0, or 1 after reporting hits (and keeping the
// files) or a scan that could not prove anything.
func (s *secretScan) finish(sbx *sandbox.Sandbox) int {
	secrets := append(sbx.Secrets(), registeredTestSecrets()...)
	sc := newSecretScanner(secrets)
	res, err := sc.scanDir(s.dir)
	code := 0
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "secret scan: %v\n", err)
		code = 1
	case res.files > 0 && (!res.cliLogs || !res.providerLogs):
		// An empty or unrouted log would pass any scan: refuse to.
		fmt.Fprintf(os.Stderr, "secret scan: the %d files under %s lack Terraform CLI logs (%t) or provider logs (%t): "+
			"logging was not captured, so the scan would prove nothing\n", res.files, s.dir, res.cliLogs, res.providerLogs)
		code = 1
	case len(res.hits) > 0:
		fmt.Fprint(os.Stderr, res.report(s.dir))
		code = 1
	default:
		fmt.Printf("secret scan: %d secrets (%d forms) not found in %d files (%d MB) of %s logs and Terraform output "+
			"(%d echoes of configuration source ignored)\n",
			len(sc.secrets), len(sc.needles), res.files, res.bytes>>20, s.level, res.configEchoes)
	}
	if code != 0 || s.keep {
		fmt.Fprintf(os.Stderr, "secret scan: the logs are kept in %s\n", s.dir)
		return code
	}
	if err := os.RemoveAll(s.dir); err != nil {
		fmt.Fprintf(os.Stderr, "secret scan: removing %s: %v\n", s.dir, err)
	}
	return code
}

// traceLog makes the Terraform CLI and the in-process provider write TRACE
// logs into one file for the rest of the test, and returns its path. Tests
// that call it cannot run in parallel (they set the environment). Under the
// global secret scan (secretscan_test.go) that file is the test's own log
// file of the scan, at TRACE whatever the scan's level.
func traceLog(t *testing.T) string {
	t.Helper()
	if file := testLogFile(t); file != "" {
		t.Setenv("TF_LOG", "TRACE")
		t.Setenv("TF_ACC_LOG", "TRACE")
		return file
	}
	file := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", file)
	return file
}

// scanForSecrets fails the test if any secret appears in the file, and
// checks that the file really holds provider and Terraform logs, so that an
// empty log cannot pass.
func scanForSecrets(t *testing.T, file string, secrets map[string]string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	log := string(data)
	for _, marker := range []string{"identity API request", "identity API response"} {
		if !strings.Contains(strings.ToLower(log), strings.ToLower(marker)) {
			t.Fatalf("the TRACE log (%d bytes) lacks %q: logging was not captured, so the scan would prove nothing", len(data), marker)
		}
	}
	if !markerCLI.Match(data) {
		t.Fatalf("the TRACE log (%d bytes) lacks the CLI's version line: logging was not captured, so the scan would prove nothing", len(data))
	}
	if len(secrets) == 0 {
		t.Fatal("no secrets to scan for")
	}
	for name, s := range secrets {
		registerTestSecret(name, s) // the global scan looks for it in every test's logs
	}
	for name, s := range secrets {
		if len(s) < 6 {
			t.Fatalf("secret %s is too short to scan for meaningfully", name)
		}
		if i := strings.Index(log, s); i >= 0 {
			// Show where, with the secret itself replaced.
			start := strings.LastIndex(log[:i], "\n") + 1
			end := strings.Index(log[i:], "\n")
			if end < 0 {
				end = len(log) - i
			}
			line := strings.ReplaceAll(log[start:i+end], s, "<"+name+">")
			if len(line) > 400 {
				line = line[:400] + "…"
			}
			t.Errorf("the %s appears in the TRACE log: %s", name, line)
		}
	}
}

// Secrets only the tests know (a refused password never reaches an
// emulator; the fake Zato CLI keeps its own state).
var (
	testSecretsMu sync.Mutex
	testSecrets   []emu.Secret
)

// registerTestSecret adds a secret to those the scan looks for.
func registerTestSecret(kind, value string) {
	testSecretsMu.Lock()
	defer testSecretsMu.Unlock()
	testSecrets = append(testSecrets, emu.Secret{Kind: kind, Value: value})
}

func registeredTestSecrets() []emu.Secret {
	testSecretsMu.Lock()
	defer testSecretsMu.Unlock()
	return slices.Clone(testSecrets)
}

// trackZatoCLIServer registers, when the test ends, every password the fake
// Zato CLI server at dir holds (before t.TempDir removes it: cleanups run
// last-registered first).
func trackZatoCLIServer(t *testing.T, dir string) {
	t.Cleanup(func() {
		secrets, err := zatoemu.CLISecrets(dir)
		if err != nil {
			t.Errorf("reading the fake Zato CLI's passwords for the secret scan: %v", err)
			return
		}
		for _, s := range secrets {
			registerTestSecret(s.Kind, s.Value)
		}
	})
}

// needle is one form of one secret, as it would appear in a file.
type needle struct {
	secret int    // index into secretScanner.secrets
	form   string // "raw", "JSON-escaped", ...
	text   []byte
}

// secretScanner finds many secrets in large files at once: every needle's
// first 8 bytes index it, and a bit filter skips almost every position of a
// file with one multiplication.
type secretScanner struct {
	secrets []emu.Secret
	needles []needle
	index   map[uint64][]int
	filter  []uint64
	mask    *strings.Replacer // replaces every needle by its kind, for context lines
}

const filterBits = 20

func filterSlot(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> (64 - filterBits) }

// secretForm is one way a secret may be written into a log.
type secretForm struct{ name, text string }

// secretForms are the ways a secret may be written into a log: as is, inside
// a JSON string (Go escapes <, > and &), inside a Go-quoted string (hclog
// quotes field values) and URL-encoded; the raw form first.
func secretForms(v string) []secretForm {
	b, _ := json.Marshal(v) // a string always marshals
	q := strconv.Quote(v)
	return []secretForm{
		{"raw", v},
		{"JSON-escaped", string(b[1 : len(b)-1])},
		{"Go-quoted", q[1 : len(q)-1]},
		{"query-escaped", url.QueryEscape(v)},
		{"path-escaped", url.PathEscape(v)},
	}
}

func newSecretScanner(secrets []emu.Secret) *secretScanner {
	sc := &secretScanner{index: map[uint64][]int{}, filter: make([]uint64, 1<<filterBits/64)}
	seen := map[string]bool{}
	var pairs []string
	for _, s := range secrets {
		if len(s.Value) < minSecretLen || seen[s.Value] {
			continue
		}
		seen[s.Value] = true
		sc.secrets = append(sc.secrets, s)
		done := map[string]bool{}
		for _, f := range secretForms(s.Value) {
			if done[f.text] {
				continue
			}
			done[f.text] = true
			key := binary.LittleEndian.Uint64([]byte(f.text[:8]))
			sc.index[key] = append(sc.index[key], len(sc.needles))
			slot := filterSlot(key)
			sc.filter[slot/64] |= 1 << (slot % 64)
			sc.needles = append(sc.needles, needle{secret: len(sc.secrets) - 1, form: f.name, text: []byte(f.text)})
			pairs = append(pairs, f.text, "‹"+s.Kind+"›")
		}
	}
	sc.mask = strings.NewReplacer(pairs...)
	return sc
}

// secretHit is one secret found on one line of one file.
type secretHit struct {
	file    string
	line    int
	kind    string
	form    string
	hash    string // sha256 prefix of the secret, to tell secrets apart
	length  int
	context string // the line, every secret replaced by its kind
}

// configSourceLine matches the start of a line of configuration source that
// Terraform quotes under a diagnostic ("  24:   password = ..."), as printed
// or as logged inside an error ("  |   24: ..."). A secret written as a
// literal in a test's configuration shows there whenever a warning or error
// points at its attribute: that is the test's own text, no leak by
// Terraform or the provider (a value from a variable shows as "var.x", and
// Terraform prints a sensitive variable's value as "(sensitive value)").
var configSourceLine = regexp.MustCompile(`^(?:\s*\|)?\s+\d+: `)

// scanResult is what a scan found.
type scanResult struct {
	files, bytes          int
	cliLogs, providerLogs bool
	hits                  []secretHit // the first maxReportedHits lines
	configEchoes          int         // raw secrets on configuration source lines, not counted as hits
	totalHits, hiddenHits int
	hitFiles, hitSecrets  map[string]bool
	seenLineHits          map[string]bool // file:line:secret already reported
}

const maxReportedHits = 40

// Markers of logs really captured: the CLI's first log line (Terraform or
// OpenTofu) and a field of every in-process provider log line (whatever the
// provider's host and namespace: TF_ACC_PROVIDER_HOST, ..._NAMESPACE).
var (
	markerCLI      = regexp.MustCompile(`(Terraform|OpenTofu) version: `)
	markerProvider = regexp.MustCompile(`tf_provider_addr=[a-z0-9.-]+/[a-z0-9-]+/identity\b`)
)

// scanDir scans the per-test logs and Terraform output, and any *.log left
// in a working directory (crash.log), under dir. Other files of working
// directories are not scanned: state and plan files hold sensitive values
// by design.
func (sc *secretScanner) scanDir(dir string) (*scanResult, error) {
	res := &scanResult{hitFiles: map[string]bool{}, hitSecrets: map[string]bool{}, seenLineHits: map[string]bool{}}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	err = fs.WalkDir(root.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // a working directory removed meanwhile
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(path, ".log") {
			return nil
		}
		data, err := root.ReadFile(path)
		if err != nil {
			return err
		}
		res.files++
		res.bytes += len(data)
		res.cliLogs = res.cliLogs || markerCLI.Match(data)
		res.providerLogs = res.providerLogs || markerProvider.Match(data)
		sc.scan(filepath.FromSlash(path), data, res)
		return nil
	})
	return res, err
}

// scan adds the hits in data (the content of file) to res.
func (sc *secretScanner) scan(file string, data []byte, res *scanResult) {
	line, lineStart := 1, 0
	for i := 0; i+minSecretLen <= len(data); i++ {
		if data[i] == '\n' {
			line, lineStart = line+1, i+1
			continue
		}
		key := binary.LittleEndian.Uint64(data[i:])
		slot := filterSlot(key)
		if sc.filter[slot/64]&(1<<(slot%64)) == 0 {
			continue
		}
		for _, n := range sc.index[key] {
			nd := sc.needles[n]
			if !bytes.HasPrefix(data[i:], nd.text) {
				continue
			}
			if nd.form == "raw" && configSourceLine.Match(data[lineStart:i]) {
				res.configEchoes++
				continue
			}
			res.totalHits++
			s := sc.secrets[nd.secret]
			id := fmt.Sprintf("%s:%d:%d", file, line, nd.secret)
			if res.seenLineHits[id] {
				continue
			}
			res.seenLineHits[id] = true
			res.hitFiles[file] = true
			res.hitSecrets[s.Value] = true
			if len(res.hits) >= maxReportedHits {
				res.hiddenHits++
				continue
			}
			end := bytes.IndexByte(data[i:], '\n')
			if end < 0 {
				end = len(data)
			} else {
				end += i
			}
			sum := sha256.Sum256([]byte(s.Value))
			res.hits = append(res.hits, secretHit{
				file: file, line: line, kind: s.Kind, form: nd.form,
				hash: hex.EncodeToString(sum[:6]), length: len(s.Value),
				context: sc.context(string(data[lineStart:end]), s.Kind),
			})
		}
	}
}

// context is the line with every secret replaced by its kind, cut to 400
// bytes around the first one of the kind found, and quoted.
func (sc *secretScanner) context(line, kind string) string {
	masked := sc.mask.Replace(line)
	if len(masked) > 400 {
		at := max(0, strings.Index(masked, "‹"+kind+"›"))
		from := max(0, at-200)
		masked = strings.ToValidUTF8(masked[from:min(len(masked), from+400)], "") + "…"
	}
	return strconv.Quote(masked)
}

// report describes the hits without printing any secret.
func (r *scanResult) report(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "secret scan: FAILED: %d secrets found %d times in %d files under %s\n",
		len(r.hitSecrets), r.totalHits, len(r.hitFiles), dir)
	for _, h := range r.hits {
		fmt.Fprintf(&b, "  %s:%d: %s (%s form, %d characters, sha256 %s…)\n      %s\n",
			filepath.Join(dir, h.file), h.line, h.kind, h.form, h.length, h.hash, h.context)
	}
	if r.hiddenHits > 0 {
		fmt.Fprintf(&b, "  … and %d more lines with hits\n", r.hiddenHits)
	}
	b.WriteString("secret scan: find the code path that logged or printed each line above and mask the secret " +
		"(transport.MaskSecrets, or scrub the error text)\n")
	return b.String()
}

// TestSecretScan_findsSecrets proves that the scan can fail: secrets
// written raw, JSON-escaped and URL-encoded into a log are reported at their
// file and line, a short value is ignored, and the report names the kinds
// without printing any secret.
func TestSecretScan_findsSecrets(t *testing.T) {
	dir := t.TempDir()
	token := "gAAAAA-session-token-0123456789abcdef"
	password := `Pass<w0rd>&"quoted"`
	query := "Query Secret/+value"
	logs := filepath.Join(dir, "logs")
	if err := os.Mkdir(logs, 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(logs, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("TestAccA.log", "2025-01-01T00:00:00Z [INFO]  Terraform version: 1.11.4\n"+
		"[DEBUG] identity: request: tf_provider_addr=registry.terraform.io/hashicorp/identity\n"+
		"[TRACE] sdk.proto: body=\"{\\\"ust\\\":\\\""+token+"\\\"}\"\n"+
		"a short secret: weakpw\n"+
		`{"password":"`+mustJSON(t, password)+`"}`+"\n")
	write("TestAccB.terraform-output.log", "line one\nurl=https://x/?p="+url.QueryEscape(query)+"\n"+
		// Terraform quoting the test's configuration under a diagnostic.
		"  24:   password = \""+token+"\"\n"+
		"  |   24:   password = \""+token+"\"\n")
	write("ignored.txt", token) // only *.log files are scanned

	sc := newSecretScanner([]emu.Secret{
		{Kind: "Zato session token", Value: token},
		{Kind: "chosen password", Value: password},
		{Kind: "query secret", Value: query},
		{Kind: "weak password", Value: "weakpw"},
	})
	if len(sc.secrets) != 3 {
		t.Fatalf("scanning for %d secrets, want 3 (the short one ignored)", len(sc.secrets))
	}
	res, err := sc.scanDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.files != 2 || !res.cliLogs || !res.providerLogs {
		t.Errorf("files = %d, CLI logs %t, provider logs %t; want 2, true, true", res.files, res.cliLogs, res.providerLogs)
	}
	if res.configEchoes != 2 {
		t.Errorf("configuration source echoes = %d, want 2", res.configEchoes)
	}
	type where struct {
		file string
		line int
		kind string
		form string
	}
	var got []where
	for _, h := range res.hits {
		got = append(got, where{h.file, h.line, h.kind, h.form})
	}
	want := []where{
		{filepath.Join("logs", "TestAccA.log"), 3, "Zato session token", "raw"},
		{filepath.Join("logs", "TestAccA.log"), 5, "chosen password", "JSON-escaped"},
		{filepath.Join("logs", "TestAccB.terraform-output.log"), 2, "query secret", "query-escaped"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("hits:\n got %v\nwant %v", got, want)
	}
	report := res.report(dir)
	for _, s := range []string{token, password, query, mustJSON(t, password), url.QueryEscape(query)} {
		if strings.Contains(report, s) {
			t.Fatalf("the report prints a secret")
		}
	}
	for _, s := range []string{"TestAccA.log:3: Zato session token", "TestAccA.log:5: chosen password", "‹Zato session token›"} {
		if !strings.Contains(report, s) {
			t.Errorf("the report lacks %q:\n%s", s, report)
		}
	}
}

// TestSecretScan_refusesUncapturedLogs: files without the markers of
// Terraform and provider logs are noticed (the scan would prove nothing).
func TestSecretScan_refusesUncapturedLogs(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "TestAccA.log"), []byte("nothing logged\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := newSecretScanner(nil).scanDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.files != 1 || res.cliLogs || res.providerLogs {
		t.Errorf("files = %d, CLI logs %t, provider logs %t; want 1, false, false", res.files, res.cliLogs, res.providerLogs)
	}
}

func mustJSON(t *testing.T, v string) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[1 : len(b)-1])
}

// TestSecretScan_acceptsOpenTofuLogs: OpenTofu's logs, with the provider at
// its OpenTofu address, count as captured logs.
func TestSecretScan_acceptsOpenTofuLogs(t *testing.T) {
	dir := t.TempDir()
	log := "2025-01-01T00:00:00Z [INFO]  OpenTofu version: 1.12.6\n" +
		"[DEBUG] identity: request: tf_provider_addr=registry.opentofu.org/identityops/identity tf_rpc=ApplyResourceChange\n"
	if err := os.WriteFile(filepath.Join(dir, "TestAccA.log"), []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := newSecretScanner(nil).scanDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !res.cliLogs || !res.providerLogs {
		t.Errorf("CLI logs %t, provider logs %t; want true, true", res.cliLogs, res.providerLogs)
	}
}
