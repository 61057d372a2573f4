package provider

// identity_expire_password at the protocol level (as
// acc_send_password_reset_action_test.go does for the first action): these
// run on every leg of the matrix; acc_expire_password_cli_test.go runs the
// action through the real CLI where it has actions.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

const expireActionType = "identity_expire_password"

// expireFixtures opens the fixtures whose backend can expire a password
// (backend.Expirer), or, with can false, those whose backend cannot.
func expireFixtures(t *testing.T, can bool) []*accFixture {
	var out []*accFixture
	for _, f := range accBackends(t) {
		if _, ok := f.backend.(backend.Expirer); ok == can {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no backend with Expirer = %t", can)
	}
	return out
}

// expiredChecks check, per backend that can expire a password, what its
// emulator recorded for the user: n expiring requests, each in the
// documented form, and (n > 0) the user's must-change flag set.
var expiredChecks = map[string]func(t *testing.T, user string, n int) error{
	"zato": func(t *testing.T, user string, n int) error {
		calls := zatoCalls(t, zatoUserPath, user)
		if len(calls) != n {
			return fmt.Errorf("the emulator recorded %d PATCH %s for user %s, want %d", len(calls), zatoUserPath, user, n)
		}
		for _, c := range calls {
			if len(c) != 5 || c["password_must_change"] != true || c["ust"] == nil || c["current_app"] == nil {
				return fmt.Errorf("PATCH %s body %v, want exactly ust, current_app, user_id and password_must_change: true", zatoUserPath, c)
			}
		}
		u, ok := testSandbox.Zato.GetUser(user)
		if n > 0 && (!ok || !u.MustChange) {
			return fmt.Errorf("user %s (found %t) has password_must_change = %t after %d expirations", user, ok, u.MustChange, n)
		}
		return nil
	},
}

// lostExpiry is a fault that drops the answer to the request expiring
// user's password, once the emulator has acted (not the answers to the
// reads and searches that come first, which are retried).
func lostExpiry(user string) emu.Fault {
	return emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPatch, BodyContains: user, Times: 1}
}

// expectExpired is a step check: expiredChecks of the fixture's backend.
func expectExpired(t *testing.T, f *accFixture, user string, n int) func(*terraform.State) error {
	return func(*terraform.State) error {
		check, ok := expiredChecks[f.name]
		if !ok {
			return fmt.Errorf("%s can expire a password, but expiredChecks has no check for it", f.backend.Name())
		}
		return check(t, user, n)
	}
}

// passwordKept returns a check, for later, that the user's password is the
// one it is now and that no password-changing request was sent for it.
func passwordKept(f *accFixture, user string) func() error {
	before, _ := f.current(user)
	issued, sets := len(f.issued(user)), len(f.sets(user))
	return func() error {
		if pw, _ := f.current(user); pw != before || len(f.issued(user)) != issued {
			return fmt.Errorf("the password of user %s changed: the action must leave it as it is", user)
		}
		if n := len(f.sets(user)); n != sets {
			return fmt.Errorf("%d %s for user %s, want none", n-sets, f.setsName, user)
		}
		return nil
	}
}

// expireCase is one user of a backend that can expire a password, with the
// provider served for the action, configured for that user.
type expireCase struct {
	ctx  context.Context
	user string
	kept func() error // passwordKept
	s    *actionTestServer
	cfg  *tfprotov6.DynamicValue
}

func newExpireCase(t *testing.T, f *accFixture) *expireCase {
	t.Helper()
	c := &expireCase{ctx: context.Background(), user: f.newUser(t)}
	c.kept = passwordKept(f, c.user)
	c.s, c.cfg = actionConfigure(c.ctx, t, expireActionType, f, c.user)
	return c
}

// TestAccExpirePasswordAction_expires: planning sends nothing; invoking
// reports progress and has the identity system set the user's must-change
// flag, once, with the password left as it was.
func TestAccExpirePasswordAction_expires(t *testing.T) {
	testAccParallel(t, expireFixtures(t, true), func(t *testing.T, f *accFixture) {
		t.Parallel()
		c := newExpireCase(t, f)
		user := c.user
		if e := actionTestErrors(c.s.plan(c.ctx, t, c.cfg)); e != "" {
			t.Fatalf("PlanAction: %s", e)
		}
		if err := expectExpired(t, f, user, 0)(nil); err != nil {
			t.Fatalf("after planning: %v", err)
		}

		progress, diags := c.s.invoke(c.ctx, t, c.cfg)
		if len(diags) != 0 {
			t.Fatalf("InvokeAction completed with diagnostics: %+v", diags)
		}
		wantFirst := "expiring the password of user " + user + " on " + f.backend.Name() + ": "
		wantLast := "expired: user " + user + " must change the password at the next login on " + f.backend.Name()
		if len(progress) != 2 || !strings.HasPrefix(progress[0], wantFirst) || progress[1] != wantLast {
			t.Fatalf("progress events %q, want [%q..., %q]", progress, wantFirst, wantLast)
		}
		if err := expectExpired(t, f, user, 1)(nil); err != nil {
			t.Fatal(err)
		}
		if err := c.kept(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAccExpirePasswordAction_unsupported: a backend that cannot expire a
// password fails the plan, naming itself and what to do instead; invoked
// anyway, the action refuses again before any request, and the user's
// password stays as it was.
func TestAccExpirePasswordAction_unsupported(t *testing.T) {
	testAccParallel(t, expireFixtures(t, false), func(t *testing.T, f *accFixture) {
		t.Parallel()
		user := f.newUser(t)
		untouched := userUntouched(f, user)
		ctx := context.Background()
		s, cfg := actionConfigure(ctx, t, expireActionType, f, user)
		expectActionRefused(ctx, t, s, cfg,
			"Not Supported By "+f.backend.Name(), "identity_expire_password action cannot be used", "Zato SSO over REST can")
		untouched(t)
	})
}

// TestAccExpirePasswordAction_refused: a user the identity system does
// not have, and the service's refusal, are errors saying what was
// attempted and what the service answered; neither is repeated, and
// nothing is expired.
func TestAccExpirePasswordAction_refused(t *testing.T) {
	testAccParallel(t, expireFixtures(t, true), func(t *testing.T, f *accFixture) {
		t.Run("no_such_user", func(t *testing.T) {
			t.Parallel()
			user := "zusr9nobody" + randomHex(t, 8)
			ctx := context.Background()
			s, cfg := actionConfigure(ctx, t, expireActionType, f, user)
			progress, diags := s.invoke(ctx, t, cfg)
			expectActionErrors(t, "InvokeAction", diags,
				"Unable To Expire Password: "+f.backend.Name()+": could not set the must-change flag of user "+user,
				"has no user with this user_id")
			if len(diags) != 1 || diags[0].Attribute == nil || diags[0].Attribute.String() != `AttributeName("user_id")` {
				t.Errorf("diagnostics %+v, want one on user_id", diags)
			}
			if len(progress) != 1 {
				t.Errorf("progress events %q, want the first only", progress)
			}
			if err := expectExpired(t, f, user, 0)(nil); err != nil {
				t.Error(err)
			}
		})
		t.Run("refused", func(t *testing.T) {
			t.Parallel()
			c := newExpireCase(t, f)
			defer f.faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPatch, BodyContains: c.user, Status: 403,
				Body: `{"cid":"c","status":"error","sub_status":["E008002"]}`, Times: 1})()
			_, diags := c.s.invoke(c.ctx, t, c.cfg)
			expectActionErrors(t, "InvokeAction", diags,
				"Unable To Expire Password: "+f.backend.Name()+": could not set the must-change flag of user "+c.user,
				"the service answered HTTP 403 E008002")
			if err := expectExpired(t, f, c.user, 1)(nil); err == nil || !strings.Contains(err.Error(), "password_must_change = false") {
				t.Errorf("want one refused request and the flag unset, got %v", err)
			}
			if err := c.kept(); err != nil {
				t.Error(err)
			}
		})
	})
}

// TestAccExpirePasswordAction_lostAnswer: when the service acts and the
// answer is lost, the invocation completes with a warning that the password
// may have been expired, and no error; the request is not repeated (the
// provider has max_retries = 1).
func TestAccExpirePasswordAction_lostAnswer(t *testing.T) {
	testAccParallel(t, expireFixtures(t, true), func(t *testing.T, f *accFixture) {
		t.Parallel()
		c := newExpireCase(t, f)
		user := c.user
		defer f.faults.Inject(lostExpiry(user))()
		_, diags := c.s.invoke(c.ctx, t, c.cfg)
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
			diags[0].Summary != "Password May Have Been Expired" || !strings.Contains(diags[0].Detail, "not repeated") {
			t.Fatalf("diagnostics %+v, want one warning that the password may have been expired", diags)
		}
		if err := expectExpired(t, f, user, 1)(nil); err != nil {
			t.Fatal(err)
		}
		if err := c.kept(); err != nil {
			t.Fatal(err)
		}
	})
}
