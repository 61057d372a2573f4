package zato

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// TestNoSecretInLogsOrErrors runs full rounds over both transports, with
// failing and succeeding calls, capturing every tflog line, and fails if any
// password or session token shows up in the logs or in an error.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	secrets := []string{zatoemu.TestPassword, zatoemu.AlicePassword}
	var errs []error
	check := func(err error, wantErr bool) {
		t.Helper()
		if (err != nil) != wantErr {
			t.Fatalf("err = %v, want error: %t", err, wantErr)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}

	// REST: a rejected password, a good one with expiry and flag, a read,
	// an expired session, a wrong super-user password.
	e, b := newREST(t)
	const tooShort, good, later = "Sh0rt-x", "Good-Rest-Pass-4411", "Later-Rest-Pass-4412"
	secrets = append(secrets, tooShort, good, later)
	_, err := b.SetPassword(ctx, backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: tooShort})
	check(err, true)
	_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: good,
		ExpiresAt: ptr(t0.AddDate(0, 0, 30)), ForceChange: ptr(true)})
	check(err, false)
	_, err = b.ReadUser(ctx, zatoemu.AliceUserID)
	check(err, false)
	_, err = b.ReadUser(ctx, "zusrnosuchuser")
	check(err, true)
	// The super-user search on the way: a set for a user nobody has, and a
	// refused read explained by a search that is refused too.
	_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: "zusrnosuchuser", Password: good})
	check(err, true)
	e.SetSuperUser(zatoemu.AdminUserID, false)
	_, err = b.ReadUser(ctx, zatoemu.AliceUserID)
	check(err, true)
	e.SetSuperUser(zatoemu.AdminUserID, true)
	e.Clock.Advance(61 * time.Minute)
	_, err = b.SetPassword(ctx, backend.SetPasswordInput{UserID: zatoemu.AliceUserID, Password: later})
	check(err, false)
	if e.Logins() != 3 {
		t.Fatalf("%d logins: the session expiry path was not exercised", e.Logins())
	}
	const wrong = "Wrong-Super-User-Pass-77"
	secrets = append(secrets, wrong)
	_, bad := newREST(t, func(c *RESTConfig) { c.Password = wrong })
	_, err = bad.ReadUser(ctx, zatoemu.AliceUserID)
	check(err, true)
	secrets = append(secrets, e.IssuedUSTs()...)

	// CLI: a reset, a rejected chosen password, a good one, a generated one,
	// and a crash whose stderr echoes the password.
	server, cb := newCLI(t)
	res, err := cb.ResetPassword(ctx, backend.ResetInput{UserID: "alice", ForceChange: ptr(true)})
	check(err, false)
	const cliShort, cliGood, cliDash = "zato-1", "Good-Cli-Pass-5511", "-Dash-Cli-Pass-5512"
	secrets = append(secrets, res.TemporaryPassword, cliShort, cliGood, cliDash)
	check(set(cb, "bob", cliShort), true)
	check(set(cb, "bob", cliGood), false)
	check(set(cb, "bob", cliDash), false)
	gen, err := cb.SetPassword(ctx, backend.SetPasswordInput{UserID: "carol", Generate: true})
	check(err, false)
	secrets = append(secrets, gen.Password)
	crash, err := NewCLI(CLIConfig{ServerPath: server, Command: script(t, "", "cannot set "+cliGood+"\n", 1)})
	check(err, false)
	_, err = crash.SetPassword(ctx, backend.SetPasswordInput{UserID: "bob", Password: cliGood})
	check(err, true)
	// Zato writes its own messages to stdout.
	crashOut, err := NewCLI(CLIConfig{ServerPath: server, Command: script(t, "OSError: cannot set "+cliGood+"\n", "", 16)})
	check(err, false)
	_, err = crashOut.SetPassword(ctx, backend.SetPasswordInput{UserID: "bob", Password: cliGood})
	check(err, true)
	_, err = cb.SetPassword(ctx, backend.SetPasswordInput{UserID: "mallory", Password: cliGood})
	check(err, true)

	out := logs.String()
	// The capture must have seen the calls, or the test proves nothing.
	for _, want := range []string{"identity API request", "/zato/sso/user/password", "/zato/sso/user/search", zatoemu.AliceUserID, "running the zato command", "exit_code"} {
		if !strings.Contains(out, want) {
			t.Fatalf("the logs lack %q:\n%s", want, out)
		}
	}
	for _, s := range secrets {
		if s == "" {
			t.Fatal("an empty secret: a round did not produce its password")
		}
		if strings.Contains(out, s) {
			t.Errorf("a secret (%d characters, starting %q) is in the logs", len(s), s[:3])
		}
		for i, err := range errs {
			if strings.Contains(err.Error(), s) {
				t.Errorf("a secret (%d characters, starting %q) is in error %d", len(s), s[:3], i)
			}
		}
	}
}
