package provider

// The two plan-time refusals every resource's tests share: bad input (an
// invalid configuration or a hostile value: a clear error scoped to the
// attribute at fault) and a feature the backend does not have ("Not
// Supported By ..."). Either way nothing may reach an identity system.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// badInputCase is one invalid configuration or hostile value. It must fail
// at plan with the diagnostic summary, pointing (in Terraform's source
// snippet) at the attribute, with the detail; and send nothing.
type badInputCase struct {
	name   string
	config string
	// env is set (t.Setenv) for the case; "" clears a variable.
	env map[string]string
	// summary is a regexp of the diagnostic's summary line.
	summary string
	// attr is the attribute whose source line Terraform shows under the
	// error, which is what an attribute-scoped diagnostic makes it do (an
	// unscoped one shows the block's first line). Empty when the attribute
	// is not written in the configuration (it comes from the environment)
	// or when Terraform itself rejects the file.
	attr string
	// detail is words the detail must hold; a space matches any white space
	// (Terraform wraps long lines).
	detail string
	// want, when set, is the whole regexp the error must match instead of
	// summary, attr and detail.
	want string
	// note says why, where it is not obvious; Terraform rejecting a value
	// before the provider sees it is said here.
	note string
	// terraform marks a file Terraform itself refuses to read: a valid
	// step follows, so that the test harness can read the (empty) state.
	terraform bool
}

// nestedNote explains the generate cases, whose error is attribute-scoped
// (generate.<name>) but shown on the resource's first line: Terraform
// points source snippets at block attributes, not inside an object value.
const nestedNote = "attribute-scoped to generate.<name>; Terraform cannot point a snippet inside an object value, so the detail names it"

// Values used by the cases; none is a real secret.
const (
	biIDaaSUser   = "0000aaaa-0000-4000-8000-0000000bad01"
	biOCARIoTUser = "5a62be07d6f33400146c9b61"
	biZatoUser    = "zusrbadinput0000000000000001"
	biFinSpace    = "fs-badinput-0001"
	biHuaweiUser  = "badinput-0001"
	biPassword    = "Bad-Input-Passw0rd!"
)

// biProvider is a provider block with the sandbox CA, no retries and the
// given backend block.
func biProvider(f *accFixture, block string) string {
	return f.providerWith(caSetting()+"  max_retries        = 0\n", block)
}

// biUserPassword is an identity_user_password with each attribute line as
// given (HCL, one attribute a line).
func biUserPassword(lines ...string) string {
	return "resource \"identity_user_password\" \"bad\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

func biReset(lines ...string) string {
	return "resource \"identity_password_reset\" \"bad\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// hcl quotes s as an HCL string literal: \uNNNN escapes for anything that
// is not printable ASCII, and "${" and "%{" escaped as "$${" and "%%{".
func hcl(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hclAttr is `name = "value"`.
func hclAttr(name, value string) string { return name + " = " + hcl(value) }

// biRecorders are the recorders of the sandbox's five emulators.
func biRecorders() map[string]*emu.Recorder {
	return map[string]*emu.Recorder{
		"Entrust IDaaS": testSandbox.IDaaS.Recorder,
		"AWS FinSpace":  testSandbox.FinSpace.Recorder,
		"Huawei":        testSandbox.Huawei.Recorder,
		"OCARIoT":       testSandbox.OCARIoT.Recorder,
		"Zato SSO":      testSandbox.Zato.Recorder,
	}
}

// biCounts is how many requests each emulator has received.
func biCounts() map[string]int {
	counts := map[string]int{}
	for name, r := range biRecorders() {
		counts[name] = len(r.Requests())
	}
	return counts
}

// biSentSince lists the requests received since before (method and path:
// no secrets), or nothing.
func biSentSince(before map[string]int) []string {
	var sent []string
	for name, r := range biRecorders() {
		reqs := r.Requests()
		for _, q := range reqs[min(before[name], len(reqs)):] {
			sent = append(sent, name+": "+q.Method+" "+q.Path)
		}
	}
	return sent
}

// badInputCLI is a provider block for the Zato CLI transport whose command
// leaves a mark (the file mark) if it ever runs.
func badInputCLI(t *testing.T) (provider, mark string) {
	t.Helper()
	dir := t.TempDir()
	mark = filepath.Join(dir, "ran")
	command := filepath.Join(dir, "zato")
	if err := os.WriteFile(command, []byte("#!/bin/sh\necho \"$@\" >> '"+mark+"'\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	serverPath := filepath.Join(dir, "server1")
	if err := os.Mkdir(serverPath, 0o700); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("provider \"identity\" {\n  zato_sso {\n    server_path  = %q\n    zato_command = %q\n  }\n}\n", serverPath, command), mark
}

// testAccBadInput runs one case a subtest: each fails at plan with a clear
// error scoped to the attribute at fault, sends no request to any emulator
// (and, when cliMark is given, runs no zato command), and does not crash
// the provider. Serial: it counts every emulator's requests before and
// after each case, and some cases set the environment.
func testAccBadInput(t *testing.T, cases []badInputCase, cliMark string) {
	testAccPreCheck(t)
	for _, tc := range cases {
		t.Run(strings.NewReplacer(" ", "_", "/", "_").Replace(tc.name), func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			before := biCounts()
			steps := []resource.TestStep{{
				Config:      tc.config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(tc.pattern()),
			}}
			if tc.terraform {
				steps = append(steps, resource.TestStep{Config: "locals {}\n", PlanOnly: true})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(nil),
				Steps:                    steps,
			})
			// Checked here, not in CheckDestroy: that does not run when
			// nothing reached state. The test is serial, so nothing else sends.
			if sent := biSentSince(before); len(sent) != 0 {
				t.Errorf("the case sent %d requests: %s", len(sent), strings.Join(sent, ", "))
			}
			if cliMark != "" {
				if out, err := os.ReadFile(cliMark); err == nil {
					t.Errorf("the zato command ran (%d bytes of arguments recorded)", len(out))
					_ = os.Remove(cliMark)
				}
			}
			if tc.note != "" {
				t.Log(tc.note)
			}
		})
	}
}

// otherLine is one line of Terraform's error output that does not start
// another diagnostic ("Error: ..."), so that summary, snippet and detail are
// matched within one diagnostic. (RE2 has no lookahead: the prefixes of
// "Error:" are spelled out.)
const otherLine = `(?:[^E\n][^\n]*|E[^r\n][^\n]*|Er[^r\n][^\n]*|Err[^o\n][^\n]*|Erro[^r\n][^\n]*|Error[^:\n][^\n]*|E|Er|Err|Erro|Error)?\n`

// pattern is the regexp the plan's error output must match: want, or one
// diagnostic with the summary, the source snippet of the attribute (when
// given), then the detail.
func (tc badInputCase) pattern() string {
	if tc.want != "" {
		return tc.want
	}
	p := `Error: ` + tc.summary + `\n(?:` + otherLine + `){0,8}?`
	if tc.attr != "" {
		// The source snippet: "  12:   user_id = ...".
		p += `[ \t]*\d+:\s+` + regexp.QuoteMeta(tc.attr) + `\s*=[^\n]*\n(?:` + otherLine + `){0,8}?`
	}
	words := strings.Fields(tc.detail)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return p + `[^\n]*?` + strings.Join(words, `\s+`)
}

// planRefusal is a configuration the provider refuses at plan.
type planRefusal struct {
	name string
	// user is the user the configuration names: nothing may be sent for it.
	user   string
	config string
	want   string
}

// notSupported matches the plan-time error for one attribute a backend
// cannot honour: the summary names the backend, the detail what it cannot
// do and the attribute.
func notSupported(f *accFixture, attr string) string {
	name := strings.ReplaceAll(regexp.QuoteMeta(f.backend.Name()), " ", `\s+`)
	return `Error: Not\s+Supported\s+By\s+` + name + `.*?` + name + `\s+cannot\s.*?\sso\s+` + regexp.QuoteMeta(attr) +
		`\s+cannot\s+be\s+used\s+with\s+this\s+provider\s+block`
}

// unsupportedAttrs is one case per attribute line: each a resource of the
// given type for a fresh user, with that attribute. The error must go on
// with detail (a regexp), if given.
func unsupportedAttrs(t *testing.T, f *accFixture, typ string, attrs [][2]string, detail ...string) []planRefusal {
	var out []planRefusal
	for _, a := range attrs {
		user := f.newUser(t)
		out = append(out, planRefusal{
			name: a[0], user: user, want: `(?s)` + notSupported(f, a[0]) + strings.Join(detail, ""),
			config: fmt.Sprintf("resource %q \"test\" {\n  user_id = %q\n  %s\n}\n", typ, user, a[1]),
		})
	}
	return out
}

// bcryptLine is a bcrypt_hash attribute line with a fresh hash.
func bcryptLine(t *testing.T) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Secret-42"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("bcrypt_hash = %q", hash)
}

// testAccRefusedAtPlan runs the cases, one plan-only step each in one test
// case (one Terraform init), with the fixture's provider block (and no
// other, so that the provider server the steps share keeps one
// configuration): each must fail at plan with its error, and
// nothing may reach the identity system for its user (for the CLI: the
// user keeps its one password). With serial, every request the emulator
// received meanwhile counts, a login too: the test does not run in parallel
// with others, which would send their own.
func testAccRefusedAtPlan(t *testing.T, f *accFixture, serial bool, cases []planRefusal) {
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{
			Config:      f.provider() + tc.config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		}
	}
	run, before := resource.ParallelTest, 0
	if serial {
		run, before = resource.Test, len(f.recorder.Requests())
	}
	run(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories(nil), Steps: steps})
	if serial {
		if n := len(f.recorder.Requests()) - before; n != 0 {
			t.Errorf("configurations refused at plan sent %d requests to %s", n, f.backend.Name())
		}
	}
	for _, tc := range cases {
		switch {
		case f.recorder != nil:
			if n := f.recorder.Count("", tc.user); n != 0 {
				t.Errorf("%s: a configuration refused at plan sent %d requests for its user", tc.name, n)
			}
		case len(f.issued(tc.user)) != 1:
			t.Errorf("%s: a configuration refused at plan changed its user's password", tc.name)
		}
	}
}
