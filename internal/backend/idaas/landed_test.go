package idaas

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// TestChosenPasswordLandedBeforeLostAnswer: IDaaS sets a chosen password,
// then the connection drops and its answer is lost; the transport's retry
// is refused as recently used, the history seeing the same password again.
// The backend reads lastChangedTime, finds the change made during the call,
// and reports the set as done, with the server's times.
func TestChosenPasswordLandedBeforeLostAnswer(t *testing.T) {
	env := newEnv(t)
	const pw = "Chosen-Landed-Passw0rd"
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: "PUT", PathContains: "/passwords", Times: 1})
	res, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Password: pw})
	if err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if got, ok := env.Emu.CurrentPassword(emulator.UserBob); !ok || got != pw {
		t.Fatal("the emulator's current password is not the chosen one")
	}
	if n := len(env.Emu.IssuedPasswords(emulator.UserBob)); n != 1 {
		t.Fatalf("the emulator took %d passwords, want 1", n)
	}
	if n := len(env.Emu.Recorder.Match("PUT", "/passwords")); n != 2 {
		t.Fatalf("%d PUTs, want 2 (the lost attempt and the refused retry)", n)
	}
	if res.LastChangedAt == nil || time.Since(*res.LastChangedAt) > time.Minute {
		t.Fatalf("LastChangedAt = %v, want the time of this set", res.LastChangedAt)
	}
}

// TestRecentlyUsedAfterUnansweredAttemptThatDidNotAct: an attempt answered
// 502 (which may have acted, as far as the provider can tell, but did not)
// is retried and refused as recently used: the password was set an hour
// ago, before this call, so the refusal stands.
func TestRecentlyUsedAfterUnansweredAttemptThatDidNotAct(t *testing.T) {
	env := newEnv(t)
	const pw = "Chosen-Earlier-Passw0rd"
	env.Emu.Clock.Advance(-time.Hour)
	env.Emu.SetPasswordBehindBack(emulator.UserBob, pw)
	env.Emu.Clock.Reset()
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: "PUT", PathContains: "/passwords", Status: 502, RetryAfter: "0", Times: 1})
	_, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Password: pw})
	if ae := asAPIError(t, err); ae.Code != "PASSWORD_HISTORY_VIOLATION" {
		t.Fatalf("error = %+v, want the history refusal", ae)
	}
	if !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
		t.Fatal("after an unanswered attempt the error must say that the password may have changed")
	}
}

// TestNotifyUserNotSentTwice: with emailPassword the PUT is sent at most
// once: after an attempt whose answer was lost, the transport does not
// retry (a retry would email the user a second time), and the error says
// that the password may have changed.
func TestNotifyUserNotSentTwice(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: "PUT", PathContains: "/passwords", Times: 1})
	_, err := env.b.SetPassword(context.Background(), backend.SetPasswordInput{UserID: emulator.UserBob, Generate: true, NotifyUser: true})
	if !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
		t.Fatalf("err = %v, want one that says the password may have changed", err)
	}
	if n := len(env.Emu.Recorder.Match("PUT", "/passwords")); n != 1 {
		t.Fatalf("%d PUTs, want 1", n)
	}
	if n := len(env.Emu.EmailsSent()); n != 1 {
		t.Fatalf("%d emails sent, want 1", n)
	}
}

// TestEmailedResetNotSentTwice: the same for a reset emailed to the user.
func TestEmailedResetNotSentTwice(t *testing.T) {
	env := newEnv(t)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: "PUT", PathContains: "/passwords", Times: 1})
	_, err := env.b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserBob, SendEmail: true})
	if !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
		t.Fatalf("err = %v, want one that says the password may have changed", err)
	}
	if n := len(env.Emu.EmailsSent()); n != 1 {
		t.Fatalf("%d emails sent, want 1", n)
	}
}
