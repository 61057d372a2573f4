package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

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
	for _, marker := range []string{"identity API request", "identity API response", "terraform version"} {
		if !strings.Contains(strings.ToLower(log), strings.ToLower(marker)) {
			t.Fatalf("the TRACE log (%d bytes) lacks %q: logging was not captured, so the scan would prove nothing", len(data), marker)
		}
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

// authTokens returns every Authorization value the emulator received.
func idaasAuthTokens() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range testSandbox.IDaaS.Recorder.Requests() {
		v := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// idaasProviderConfigFromEnv is a provider block whose shared secret comes
// from ENTRUST_IDAAS_SHARED_SECRET, as a CI pipeline sets it.
func idaasProviderConfigFromEnv(t *testing.T) string {
	t.Setenv("ENTRUST_IDAAS_SHARED_SECRET", idaasemu.TestSharedSecret)
	return fmt.Sprintf(`
provider "identity" {
  ca_certificate_pem = file(%q)
  entrust_idaas {
    url            = %q
    application_id = %q
  }
}
`, testCAFile, testSandbox.IDaaSURL, idaasemu.TestApplicationID)
}

// TestAccSecrets_idaasNotInTraceLogs applies chosen, server-generated and
// provider-generated passwords and a reset, then a failing set, with the
// Terraform CLI and the provider logging at TRACE into one file, and fails
// if any password, token or the shared secret appears there. Secrets reach
// Terraform the way pipelines pass them: environment variables and
// sensitive variables (Terraform logs HCL source text at TRACE, so a
// literal in a .tf file is out of any provider's hands).
func TestAccSecrets_idaasNotInTraceLogs(t *testing.T) {
	testAccPreCheck(t)
	userChosen, userGen, userProv, userReset := newIDaaSUser(t), newIDaaSUser(t), newIDaaSUser(t), newIDaaSUser(t)
	log := traceLog(t)
	const chosen, refused = "Secret-Chosen-Passw0rd!", "weakpw"
	t.Setenv("TF_VAR_chosen_password", chosen)
	t.Setenv("TF_VAR_refused_password", refused)
	provider := idaasProviderConfigFromEnv(t)
	variables := `
variable "chosen_password" {
  type      = string
  sensitive = true
}

variable "refused_password" {
  type      = string
  sensitive = true
}
`
	config := provider + variables + fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id  = %q
  password = var.chosen_password
}

resource "identity_user_password" "generated" {
  user_id = %q
}

resource "identity_user_password" "provider_generated" {
  user_id      = %q
  generated_by = "provider"
  # The sandbox tenant policy wants an upper-case letter, a lower-case
  # letter and a digit: without minimums a 32-character draw lacks one
  # about 3%% of the time.
  generate = { min_upper = 1, min_lower = 1, min_numeric = 1 }
}

resource "identity_password_reset" "reset" {
  user_id = %q
}
`, userChosen, userGen, userProv, userReset)
	secrets := map[string]string{
		"chosen password":     chosen,
		"refused password":    refused,
		"IDaaS shared secret": idaasemu.TestSharedSecret,
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					for name, id := range map[string]string{"server-generated password": userGen, "provider-generated password": userProv, "temporary password": userReset} {
						pw, ok := testSandbox.IDaaS.CurrentPassword(id)
						if !ok {
							return fmt.Errorf("no %s on the emulator", name)
						}
						secrets[name] = pw
					}
					return nil
				},
			},
			{
				// A failing call: the tenant policy refuses this password, and
				// neither the diagnostic nor any log line may echo it.
				Config: provider + variables + fmt.Sprintf(`
resource "identity_user_password" "chosen" {
  user_id  = %q
  password = var.refused_password
}
`, userChosen),
				ExpectError: regexp.MustCompile(`Unable To Set Password`),
			},
		},
	})
	for i, tok := range idaasAuthTokens() {
		secrets[fmt.Sprintf("auth token %d", i)] = tok
	}
	scanForSecrets(t, log, secrets)
}
