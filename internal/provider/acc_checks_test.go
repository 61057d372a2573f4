package provider

// Checks and helpers that the acceptance tests of every resource share:
// small knownvalue.Check, plancheck and statecheck types, and the TRACE-log
// secret scan of one test. None prints a secret.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/identityops/terraform-provider-identity/internal/passgen"
	"github.com/identityops/terraform-provider-identity/internal/secretbox"
)

// stringCheck is a knownvalue.Check running fn on a string value. Its
// failure messages come from fn, which must not print secret values.
type stringCheck struct {
	desc string
	fn   func(string) error
}

var _ knownvalue.Check = stringCheck{}

func (c stringCheck) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string value for %s, got %T", c.desc, v)
	}
	return c.fn(s)
}

func (c stringCheck) String() string { return c.desc }

// matchesServerPassword checks that a state value is the password the
// emulator holds as current, without printing either.
func matchesServerPassword(desc string, current func() (string, bool)) knownvalue.Check {
	return stringCheck{desc: desc, fn: func(s string) error {
		pw, ok := current()
		if !ok {
			return fmt.Errorf("%s: the emulator has no current password", desc)
		}
		if s != pw {
			return fmt.Errorf("%s: state holds a password (%d characters) that is not the emulator's current one (%d characters)", desc, len(s), len(pw))
		}
		return nil
	}}
}

// rfc3339Check checks that a value is an RFC 3339 time satisfying fn.
func rfc3339Check(desc string, fn func(t time.Time) error) knownvalue.Check {
	return stringCheck{desc: desc, fn: func(s string) error {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return fmt.Errorf("%s: %q is not RFC 3339: %w", desc, s, err)
		}
		if fn != nil {
			return fn(t)
		}
		return nil
	}}
}

// recentTime checks that a value is an RFC 3339 time within a minute ahead
// of or five minutes behind the clock: the time of this apply.
func recentTime(desc string) knownvalue.Check {
	return rfc3339Check(desc, func(c time.Time) error {
		if d := time.Since(c); d < -time.Minute || d > 5*time.Minute {
			return fmt.Errorf("%s %s is not the time of this apply", desc, c)
		}
		return nil
	})
}

// nearTime checks that an RFC 3339 value lies within 5 seconds of the time
// at returns (when an emulator, on the real clock, received a request).
func nearTime(desc string, at func() (time.Time, bool)) knownvalue.Check {
	return rfc3339Check(desc, func(v time.Time) error {
		want, ok := at()
		if !ok {
			return fmt.Errorf("%s: the emulator recorded no request to compare with", desc)
		}
		if d := v.Sub(want); d < -5*time.Second || d > 5*time.Second {
			return fmt.Errorf("%s %s is not when the emulator answered (%s)", desc, v.Format(time.RFC3339), want.Format(time.RFC3339))
		}
		return nil
	})
}

// timeOffset is a compare.ValueComparer for two RFC 3339 values: the
// second must be the first plus d.
type timeOffset struct{ d time.Duration }

var _ compare.ValueComparer = timeOffset{}

func (c timeOffset) CompareValues(values ...any) error {
	if len(values) != 2 {
		return fmt.Errorf("expected two values, got %d", len(values))
	}
	var ts [2]time.Time
	for i, v := range values {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("value %d is %T, want an RFC 3339 string", i+1, v)
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return fmt.Errorf("value %d %q is not RFC 3339: %w", i+1, s, err)
		}
		ts[i] = t
	}
	if !ts[1].Equal(ts[0].Add(c.d)) {
		return fmt.Errorf("%s is not %s + %s", ts[1].Format(time.RFC3339), ts[0].Format(time.RFC3339), c.d)
	}
	return nil
}

// attrAt is the path of a top-level attribute.
func attrAt(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

// valueSeries collects state values, step after step, and compares each
// with those before (statecheck.CompareValue).
type valueSeries interface {
	AddStateValue(resourceAddress string, attributePath tfjsonpath.Path) statecheck.StateCheck
}

// valuesDiffer collects state values that must all differ from each other;
// valuesSame, values that must all be the same.
func valuesDiffer() valueSeries { return statecheck.CompareValue(compare.ValuesDiffer()) }
func valuesSame() valueSeries   { return statecheck.CompareValue(compare.ValuesSame()) }

// samePair checks that two attributes in state (addr.attr) hold the same
// value.
func samePair(addrA, attrA, addrB, attrB string) statecheck.StateCheck {
	return statecheck.CompareValuePairs(addrA, attrAt(attrA), addrB, attrAt(attrB), compare.ValuesSame())
}

// stateAttr reads one attribute of a resource from the state.
func stateAttr(s *terraform.State, addr, key string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok || rs.Primary == nil {
		return "", fmt.Errorf("%s is not in the state", addr)
	}
	v, ok := rs.Primary.Attributes[key]
	if !ok {
		return "", fmt.Errorf("%s has no attribute %s in the state", addr, key)
	}
	return v, nil
}

// stateTimes reads RFC 3339 attributes of a resource from the state.
func stateTimes(s *terraform.State, addr string, keys ...string) ([]time.Time, error) {
	out := make([]time.Time, len(keys))
	for i, k := range keys {
		v, err := stateAttr(s, addr, k)
		if err != nil {
			return nil, err
		}
		if out[i], err = time.Parse(time.RFC3339, v); err != nil {
			return nil, fmt.Errorf("%s.%s %q is not RFC 3339", addr, k, v)
		}
	}
	return out, nil
}

// defaultPolicy checks a password against the default generate policy: 32
// characters from letters, digits and the default specials.
var defaultPolicy = stringCheck{desc: "default generate policy", fn: func(s string) error {
	if len(s) != 32 {
		return fmt.Errorf("a generated password of %d characters, want the default 32", len(s))
	}
	for _, c := range s {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune(passgen.DefaultSpecial, c)
		if !ok {
			return fmt.Errorf("the generated password holds a character outside the default sets")
		}
	}
	return nil
}}

// decryptsToCurrent checks that a state value is an ASCII-armoured age
// file that each identity decrypts to the emulator's current password,
// without printing either. The identities are age's own (X25519) or SSH
// private keys (agessh).
func decryptsToCurrent[I age.Identity](desc string, current func() (string, bool), ids ...I) knownvalue.Check {
	return stringCheck{desc: desc, fn: func(s string) error {
		if !strings.HasPrefix(s, "-----BEGIN AGE ENCRYPTED FILE-----") {
			return fmt.Errorf("%s is not an ASCII-armoured age file", desc)
		}
		pw, ok := current()
		if !ok {
			return fmt.Errorf("%s: the emulator has no current password", desc)
		}
		if strings.Contains(s, pw) {
			return fmt.Errorf("%s holds the current password in clear text", desc)
		}
		if len(ids) == 0 {
			return fmt.Errorf("%s: no identity to decrypt with", desc)
		}
		for i, id := range ids {
			got, err := secretbox.Decrypt(s, id)
			if err != nil {
				return fmt.Errorf("%s: identity %d cannot decrypt it: %w", desc, i, err)
			}
			if got != pw {
				return fmt.Errorf("%s: identity %d decrypts it to a password (%d characters) that is not the emulator's current one (%d characters)", desc, i, len(got), len(pw))
			}
		}
		return nil
	}}
}

// ageIdentities makes n new age identities.
func ageIdentities(t *testing.T, n int) []*age.X25519Identity {
	t.Helper()
	ids := make([]*age.X25519Identity, n)
	for i := range ids {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

// hclList renders strings as an HCL list.
func hclList(values ...string) string { return `["` + strings.Join(values, `", "`) + `"]` }

// findSecret returns the name of the first secret found in text, or "".
func findSecret(text string, secrets map[string]string) string {
	for name, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			return name
		}
	}
	return ""
}

// noSecretIn renders v as JSON, as `terraform show -json` does, and
// returns an error naming the first secret it holds (what names the JSON).
func noSecretIn(what string, v any, secrets map[string]string) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if name := findSecret(string(raw), secrets); name != "" {
		return fmt.Errorf("the %s JSON (%d bytes) holds the %s", what, len(raw), name)
	}
	return nil
}

// noSecretInPlan is a plan check: the whole plan (planned values, prior
// state, configuration, variables) holds none of the secrets.
type noSecretInPlan map[string]string

var _ plancheck.PlanCheck = noSecretInPlan(nil)

func (secrets noSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if len(req.Plan.ResourceChanges) == 0 && req.Plan.PlannedValues == nil {
		resp.Error = fmt.Errorf("the plan is empty: scanning it would prove nothing")
		return
	}
	resp.Error = noSecretIn("plan", req.Plan, secrets)
}

// noSecretInState is a state check: the whole state holds none of the secrets.
type noSecretInState map[string]string

var _ statecheck.StateCheck = noSecretInState(nil)

func (secrets noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil || len(req.State.Values.RootModule.Resources) == 0 {
		resp.Error = fmt.Errorf("the state holds no resources: scanning it would prove nothing")
		return
	}
	resp.Error = noSecretIn("state", req.State, secrets)
}

// noSecretInAttributes is a step check walking every flattened attribute
// of every resource in state (terraform.State, the shimmed form).
func noSecretInAttributes(secrets map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		n := 0
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				if rs.Primary == nil {
					continue
				}
				for k, v := range rs.Primary.Attributes {
					n++
					if name := findSecret(v, secrets); name != "" {
						return fmt.Errorf("%s.%s in state holds the %s", addr, k, name)
					}
				}
			}
		}
		if n == 0 {
			return fmt.Errorf("no attributes in state: scanning them would prove nothing")
		}
		return nil
	}
}

// importedWithoutPassword is the ImportStateCheck of an identity_user_password
// imported by user id: one instance with id userID, whose id and user_id are
// userID, with no password in state and generated_by the backend's default.
// total, when not 0, is the number of instances the check must be given in
// all (other resources of the state come too).
func importedWithoutPassword(userID, generatedBy string, total int) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if total != 0 && len(states) != total {
			return fmt.Errorf("expected %d instances after the import, got %d", total, len(states))
		}
		var imported []*terraform.InstanceState
		for _, st := range states {
			if st.ID == userID {
				imported = append(imported, st)
			}
		}
		if len(imported) != 1 {
			return fmt.Errorf("expected one imported instance with id %s, got %d", userID, len(imported))
		}
		attrs := imported[0].Attributes
		if attrs["id"] != userID || attrs["user_id"] != userID {
			return fmt.Errorf("imported id/user_id = %q/%q, want %q", attrs["id"], attrs["user_id"], userID)
		}
		if attrs["password"] != "" {
			return fmt.Errorf("a password came into state on import")
		}
		if attrs["generated_by"] != generatedBy {
			return fmt.Errorf("imported generated_by = %q, want the backend's default %q", attrs["generated_by"], generatedBy)
		}
		return nil
	}
}

// removedBlock is the configuration that makes Terraform forget a
// resource and leave its object (the password) in place.
func removedBlock(addr string) string {
	return fmt.Sprintf("\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", addr)
}

// errorCheckWithoutSecrets is a TestCase.ErrorCheck (used instead of
// ExpectError) that accepts only an error matching want and holding none of
// the secrets. The test fails at cleanup if no error came at all.
func errorCheckWithoutSecrets(t *testing.T, want *regexp.Regexp, secrets map[string]string) resource.ErrorCheckFunc {
	t.Helper()
	for name, s := range secrets {
		registerTestSecret(name, s) // the global scan looks for them in the logs too
	}
	seen := false
	t.Cleanup(func() {
		if !seen {
			t.Error("expected the apply to fail, but it did not")
		}
	})
	return func(err error) error {
		seen = true
		msg, redacted := err.Error(), err.Error()
		var shown []string
		for name, s := range secrets {
			if strings.Contains(msg, s) {
				shown = append(shown, name)
			}
			redacted = strings.ReplaceAll(redacted, s, "<"+name+">")
		}
		if len(shown) > 0 {
			return fmt.Errorf("the error shows the %s: %s", strings.Join(shown, " and the "), redacted)
		}
		if !want.MatchString(msg) {
			return fmt.Errorf("expected an error matching %s, got: %s", want, redacted)
		}
		return nil
	}
}

// noSecretError matches an error output that holds every fragment in order
// and no "§" anywhere: the refused passwords of the tests that use it
// contain "§", so the match fails if any part of one is echoed.
func noSecretError(fragments ...string) *regexp.Regexp {
	return regexp.MustCompile(`^[^§]*` + strings.Join(fragments, `[^§]*`) + `[^§]*$`)
}

// settle waits until the wall clock has passed `after`, the time of the
// provider's last set, by a few milliseconds: the emulators stamp a change
// to the millisecond (IDaaS) or microsecond (Zato), so a change made now
// has a time of its own, which the provider must tell from its own set.
// (The emulator clocks are shared by parallel tests and are not moved; see
// TestAccUserPassword_driftWithinASecond for moved ones.)
func settle(after time.Time) {
	if d := time.Until(after.Add(5 * time.Millisecond)); d > 0 {
		time.Sleep(d)
	}
}

// sensitiveVariables declares each name as a sensitive string variable.
func sensitiveVariables(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "\nvariable %q {\n  type      = string\n  sensitive = true\n}\n", n)
	}
	return b.String()
}

// allChecks composes step checks, skipping nil ones.
func allChecks(checks ...resource.TestCheckFunc) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, c := range checks {
			if c == nil {
				continue
			}
			if err := c(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// triggerSteps are the steps of a case that creates a resource with
// config("1"), applies the same configuration again (an empty plan), then
// changes the trigger with config("2"); changes(n) checks that n changes
// were sent so far, one after each of the first two steps, two after the
// last.
func triggerSteps(config func(trigger string) string, changes func(n int) resource.TestCheckFunc, created, changed resource.TestStep) []resource.TestStep {
	created.Config, created.Check = config("1"), allChecks(changes(1), created.Check)
	changed.Config, changed.Check = config("2"), allChecks(changes(2), changed.Check)
	return []resource.TestStep{created, unchangedStep(config("1"), changes(1)), changed}
}

// createPlanned is a plan-only step whose plan, after refresh, creates
// addr: it is not in state, or refresh dropped it.
func createPlanned(config, addr string) resource.TestStep {
	return resource.TestStep{
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
		},
	}
}

// unchangedStep applies config again: the plan is empty, and check (of
// what was sent so far) still holds.
func unchangedStep(config string, check resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		Config:           config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		Check:            check,
	}
}

// terraformOutput is what Terraform has printed so far in this test (plan
// and apply output, warnings included), from the copy the secret scan
// keeps of it (identity-terraform-tee). Warnings reach no other place a
// test can read, so a test that checks one needs the scan, and fails
// without it rather than pass unchecked.
func terraformOutput(t *testing.T) string {
	t.Helper()
	file := testLogFile(t)
	if file == "" {
		t.Fatal("checking a warning needs Terraform's output, which only the secret scan copies: run without IDENTITY_SECRET_SCAN=off")
	}
	data, err := os.ReadFile(strings.TrimSuffix(file, ".log") + ".terraform-output.log")
	if err != nil {
		t.Fatalf("reading Terraform's output: %v", err)
	}
	return string(data)
}

// expectWarning fails the test unless Terraform printed a warning with the
// summary whose text (source snippet and detail, white space ignored)
// holds each of words in order.
func expectWarning(t *testing.T, summary string, words ...string) {
	t.Helper()
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(w), " ", `\s+`)
	}
	re := regexp.MustCompile(`(?s)Warning: ` + regexp.QuoteMeta(summary) + `\n.*?` + strings.Join(quoted, `.*?`))
	if out := terraformOutput(t); !re.MatchString(out) {
		t.Errorf("Terraform printed no warning %q with %q (%d bytes of output)", summary, words, len(out))
	}
}
