package ocariot

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	sandbox "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
)

// TestSecretsNeverLogged runs a full round against the emulator — logins,
// successful and failing sets, a refused re-login, a refused given token, the
// unsupported reset and read — with tflog captured at the most verbose level,
// and fails if a password or token shows up in the logs or in any error.
func TestSecretsNeverLogged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	var errs []error
	chosen := []string{"chosen-Secret-1!", "chosen-Secret-2!", "chosen-Secret-3!", "chosen-Secret-4!"}

	// Login mode: success, unknown user, a 401 that forces a re-login, and a
	// re-login refused because the admin's password changed behind our back.
	admin := f.backend(t, func(c *Config) { c.Now = func() time.Time { return epoch } })
	if _, err := set(ctx, admin, sandbox.ChildUserID, chosen[0]); err != nil {
		t.Fatal(err)
	}
	_, err := set(ctx, admin, unknownUserID, chosen[1])
	errs = append(errs, err)
	f.Emu.Clock.Advance(25 * time.Hour)
	if _, err = set(ctx, admin, sandbox.ChildUserID, chosen[2]); err != nil {
		t.Fatal(err)
	}
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, PathContains: "/reset-password", Status: 401, Times: 1,
		Body: `{"code":401,"message":"UNAUTHORIZED","description":"Authentication failed due to access token issues.","redirect_link":"/auth"}`})
	f.Emu.SetPasswordBehindBack(sandbox.AdminUserID, "rotated-admin-Secret")
	_, err = set(ctx, admin, sandbox.ChildUserID, chosen[3])
	errs = append(errs, err)
	_, err = admin.ResetPassword(ctx, backend.ResetInput{UserID: sandbox.ChildUserID})
	errs = append(errs, err)
	_, err = admin.ReadUser(ctx, sandbox.ChildUserID)
	errs = append(errs, err)

	// Missing scope.
	auditor := f.backend(t, func(c *Config) { c.Username, c.Password = sandbox.TestNoScopeUsername, sandbox.TestNoScopePassword })
	_, err = set(ctx, auditor, sandbox.ChildUserID, chosen[0])
	errs = append(errs, err)

	// A given access token: accepted, then refused once expired.
	token, err := f.Emu.IssueToken(sandbox.TestUsername)
	if err != nil {
		t.Fatal(err)
	}
	given := f.backend(t, func(c *Config) { c.Username, c.Password, c.AccessToken = "", "", token })
	if _, err = set(ctx, given, sandbox.EducatorUserID, chosen[1]); err != nil {
		t.Fatal(err)
	}
	f.Emu.Clock.Advance(25 * time.Hour)
	_, err = set(ctx, given, sandbox.EducatorUserID, chosen[2])
	errs = append(errs, err)

	secrets := append([]string{sandbox.TestPassword, sandbox.TestNoScopePassword, "rotated-admin-Secret", token}, chosen...)
	// Every token the emulator issued, as the client sent it.
	for _, r := range f.Emu.Recorder.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			secrets = append(secrets, tok)
		}
	}
	for i, err := range errs {
		if err == nil {
			t.Fatalf("step %d should have failed", i)
		}
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error %q holds a secret", err)
			}
		}
	}
	out := logs.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the logs hold the secret %.6s…", s)
		}
	}
	// The check means something only if the round was logged.
	for _, want := range []string{"identity API request", "identity API response", "logged in to OCARIoT", "logging in again"} {
		if !strings.Contains(out, want) {
			t.Errorf("the logs lack %q; captured:\n%s", want, out)
		}
	}
	if n := f.Emu.Recorder.Count(http.MethodPost, "/v1/auth"); n < 4 {
		t.Errorf("only %d logins: the round did not run as planned", n)
	}
}
