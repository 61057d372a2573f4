package provider

// Fault injection and the consistency property, per backend.
//
// TestAccProvider_faults runs, in a subtest per backend, every fault case of
// its table in the same three steps, through one provider block (max_retries = 3,
// request_timeout = "3s"). Each case has its own users, one per resource;
// each fault is selected by its user's id (in the path, or in the body for
// Zato's REST API), so the cases, and the other tests that use the same
// emulators alongside, do not disturb each other. (Not one provider alias
// per case: with ProtoV6ProviderFactories every alias reaches the same
// in-process provider server, so the last one configured would serve all.)
// A token or session that expires is shared by every request of a provider
// block, so that case runs in a subtest of its own (*_token_expiry, *_session_expiry).
//
//  1. Create the resources that step 2 updates, without faults.
//  2. Inject the faults on the password-changing request of every user, then
//     apply: new resources are created, the others updated (a new trigger, a
//     new chosen password). Some cases succeed (the transport retried), some
//     fail. TestCase.ErrorCheck checks every diagnostic against its case:
//     ExpectError takes one regular expression for the whole output, where
//     the diagnostics of many resources arrive in any order.
//  3. Where some case fails: remove what is left of the faults, then apply
//     again. Its PreApply plan check reads the state Terraform kept after
//     step 2 (the plan's prior state) and checks the consistency property
//     there, and that the plan repairs what failed: Check functions do not
//     run on a failed step, and a RefreshState step would cost one more
//     Terraform run to see the same state without the plan. After the apply
//     every resource must hold the emulator's current password: the apply
//     converges. (Where no case fails, step 2's own checks do this work.)
//
// The consistency property: every identity_user_password and
// identity_password_reset in state holds the password the emulator
// considers current for its user, or it is absent from state, or (an update
// that may have changed the password without the provider learning the
// result) it holds no password and the next plan sets one again. (A tainted
// instance would be allowed too; this provider never leaves one.) Where the
// service may have acted without its answer reaching the provider, the
// diagnostic says so and what the next apply does. Step 2's requests, and
// the passwords the emulator took, are counted at the start of step 3.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// faultKind is what a resource of a case does with its user's password.
type faultKind string

const (
	// faultGenerated: identity_user_password, generated (by the identity
	// system where it can, else by the provider).
	faultGenerated faultKind = "gen"
	// faultChosen: identity_user_password with a chosen password.
	faultChosen faultKind = "chosen"
	// faultReset: identity_password_reset.
	faultReset faultKind = "reset"
)

// faultOutcome is what step 2 must do to a resource.
type faultOutcome int

const (
	// faultSucceeds: the apply succeeds (the transport rode out the fault).
	faultSucceeds faultOutcome = iota
	// faultRefused: the apply fails and the service did not act: a new
	// resource stays out of state, an updated one keeps its state, whose
	// password is still the user's.
	faultRefused
	// faultMayHaveChanged: the apply fails after the service may have
	// acted: the diagnostic says so; a new resource stays out of state, an
	// updated one stays without a password, and the next apply sets it
	// again.
	faultMayHaveChanged
)

// faultExpect is what a case expects of one resource in step 2.
type faultExpect struct {
	outcome faultOutcome
	// attempts is the number of password-changing requests.
	attempts int
	// acts is how many passwords the emulator took (issued or set).
	acts int
	// refusal is a pattern the diagnostic of a refused resource must match.
	refusal string
}

// faultCase is one fault, applied to the password-changing request of every
// resource of the case.
type faultCase struct {
	name string
	// newOnly: the case has no resource to update. Where the fault only
	// delays a request that then acts once, an update takes the same path
	// as a create; the update resources are kept for the cases that fail or
	// act more than once, where the prior state matters.
	newOnly bool
	// newUser makes a fresh user for one resource of the case.
	newUser func(t *testing.T) string
	// start injects the case's faults for its users and returns what ends them.
	start func(users []string) (stop func())
	// expect says what step 2 does to a resource of this kind.
	expect func(kind faultKind) faultExpect
}

// faultBackend is one backend under test.
type faultBackend struct {
	// name is the backend's name in diagnostics.
	name string
	// provider is the provider block every case uses.
	provider string
	kinds    []faultKind
	// current is the emulator's current password of a user.
	current func(user string) (string, bool)
	// issued counts the passwords the emulator took for a user so far.
	issued func(user string) int
	// changes counts the password-changing requests for a user so far.
	changes func(user string) int
	// historyRefusesRepeat: a chosen password set again is refused as
	// recently used (Entrust IDaaS), so after a lost answer the next apply
	// needs clear_password_history = true, as the diagnostic says.
	historyRefusesRepeat bool
	// newOnly: no resource is updated (one step fewer); chain: each
	// resource depends on the one before, so that their requests come one
	// after the other.
	newOnly, chain bool
	cases          []faultCase
}

// faultResource is one resource of a case.
type faultResource struct {
	c      *faultCase
	kind   faultKind
	update bool // created in step 1, changed in step 2
	name   string
	addr   string
	user   string
	// after is the address of the resource this one depends on, if any.
	after string
	// password1 and password2 are the chosen password of steps 1 and 2.
	password1, password2 string
	expect               faultExpect
	// clearHistory: step 3 sets clear_password_history = true.
	clearHistory bool
}

// attr is the state attribute that holds the resource's password.
func (r *faultResource) attr() string {
	if r.kind == faultReset {
		return "temporary_password"
	}
	return "password"
}

func (r *faultResource) hcl(step int) string {
	typ := "identity_user_password"
	if r.kind == faultReset {
		typ = "identity_password_reset"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q %q {\n  user_id = %q\n", typ, r.name, r.user)
	trigger := "2"
	if step == 1 {
		trigger = "1"
	}
	switch r.kind {
	case faultChosen:
		// A sensitive variable, not a literal: Terraform quotes the
		// configuration line in the warning about passwords in state.
		fmt.Fprintf(&b, "  password = var.%s\n", r.name)
	default:
		fmt.Fprintf(&b, "  triggers = { step = %q }\n", trigger)
	}
	if step == 3 && r.clearHistory {
		b.WriteString("  clear_password_history = true\n")
	}
	if r.after != "" {
		fmt.Fprintf(&b, "  depends_on = [%s]\n", r.after)
	}
	b.WriteString("}\n")
	if r.kind == faultChosen {
		pw := r.password2
		if step == 1 {
			pw = r.password1
		}
		fmt.Fprintf(&b, "variable %q {\n  type      = string\n  sensitive = true\n  default   = %q\n}\n", r.name, pw)
	}
	return b.String()
}

// faultHarness runs one backend's table.
type faultHarness struct {
	t         *testing.T
	be        *faultBackend
	resources []*faultResource
	// before holds, per user, the request and password counts at the start
	// of step 2.
	changesBefore, issuedBefore map[string]int
	stops                       []func()
	// step is the step running; step2Err is the error step 2 ended with.
	step     int
	step2Err string
}

func testAccFaults(t *testing.T, be *faultBackend) {
	h := &faultHarness{t: t, be: be, changesBefore: map[string]int{}, issuedBefore: map[string]int{}}
	for i := range be.cases {
		c := &be.cases[i]
		for _, kind := range be.kinds {
			for _, update := range []bool{false, true} {
				if update && (kind == faultReset || be.newOnly || c.newOnly) {
					continue // (a changed reset is a new one: the create path covers it)
				}
				r := &faultResource{c: c, kind: kind, update: update, user: c.newUser(t), expect: c.expect(kind)}
				r.name = c.name + "_" + string(kind) + map[bool]string{false: "_new", true: "_upd"}[update]
				r.addr = map[bool]string{false: "identity_user_password.", true: "identity_password_reset."}[kind == faultReset] + r.name
				if kind == faultChosen {
					r.password1, r.password2 = faultPassword(t), faultPassword(t)
				}
				// The diagnostic asked for it: the lost attempt did set the
				// chosen password, which the history now refuses.
				r.clearHistory = kind == faultChosen && be.historyRefusesRepeat &&
					r.expect.outcome != faultSucceeds && r.expect.acts > 0
				if be.chain && len(h.resources) > 0 {
					r.after = h.resources[len(h.resources)-1].addr
				}
				h.resources = append(h.resources, r)
			}
		}
	}

	all := func(*faultResource) bool { return true }
	var steps []resource.TestStep
	if !be.newOnly {
		steps = append(steps, resource.TestStep{
			PreConfig:         func() { h.step = 1 },
			Config:            h.config(1),
			ConfigStateChecks: h.holdCurrent(func(r *faultResource) bool { return r.update }),
		})
	}
	// Where some resources fail, checkError and endFaults check this step,
	// and step 3 the state it left.
	steps = append(steps, resource.TestStep{PreConfig: h.startFaults, Config: h.config(2)})
	if h.failing() {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				if err := h.endFaults(); err != nil {
					t.Error(err)
				}
			},
			Config: h.config(3),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{faultKeptState{h}},
			},
			ConfigStateChecks: h.holdCurrent(all),
		})
	} else {
		last := &steps[len(steps)-1]
		last.ConfigStateChecks = h.holdCurrent(all)
		last.Check = func(*terraform.State) error { return h.endFaults() }
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(nil),
		ErrorCheck:               h.checkError,
		Steps:                    steps,
	})
}

// failing says whether some resource of the table fails in step 2.
func (h *faultHarness) failing() bool {
	for _, r := range h.resources {
		if r.expect.outcome != faultSucceeds {
			return true
		}
	}
	return false
}

// config is the configuration of a step: the provider block and the
// resources that exist at that step.
func (h *faultHarness) config(step int) string {
	var b strings.Builder
	b.WriteString(h.be.provider)
	for _, r := range h.resources {
		if step == 1 && !r.update {
			continue
		}
		b.WriteString(r.hcl(step))
	}
	return b.String()
}

// holdCurrent checks that each selected resource holds its user's current password.
func (h *faultHarness) holdCurrent(selected func(*faultResource) bool) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for _, r := range h.resources {
		if selected(r) {
			user := r.user
			checks = append(checks, statecheck.ExpectKnownValue(r.addr, tfjsonpath.New(r.attr()),
				matchesServerPassword(r.addr, func() (string, bool) { return h.be.current(user) })))
		}
	}
	return checks
}

// startFaults counts what each user had so far, then injects every case's faults.
func (h *faultHarness) startFaults() {
	h.step = 2
	users := map[*faultCase][]string{}
	for _, r := range h.resources {
		h.changesBefore[r.user] = h.be.changes(r.user)
		h.issuedBefore[r.user] = h.be.issued(r.user)
		users[r.c] = append(users[r.c], r.user)
	}
	for i := range h.be.cases {
		c := &h.be.cases[i]
		h.stops = append(h.stops, c.start(users[c]))
	}
}

// endFaults removes what is left of the faults, then checks step 2's
// outcome as the emulators saw it: the requests sent and the passwords taken.
func (h *faultHarness) endFaults() error {
	h.step = 3
	for _, stop := range h.stops {
		stop()
	}
	h.stops = nil
	var problems []string
	for _, r := range h.resources {
		if attempts := h.be.changes(r.user) - h.changesBefore[r.user]; attempts != r.expect.attempts {
			problems = append(problems, fmt.Sprintf("%s: step 2 sent %d password-changing requests, want %d", r.addr, attempts, r.expect.attempts))
		}
		if acts := h.be.issued(r.user) - h.issuedBefore[r.user]; acts != r.expect.acts {
			problems = append(problems, fmt.Sprintf("%s: in step 2 the emulator took %d passwords for the user, want %d", r.addr, acts, r.expect.acts))
		}
	}
	if h.failing() && h.step2Err == "" {
		problems = append(problems, "step 2 applied without an error, but some resources were expected to fail")
	}
	if len(problems) > 0 {
		return fmt.Errorf("step 2, as the emulator saw it:\n- %s", strings.Join(problems, "\n- "))
	}
	return nil
}

// faultDiagStart and faultDiagAddr find the diagnostics in Terraform's
// output and the resource each is about.
var (
	faultDiagStart = regexp.MustCompile(`(?m)^[│╷ ]*(?:Error|Warning): `)
	faultDiagAddr  = regexp.MustCompile(`with (identity_[a-z_]+\.[A-Za-z0-9_-]+),`)
)

// checkError is the TestCase's ErrorCheck. In step 2 it accepts the error
// when the diagnostics are exactly those the cases expect, each saying
// what its case must say; any other error stands.
func (h *faultHarness) checkError(err error) error {
	if h.step != 2 || err == nil {
		return err
	}
	out := err.Error()
	h.step2Err = out
	byAddr := map[string]string{}
	locs := faultDiagStart.FindAllStringIndex(out, -1)
	var problems []string
	for i, loc := range locs {
		end := len(out)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		text := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╵", " ", "╷", " ").Replace(out[loc[0]:end])), " ")
		if strings.HasPrefix(text, "Warning: ") {
			continue
		}
		m := faultDiagAddr.FindStringSubmatch(text)
		if m == nil {
			problems = append(problems, "a diagnostic about no resource of the cases: "+text)
			continue
		}
		byAddr[m[1]] += text + " "
	}
	for _, r := range h.resources {
		text, failed := byAddr[r.addr]
		delete(byAddr, r.addr)
		if r.expect.outcome == faultSucceeds {
			if failed {
				problems = append(problems, r.addr+" failed, but its case should succeed: "+text)
			}
			continue
		}
		if !failed {
			problems = append(problems, r.addr+" did not fail, but its case should")
			continue
		}
		for _, re := range h.diagnosticPatterns(r) {
			if !re.MatchString(text) {
				problems = append(problems, fmt.Sprintf("the diagnostic of %s does not match %q: %s", r.addr, re, text))
			}
		}
		if strings.Contains(text, "Provider produced") {
			problems = append(problems, r.addr+": Terraform found the provider's answer inconsistent: "+text)
		}
		if r.expect.outcome == faultRefused && strings.Contains(text, "may have been changed") {
			problems = append(problems, r.addr+": the service refused, but the diagnostic says the password may have changed: "+text)
		}
	}
	for addr, text := range byAddr {
		problems = append(problems, "an unexpected diagnostic about "+addr+": "+text)
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("step 2 did not fail as the fault cases expect:\n- %s", strings.Join(problems, "\n- "))
	}
	return nil
}

// diagnosticPatterns are what the diagnostic of a failing resource must match.
func (h *faultHarness) diagnosticPatterns(r *faultResource) []*regexp.Regexp {
	summary, next := "Unable To Set Password", "the next apply sets the password again"
	if r.kind == faultReset {
		summary, next = "Unable To Reset Password", "the next apply resets the password again"
	}
	if r.expect.outcome == faultRefused {
		return []*regexp.Regexp{regexp.MustCompile(`Error: ` + summary + ` .*` + r.expect.refusal)}
	}
	out := []*regexp.Regexp{regexp.MustCompile(`Error: ` + summary + ` .*The password may have been changed all the same: ` +
		regexp.QuoteMeta(h.be.name) + ` may have acted on the request before its answer was lost or cut short, so Terraform ` +
		`cannot tell which password the user has now\. .*` + next)}
	if r.clearHistory {
		out = append(out, regexp.MustCompile(`clear_password_history = true`))
	}
	return out
}

// faultKeptState is the PreApply plan check of step 3: the state Terraform
// kept after step 2 (the plan's prior state) satisfies the consistency
// property, and the plan repairs exactly what failed.
type faultKeptState struct{ h *faultHarness }

func (c faultKeptState) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	h := c.h
	kept := map[string]*tfjson.StateResource{}
	if ps := req.Plan.PriorState; ps != nil && ps.Values != nil && ps.Values.RootModule != nil {
		for _, res := range ps.Values.RootModule.Resources {
			kept[res.Address] = res
		}
	}
	actions := map[string]tfjson.Actions{}
	for _, rc := range req.Plan.ResourceChanges {
		actions[rc.Address] = rc.Change.Actions
	}
	var problems []string
	for _, r := range h.resources {
		res, inState := kept[r.addr]
		// A failed update keeps the resource (Terraform keeps the prior
		// state of a failed update); a failed create leaves none.
		wantInState := r.expect.outcome == faultSucceeds || r.update
		switch {
		case inState && res.Tainted:
			// Allowed by the property; the plan must replace it.
			if !actions[r.addr].Replace() {
				problems = append(problems, r.addr+" is tainted but the plan does not replace it")
			}
			continue
		case inState && !wantInState:
			problems = append(problems, r.addr+" is in state after step 2, but its case should have left it out")
		case !inState && wantInState:
			problems = append(problems, r.addr+" is not in state after step 2, but its case should have kept it")
		}
		if inState {
			got, _ := res.AttributeValues[r.attr()].(string)
			want, ok := h.be.current(r.user)
			switch {
			case r.expect.outcome == faultMayHaveChanged:
				// The update may have changed the password: state must claim none.
				if res.AttributeValues[r.attr()] != nil {
					problems = append(problems, r.addr+" holds a password in state after an update that may have changed it; want none")
				}
			case !ok:
				problems = append(problems, fmt.Sprintf("%s holds a password in state, but the emulator has none for user %s", r.addr, r.user))
			case got != want:
				problems = append(problems, fmt.Sprintf("%s holds a password in state (%d characters) that is not the one the emulator "+
					"considers current for user %s (%d characters)", r.addr, len(got), r.user, len(want)))
			}
		}
		a := actions[r.addr]
		switch {
		case !inState && !a.Create():
			problems = append(problems, fmt.Sprintf("%s is not in state, but the plan does not create it (%v)", r.addr, a))
		case inState && r.expect.outcome == faultSucceeds && !a.NoOp():
			problems = append(problems, fmt.Sprintf("%s succeeded in step 2, but the plan changes it (%v)", r.addr, a))
		case inState && r.expect.outcome != faultSucceeds && !a.Update():
			problems = append(problems, fmt.Sprintf("%s failed in step 2, but the plan does not update it (%v)", r.addr, a))
		}
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("the state kept after step 2:\n- %s", strings.Join(problems, "\n- "))
	}
}

// faultSettings are the provider settings of a fault test: every transport
// setting a case needs (three retries for 502, 503 and 504 in a row, and a
// short request_timeout for a slow answer) in one block.
func faultSettings() string {
	return caSetting() + fmt.Sprintf("  max_retries        = %d\n  request_timeout    = %q\n", faultMaxRetries, faultRequestTimeout.String())
}

const (
	faultMaxRetries     = 3
	faultRequestTimeout = 3 * time.Second
)

// faultPassword is a chosen password every backend accepts: upper and lower
// case and a digit (IDaaS), and no vowels, so none of Zato's reject list.
func faultPassword(t *testing.T) string {
	const letters = "bcdfghjkmnpqrstvwxzBCDFGHJKMNPQRSTVWXZ"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return "Fault-" + string(b) + "-Q7"
}

// faultREST describes a backend reached over HTTP: how to select a user's
// password-changing request, and how a token or session is made to expire
// (nil where requests are signed with static keys: FinSpace, Huawei).
type faultREST struct {
	faultBackend
	faults   *emu.Faults
	newUser  func(t *testing.T) string
	selector func(user string, f emu.Fault) emu.Fault
	expire   func(r *http.Request, body []byte)
	// idempotent: a retried request issues no second password (FinSpace's clientToken).
	idempotent bool
	// bodyIgnored: the answer to a password change is not read (OCARIoT's 204).
	bodyIgnored bool
}

// addCase adds a case whose faults are injected, in this order, on each of
// its users' password-changing requests.
func (be *faultREST) addCase(name string, newOnly bool, faults []emu.Fault, expect func(faultKind) faultExpect) {
	be.cases = append(be.cases, faultCase{
		name:    name,
		newOnly: newOnly,
		newUser: be.newUser,
		start: func(users []string) func() {
			var removes []func()
			for _, u := range users {
				for _, f := range faults {
					removes = append(removes, be.faults.Inject(be.selector(u, f)))
				}
			}
			return func() {
				for _, rm := range removes {
					rm()
				}
			}
		},
		expect: expect,
	})
}

// restFaultCases is the table of faults on an HTTP backend.
func restFaultCases(be *faultREST) {
	status := func(code int, retryAfter string) emu.Fault {
		return emu.Fault{Kind: emu.FaultStatus, Status: code, RetryAfter: retryAfter, Times: 1}
	}
	// succeeds: the apply succeeds after attempts requests, the last acting.
	succeeds := func(attempts int) func(faultKind) faultExpect {
		return func(faultKind) faultExpect {
			return faultExpect{outcome: faultSucceeds, attempts: attempts, acts: 1}
		}
	}
	// lostActs is how many passwords n attempts that each reached the
	// service leave taken.
	lostActs := func(kind faultKind, n int) int {
		switch {
		case be.idempotent:
			return 1 // the retries carry the same clientToken: the answer is replayed
		case kind == faultChosen && be.historyRefusesRepeat:
			return 1 // the repeats are refused as recently used
		}
		return n
	}

	// 429 with Retry-After: retried once the time asked for has passed.
	be.addCase("rate_limited_retry_after", true, []emu.Fault{status(http.StatusTooManyRequests, "1")}, succeeds(2))
	// 429 without Retry-After: retried after the backoff.
	be.addCase("rate_limited", true, []emu.Fault{status(http.StatusTooManyRequests, "")}, succeeds(2))
	// 500 is not retried, and the service may have acted: the emulator did
	// not, but the provider cannot know that.
	be.addCase("internal_error", false, []emu.Fault{status(http.StatusInternalServerError, "")},
		func(faultKind) faultExpect { return faultExpect{outcome: faultMayHaveChanged, attempts: 1} })
	// 502, 503 and 504 in turn, each retried.
	be.addCase("gateway_errors", true, []emu.Fault{
		status(http.StatusBadGateway, "0"), status(http.StatusServiceUnavailable, "0"), status(http.StatusGatewayTimeout, "0"),
	}, succeeds(4))
	// The connection drops before the service acts: retried.
	be.addCase("reset_before", true, []emu.Fault{{Kind: emu.FaultResetBefore, Times: 1}}, succeeds(2))
	// The service acts, then the connection drops and the answer is lost:
	// retried. That is right for every backend here: a server-side password
	// is issued again (FinSpace replays the first, thanks to its
	// clientToken) and state holds the last, which is the current one; a
	// chosen password is set twice, which is harmless. Where the history
	// refuses the repeat (Entrust IDaaS), the backend reads lastChangedTime,
	// sees that the lost attempt set the password, and the apply succeeds
	// with one password taken.
	be.addCase("reset_after", false, []emu.Fault{{Kind: emu.FaultResetAfter, Times: 1}}, func(kind faultKind) faultExpect {
		return faultExpect{outcome: faultSucceeds, attempts: 2, acts: lostActs(kind, 2)}
	})
	// Every answer is lost: the retries run out, and the password may have
	// changed.
	be.addCase("reset_after_always", false, []emu.Fault{{Kind: emu.FaultResetAfter}}, func(kind faultKind) faultExpect {
		return faultExpect{outcome: faultMayHaveChanged, attempts: faultMaxRetries + 1, acts: lostActs(kind, faultMaxRetries+1)}
	})
	// An answer slower than request_timeout: the attempt is abandoned (the
	// emulator then does not act) and retried.
	be.addCase("slow", true, []emu.Fault{{Kind: emu.FaultDelay, Delay: faultRequestTimeout + time.Second, Times: 1}}, succeeds(2))
	// The service acts and answers 200 with a truncated body.
	be.addCase("malformed", false, []emu.Fault{{Kind: emu.FaultMalformed, Times: 1}}, func(faultKind) faultExpect {
		if be.bodyIgnored {
			return faultExpect{outcome: faultSucceeds, attempts: 1, acts: 1}
		}
		return faultExpect{outcome: faultMayHaveChanged, attempts: 1, acts: 1}
	})
	// The service stays down: 503 until the retries run out. It did not
	// act: a new resource stays out of state, an updated one keeps its
	// state, which is still true.
	be.addCase("service_down", false, []emu.Fault{{Kind: emu.FaultStatus, Status: http.StatusServiceUnavailable, RetryAfter: "0"}},
		func(faultKind) faultExpect {
			return faultExpect{outcome: faultRefused, attempts: faultMaxRetries + 1, refusal: `HTTP 503`}
		})
}

// tokenExpiryCase is the one case of the TokenExpiry tests: the token or
// session expires between two resources of an apply. The resources are
// created one after the other (generated, chosen, reset): the first sets
// its password with the token, which then expires as the second's request
// arrives; the provider authenticates again and repeats that request, and
// the third uses the new token.
func tokenExpiryCase(be *faultREST) {
	be.newOnly, be.chain = true, true
	hook := emu.Fault{Kind: emu.FaultHook, Times: 1, Hook: func(r *http.Request, body []byte) { be.expire(r, body) }}
	be.cases = append(be.cases, faultCase{
		name:    "token_expiry",
		newUser: be.newUser,
		start: func(users []string) func() {
			// users: the generated, chosen and reset resources' users, in order.
			return be.faults.Inject(be.selector(users[1], hook))
		},
		expect: func(kind faultKind) faultExpect {
			if kind == faultChosen {
				return faultExpect{outcome: faultSucceeds, attempts: 2, acts: 1}
			}
			return faultExpect{outcome: faultSucceeds, attempts: 1, acts: 1}
		},
	})
}

// newFaultBackend is the fault harness's view of a fixture: which kinds of
// resource it has, the emulator's truth and the requests that changed it.
func newFaultBackend(f *accFixture, provider string) faultBackend {
	kinds := []faultKind{faultGenerated, faultReset}
	if f.caps().SetChosen {
		kinds = []faultKind{faultGenerated, faultChosen, faultReset}
	}
	be := faultBackend{
		name:     f.backend.Name(),
		provider: provider,
		kinds:    kinds,
		current:  f.current,
		issued:   func(u string) int { return len(f.issued(u)) },
		// Entrust IDaaS, the backend whose history can be cleared, refuses
		// a recently used password.
		historyRefusesRepeat: f.caps().ClearPasswordHistory,
	}
	if f.sets != nil {
		be.changes = func(u string) int { return len(f.sets(u)) }
	}
	return be
}

// restFaults is the fault harness of a backend reached over HTTP, whose
// password-changing request for a user is method on a path holding
// pathOf(user).
func restFaults(f *accFixture, method string, pathOf func(user string) string) *faultREST {
	return &faultREST{
		faultBackend: newFaultBackend(f, f.providerWith(faultSettings(), f.block())),
		faults:       f.faults,
		newUser:      f.newUser,
		selector: func(u string, fl emu.Fault) emu.Fault {
			fl.Method, fl.PathContains = method, pathOf(u)
			return fl
		},
	}
}

func idaasFaults(t *testing.T) *faultREST {
	be := restFaults(accIDaaS(t), http.MethodPut, func(u string) string { return "/users/" + u + "/passwords" })
	be.expire = func(r *http.Request, _ []byte) { testSandbox.IDaaS.ExpireToken(r.Header.Get("Authorization")) }
	return be
}

func finspaceFaults(t *testing.T) *faultREST {
	be := restFaults(accFinSpace(t), http.MethodPost, func(u string) string { return "/user/" + u + "/password" })
	be.idempotent = true
	return be
}

func huaweiFaults(t *testing.T) *faultREST {
	return restFaults(accHuawei(t), http.MethodPost, func(u string) string { return "/users/" + u + "/reset-password" })
}

func ocariotFaults(t *testing.T) *faultREST {
	be := restFaults(accOCARIoT(t), http.MethodPost, func(u string) string { return "/v1/users/" + u + "/reset-password" })
	be.expire = func(r *http.Request, _ []byte) { testSandbox.OCARIoT.RevokeToken(r.Header.Get("Authorization")) }
	be.bodyIgnored = true
	return be
}

func zatoFaults(t *testing.T) *faultREST {
	be := restFaults(accZato(t), http.MethodPatch, func(string) string { return zatoPasswordPath })
	// Zato names the user in the JSON body; the path is the same for all.
	selectPath := be.selector
	be.selector = func(u string, f emu.Fault) emu.Fault {
		f = selectPath(u, f)
		f.BodyContains = `"user_id":"` + u + `"`
		return f
	}
	be.expire = func(_ *http.Request, body []byte) {
		var in struct {
			UST string `json:"ust"`
		}
		if json.Unmarshal(body, &in) == nil {
			testSandbox.Zato.ExpireSession(in.UST)
		}
	}
	return be
}

// TestAccProvider_faults runs the fault table of each backend: the faults
// of HTTP (restFaultCases) on each HTTP backend; a token or session that
// expires between two resources of an apply (tokenExpiryCase) on each
// backend that logs in; and the faults of a command on the Zato CLI.
func TestAccProvider_faults(t *testing.T) {
	t.Parallel()
	for _, row := range []struct {
		name  string
		open  func(t *testing.T) *faultREST
		table func(be *faultREST)
	}{
		{"idaas", idaasFaults, restFaultCases},
		{"idaas_token_expiry", idaasFaults, tokenExpiryCase},
		{"finspace", finspaceFaults, restFaultCases},
		{"huawei", huaweiFaults, restFaultCases},
		{"ocariot", ocariotFaults, restFaultCases},
		{"ocariot_token_expiry", ocariotFaults, tokenExpiryCase},
		{"zato", zatoFaults, restFaultCases},
		{"zato_session_expiry", zatoFaults, tokenExpiryCase},
	} {
		t.Run(row.name, func(t *testing.T) {
			be := row.open(t)
			row.table(be)
			testAccFaults(t, &be.faultBackend)
		})
	}
	t.Run("zato_cli", testAccFaultsZatoCLI)
}

// faultZatoCommand stands in for zato: it logs the username of every call
// (its last argument) to "calls", then misbehaves as the file
// "mode.<username>" beside it says, or runs the fake zato command. No mode
// prints a password. Like the real command, it writes its messages to
// stdout, and an exception is exit code 16 (zato-cli .../cli/__init__.py:446,
// :698-709).
const faultZatoCommand = `#!/bin/sh
dir=$(dirname "$0")
for user in "$@"; do :; done
echo "$user" >> "$dir/calls"
case "$(cat "$dir/mode.$user" 2>/dev/null)" in
exit-before)
	echo "OperationalError: ('database is locked',) (Hint: re-run with --verbose for full traceback)"
	exit 16 ;;
exit-after)
	"$FAKE" "$@" >/dev/null 2>&1
	echo "OperationalError: ('the connection to the ODB was lost',) (Hint: re-run with --verbose for full traceback)"
	exit 16 ;;
unreadable)
	"$FAKE" "$@" >/dev/null 2>&1
	echo "done"
	exit 0 ;;
refused)
	echo 'Password validation error, reason code:` + "`E003001`" + `'
	exit 21 ;;
esac
exec "$FAKE" "$@"
`

// testAccFaultsZatoCLI: the CLI has no retries and no HTTP, so its faults
// are those of a command: one that fails with an unknown exit code before
// or after it changed the password, one that prints nothing readable after
// changing it, and a refusal (exit 21).
func testAccFaultsZatoCLI(t *testing.T) {
	f := accZatoCLI(t)
	bin := t.TempDir()
	command := filepath.Join(bin, "zato")
	script := strings.ReplaceAll(faultZatoCommand, `"$FAKE"`, fmt.Sprintf("%q", f.attrs["zato_command"]))
	if err := os.WriteFile(command, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	be := newFaultBackend(f, f.providerWith("", f.block("zato_command", command)))
	be.changes = func(u string) int {
		data, err := os.ReadFile(filepath.Join(bin, "calls"))
		if err != nil {
			return 0
		}
		n := 0
		for _, line := range strings.Split(string(data), "\n") {
			if line == u {
				n++
			}
		}
		return n
	}
	add := func(name, mode string, expect faultExpect) {
		be.cases = append(be.cases, faultCase{
			name:    name,
			newUser: f.newUser,
			start: func(users []string) func() {
				for _, u := range users {
					if err := os.WriteFile(filepath.Join(bin, "mode."+u), []byte(mode), 0o600); err != nil {
						t.Error(err)
					}
				}
				return func() {
					for _, u := range users {
						_ = os.Remove(filepath.Join(bin, "mode."+u))
					}
				}
			},
			expect: func(faultKind) faultExpect { return expect },
		})
	}
	// The command fails before it changes anything, as far as anyone can
	// tell from outside: the provider cannot, so the password may have changed.
	add("exit_before", "exit-before", faultExpect{outcome: faultMayHaveChanged, attempts: 1})
	// The command changes the password, then fails.
	add("exit_after", "exit-after", faultExpect{outcome: faultMayHaveChanged, attempts: 1, acts: 1})
	// The command changes the password and exits 0 without the line that
	// says so (or that holds the new password).
	add("unreadable", "unreadable", faultExpect{outcome: faultMayHaveChanged, attempts: 1, acts: 1})
	// The server refuses the password (exit 21): nothing changed.
	add("refused", "refused", faultExpect{outcome: faultRefused, attempts: 1, refusal: `E003001`})
	testAccFaults(t, &be)
}

// TestPlanUserPassword_lostSet: after an update whose set may have changed
// the password (forgetPassword: no password in state, a lost set in private
// state), the next plan sets the password again, saying why, in every mode.
func TestPlanUserPassword_lostSet(t *testing.T) {
	set, _ := time.Parse(time.RFC3339, userpwLastChanged)
	lost := &passwordDrift{ChangedAt: "2030-01-02T00:00:00Z", SetAt: userpwLastChanged, Lost: true}
	for _, tc := range []struct {
		name   string
		chosen bool
		want   string
	}{
		{"generated", false, "; this plan issues a new one."},
		{"chosen", true, "; this plan sets it again to password."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := userpwGenerated()
			state.Password = types.StringNull() // as forgetPassword leaves it
			cfg := userpwConfigOf(state)
			if tc.chosen {
				state.GeneratedBy = types.StringNull()
				cfg = userpwConfigOf(state)
				cfg.Password = types.StringValue("Chosen-Passw0rd")
			}
			plan := cfg
			var diags diag.Diagnostics
			planUserPassword(userpwIDaaSLike, set, &state, &cfg, &plan, priorPrivate{drift: lost}, &diags)
			var found bool
			for _, w := range diags.Warnings() {
				if w.Summary() == "Password Not Known" {
					found = true
					want := "An apply at 2030-01-02T00:00:00Z may have changed the password of user u1, but the answer of " +
						"Fake IdP was lost or could not be read, so the state holds no password for it" + tc.want
					if w.Detail() != want {
						t.Errorf("warning detail = %q, want %q", w.Detail(), want)
					}
				}
			}
			if !found {
				t.Fatalf("no Password Not Known warning in %v", diags)
			}
			if !plan.LastChangedAt.IsUnknown() {
				t.Errorf("a lost set must plan a set (last_changed_at unknown)")
			}
		})
	}
}
