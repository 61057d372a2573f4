package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
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

// biProvider is a provider block with the sandbox CA and one backend block.
func biProvider(block string) string {
	return fmt.Sprintf("provider \"identity\" {\n  ca_certificate_pem = file(%q)\n  max_retries        = 0\n%s\n}\n", testCAFile, block)
}

func biIDaaS(url string) string {
	return fmt.Sprintf("  entrust_idaas {\n    url            = %q\n    application_id = %q\n    shared_secret  = %q\n  }", url, idaasemu.TestApplicationID, idaasemu.TestSharedSecret)
}

func biOCARIoT(url string) string {
	return fmt.Sprintf("  ocariot {\n    url      = %q\n    username = %q\n    password = %q\n  }", url, ocariotemu.TestUsername, ocariotemu.TestPassword)
}

func biZato(url string) string {
	return fmt.Sprintf("  zato_sso {\n    url         = %q\n    username    = %q\n    password    = %q\n    current_app = %q\n  }", url, zatoemu.TestUsername, zatoemu.TestPassword, zatoemu.TestCurrentApp)
}

func biFinSpaceBlock(region, endpoint string) string {
	return fmt.Sprintf("  aws_finspace {\n    region   = %q\n    endpoint = %q\n  }", region, endpoint)
}

func biHuawei(region, storeID, endpoint string) string {
	ep := ""
	if endpoint != "" {
		ep = fmt.Sprintf("\n    endpoint          = %q", endpoint)
	}
	return fmt.Sprintf("  huawei_identity_center {\n    region            = %q\n    identity_store_id = %q\n    access_key        = %q\n    secret_key        = %q%s\n  }",
		region, storeID, huaweiemu.TestAccessKey, huaweiemu.TestSecretKey, ep)
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

// TestAccBadInput_allBackendsPlanTime runs one invalid configuration or
// hostile value a case, across the five backends: each fails at plan with
// a clear error scoped to the attribute at fault, sends no request to any
// emulator (and runs no zato command), and does not crash the provider.
// Serial: it counts every emulator's requests before and after each case,
// and some cases set the environment.
func TestAccBadInput_allBackendsPlanTime(t *testing.T) {
	testAccPreCheck(t)
	idaas := biProvider(biIDaaS(testSandbox.IDaaSURL))
	ocariot := biProvider(biOCARIoT(testSandbox.OCARIoTURL))
	zato := biProvider(biZato(testSandbox.ZatoURL))
	finspace := biProvider(biFinSpaceBlock(finspaceemu.TestRegion, testSandbox.FinSpaceURL))
	huawei := biProvider(biHuawei("ap-southeast-1", huaweiemu.TestIdentityStoreID, testSandbox.HuaweiURL))

	// The Zato CLI transport: a command that leaves a mark if it ever runs.
	cliDir := t.TempDir()
	cliMark := filepath.Join(cliDir, "ran")
	cliCommand := filepath.Join(cliDir, "zato")
	if err := os.WriteFile(cliCommand, []byte("#!/bin/sh\necho \"$@\" >> '"+cliMark+"'\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	serverPath := filepath.Join(cliDir, "server1")
	if err := os.Mkdir(serverPath, 0o700); err != nil {
		t.Fatal(err)
	}
	zatoCLI := fmt.Sprintf("provider \"identity\" {\n  zato_sso {\n    server_path  = %q\n    zato_command = %q\n  }\n}\n", serverPath, cliCommand)

	mb := `format("%01048576d", 7)` // a 1 MiB string, built by Terraform
	noEnv := func(names ...string) map[string]string {
		m := map[string]string{}
		for _, n := range names {
			m[n] = ""
		}
		return m
	}
	idaasEnv := []string{"ENTRUST_IDAAS_URL", "ENTRUST_IDAAS_APPLICATION_ID", "ENTRUST_IDAAS_SHARED_SECRET"}
	ocariotEnv := []string{"OCARIOT_URL", "OCARIOT_USERNAME", "OCARIOT_PASSWORD", "OCARIOT_ACCESS_TOKEN"}

	cases := []badInputCase{
		// User ids: empty, blank, path separators, ../, URL-encoding tricks,
		// NUL and control characters, lengths. Generic checks come from the
		// user_id validator, backend forms from ModifyPlan (ValidateUserID).
		{name: "idaas empty user_id", config: idaas + biUserPassword(`user_id = ""`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not be empty or blank"},
		{name: "zato ideographic-space user_id", config: zato + biUserPassword(`user_id = "\u3000"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not be empty or blank"},
		{name: "idaas user_id with ../ traversal", config: idaas + biUserPassword(`user_id = "../../adminapi/authenticate"`),
			summary: "Invalid User ID", attr: "user_id", detail: "Entrust IDaaS expects the IDaaS user UUID"},
		{name: "finspace user_id with ../", config: finspace + biUserPassword(`user_id = "../fs-admin"`),
			summary: "Invalid User ID", attr: "user_id", detail: `must not contain whitespace, control characters or any of / \ ? # %`},
		{name: "huawei user_id is .", config: huawei + biUserPassword(`user_id = "."`),
			summary: "Invalid User ID", attr: "user_id", detail: "is a relative path segment"},
		{name: "zato user_id with path separators", config: zato + biUserPassword(`user_id = "zusr/../admin"`),
			summary: "Invalid User ID", attr: "user_id", detail: "Zato SSO expects the Zato user_id (zusr...)"},
		{name: "idaas user_id URL-encoded traversal", config: idaas + biUserPassword(`user_id = "%2e%2e%2f%2e%2e%2fadminapi"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must be the user's UUID"},
		{name: "finspace user_id URL-encoded slash", config: finspace + biUserPassword(`user_id = "fs%2F..%2Fadmin"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain"},
		{name: "huawei user_id double URL-encoded", config: huawei + biUserPassword(`user_id = "u%252e%252e%252f"`),
			summary: "Invalid User ID", attr: "user_id", detail: "cannot be part of"},
		{name: "ocariot user_id 24 characters not hex", config: ocariot + biUserPassword(`user_id = "507f191e810c19729de860e%"`),
			summary: "Invalid User ID", attr: "user_id", detail: "A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected."},
		{name: "huawei user_id with a query", config: huawei + biUserPassword(`user_id = "u?mode=EMAIL"`),
			summary: "Invalid User ID", attr: "user_id", detail: "cannot be part of"},
		{name: "idaas user_id with NUL", config: idaas + biUserPassword(`user_id = "a\u0000b"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain control characters"},
		{name: "zato user_id with a newline", config: zato + biUserPassword(`user_id = "zusr\nadmin"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain control characters"},
		{name: "huawei user_id with a C1 control (NEL)", config: huawei + biUserPassword(`user_id = "u\u0085x"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain control characters"},
		{name: "zato user_id with a line separator", config: zato + biUserPassword(`user_id = "zusr\u2028x"`),
			summary: "Invalid User ID", attr: "user_id", detail: "has no whitespace, control characters",
			note: "U+2028 is white space but not a control character: the Zato backend's own check refuses it"},
		{name: "finspace user_id of 300 characters", config: finspace + biUserPassword(`user_id = "`+strings.Repeat("f", 300)+`"`),
			summary: "Invalid User ID", attr: "user_id", detail: "longer than any identity system's ids"},
		{name: "finspace user_id of 27 characters", config: finspace + biUserPassword(`user_id = "`+strings.Repeat("f", 27)+`"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must be at most 26 characters"},
		{name: "zato cli username read as an option", config: zatoCLI + biUserPassword(`user_id = "--help"`),
			summary: "Invalid User ID", attr: "user_id", detail: `must not start with "-"`},
		{name: "huawei reset user_id with ../", config: huawei + biReset(`user_id = "../x"`),
			summary: "Invalid User ID", attr: "user_id", detail: "cannot be part of"},
		{name: "idaas data source user_id with ../", config: idaas + "data \"identity_user\" \"bad\" {\n  user_id = \"../x\"\n}\n",
			summary: "Invalid User ID", attr: "user_id", detail: "must be the user's UUID"},

		// Passwords.
		{name: "idaas 1 MiB password", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), "password = "+mb),
			summary: "Invalid Attribute Value Length", attr: "password", detail: "Attribute password string length must be between 1 and 1024, got: 1048576"},
		{name: "ocariot 1 MiB password_wo", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "password_wo = "+mb, `password_wo_version = "1"`),
			summary: "Invalid Attribute Value Length", attr: "password_wo", detail: "Attribute password_wo string length must be between 1 and 1024"},
		{name: "zato empty password", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), `password = ""`),
			summary: "Invalid Attribute Value Length", attr: "password", detail: "must be between 1 and 1024, got: 0"},
		{name: "zato password with NUL", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), `password = "Passw0rd-\u0000-tail"`),
			summary: "Invalid Password", attr: "password", detail: "Attribute password value must be valid UTF-8 without control characters"},

		// The generate policy.
		{name: "ocariot generate length 0", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "generate = {", "  length = 0", "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.length: length must be at least 1 (got 0).",
			note: nestedNote},
		{name: "zato generate length 100000", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), "generate = {", "  length = 100000", "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.length: length must be at most 4096 (got 100000).",
			note: nestedNote},
		{name: "idaas negative min_numeric", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), `generated_by = "provider"`, "generate = {", "  min_numeric = -3", "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.min_numeric: min_numeric must not be negative (got -3).",
			note: nestedNote},
		{name: "ocariot override_special invalid UTF-8", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "generate = {", "  override_special = \"!\xff\xfe#\"", "}"),
			summary: "Invalid character encoding", detail: "All input files must be UTF-8 encoded", terraform: true,
			note: "Terraform refuses a configuration file that is not UTF-8 before the provider sees it"},
		{name: "zato override_special lone surrogate escape", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), "generate = {", `  override_special = "!\ud800"`, "}"),
			summary: "Invalid escape sequence", attr: "override_special", detail: "Cannot encode character U+d800 in UTF-8", terraform: true,
			note: "HCL cannot make invalid UTF-8: Terraform refuses the escape before the provider sees it"},
		{name: "ocariot override_special with NUL", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "generate = {", `  override_special = "!\u0000#"`, "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.override_special: override_special must not contain U+0000 (a control character).",
			note: nestedNote},

		// Days and times.
		{name: "ocariot negative rotation_days", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "rotation_days = -1"),
			summary: "Invalid Attribute Value", attr: "rotation_days", detail: "Attribute rotation_days value must be at least 1, got: -1"},
		{name: "idaas negative valid_for_days", config: idaas + biReset(hclAttr("user_id", biIDaaSUser), "valid_for_days = -7"),
			summary: "Invalid Attribute Value", attr: "valid_for_days", detail: "Attribute valid_for_days value must be between 1 and 3650, got: -7"},
		{name: "idaas expires_at not a date", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), hclAttr("password", biPassword), `expires_at = "2030-02-30T00:00:00Z"`),
			summary: "Invalid Time", attr: "expires_at", detail: "must be an RFC 3339 time"},

		// Provider settings: plain http to a remote host, bad CA PEM, hosts
		// made from settings.
		{name: "idaas http url to a remote host", config: biProvider(biIDaaS("http://acme.us.trustedauth.com")) + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			summary: "Invalid URL", attr: "url", detail: `plain http:// is refused for "acme.us.trustedauth.com"`},
		{name: "ocariot http url to a look-alike of localhost", config: biProvider(biOCARIoT("http://localhost.attacker.example:8080")) + biUserPassword(hclAttr("user_id", biOCARIoTUser)),
			summary: "Invalid URL", attr: "url", detail: "plain http:// is refused"},
		{name: "finspace http endpoint", config: biProvider(biFinSpaceBlock("us-east-1", "http://finspace-api.us-east-1.amazonaws.com")) + biUserPassword(hclAttr("user_id", biFinSpace)),
			summary: "Invalid URL", attr: "endpoint", detail: "plain http:// is refused"},
		{name: "idaas ca_certificate_pem not PEM", config: strings.Replace(idaas, "file(", `"not a certificate" # file(`, 1) + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			summary: "Invalid CA Certificate", attr: "ca_certificate_pem", detail: "must hold at least one PEM-encoded X.509 certificate"},
		{name: "huawei ca_certificate_pem certificate that does not parse", config: strings.Replace(huawei, "file(", `"-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n" # file(`, 1) + biUserPassword(hclAttr("user_id", biHuaweiUser)),
			summary: "Invalid CA Certificate", attr: "ca_certificate_pem", detail: "holds a certificate that does not parse"},
		{name: "huawei region that rewrites the host", config: biProvider(biHuawei("ap-southeast-1.attacker.example/", huaweiemu.TestIdentityStoreID, "")) + biUserPassword(hclAttr("user_id", biHuaweiUser)),
			summary: "Invalid Region", attr: "region", detail: "is not a Huawei Cloud region name"},

		// Missing credentials, without and with environment variables.
		{name: "idaas no settings and no environment", config: biProvider("  entrust_idaas {\n  }") + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			env:     noEnv(idaasEnv...),
			summary: "Missing Provider Setting", detail: "Set entrust_idaas.url or the environment variable ENTRUST_IDAAS_URL"},
		{name: "idaas shared secret missing from the environment", config: biProvider("  entrust_idaas {\n  }") + biUserPassword(hclAttr("user_id", biIDaaSUser)),
			env:     map[string]string{"ENTRUST_IDAAS_URL": testSandbox.IDaaSURL, "ENTRUST_IDAAS_APPLICATION_ID": idaasemu.TestApplicationID, "ENTRUST_IDAAS_SHARED_SECRET": "  "},
			summary: "Missing Provider Setting", detail: "Set entrust_idaas.shared_secret or the environment variable ENTRUST_IDAAS_SHARED_SECRET"},
		{name: "ocariot no credentials and no environment", config: biProvider(fmt.Sprintf("  ocariot {\n    url = %q\n  }", testSandbox.OCARIoTURL)) + biUserPassword(hclAttr("user_id", biOCARIoTUser)),
			env:     noEnv(ocariotEnv...),
			summary: "Missing OCARIoT Credentials", detail: "either an access token (set access_token or the environment variable OCARIOT_ACCESS_TOKEN)"},
		{name: "ocariot password missing from the environment", config: biProvider("  ocariot {\n  }") + biUserPassword(hclAttr("user_id", biOCARIoTUser)),
			env:     map[string]string{"OCARIOT_URL": testSandbox.OCARIoTURL, "OCARIOT_USERNAME": ocariotemu.TestUsername, "OCARIOT_PASSWORD": "", "OCARIOT_ACCESS_TOKEN": ""},
			summary: "Missing Provider Setting", detail: "Set ocariot.password or the environment variable OCARIOT_PASSWORD"},
		{name: "huawei secret key missing from the environment", config: biProvider(fmt.Sprintf("  huawei_identity_center {\n    endpoint = %q\n  }", testSandbox.HuaweiURL)) + biUserPassword(hclAttr("user_id", biHuaweiUser)),
			env: map[string]string{"HW_REGION_NAME": "ap-southeast-1", "HW_IDENTITY_STORE_ID": huaweiemu.TestIdentityStoreID,
				"HW_ACCESS_KEY": huaweiemu.TestAccessKey, "HW_SECRET_KEY": "", "HW_SECURITY_TOKEN": ""},
			summary: "Missing Provider Setting", detail: "Set huawei_identity_center.secret_key or the environment variable HW_SECRET_KEY"},
		{name: "finspace no AWS credentials", config: finspace + biUserPassword(hclAttr("user_id", biFinSpace)),
			env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
				"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
				"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_WEB_IDENTITY_TOKEN_FILE": ""},
			summary: `[A-Z][A-Za-z ]+`, detail: "no usable AWS credentials from the standard chain",
			note: "contract: with no AWS credentials in the chain the plan fails, on the aws_finspace block; finspace.(*Backend).CheckCredentials " +
				"does it, once configureFinSpace (backend_finspace.go) calls it"},
	}

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
			if out, err := os.ReadFile(cliMark); err == nil {
				t.Errorf("the zato command ran (%d bytes of arguments recorded)", len(out))
				_ = os.Remove(cliMark)
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

// pattern is the regexp the plan's error output must match: one diagnostic
// with the summary, the source snippet of the attribute (when given), then
// the detail.
func (tc badInputCase) pattern() string {
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

// hclAttr is `name = "value"`.
func hclAttr(name, value string) string { return name + " = " + hcl(value) }
