package sandbox

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/finspace"
	"github.com/identityops/terraform-provider-identity/internal/backend/huawei"
	"github.com/identityops/terraform-provider-identity/internal/backend/idaas"
	"github.com/identityops/terraform-provider-identity/internal/backend/ocariot"
	zatobe "github.com/identityops/terraform-provider-identity/internal/backend/zato"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// TestUsersViewShowsNoPassword: after passwords were set, generated,
// reset and emailed in every identity system of the sandbox (through the
// provider's own backends), the users view (text, JSON, the admin page)
// shows what happened (last change, must-change, expiry, emails) and no
// password, token or credential the sandbox knows; the admin page changes
// nothing.
func TestUsersViewShowsNoPassword(t *testing.T) {
	sbx, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sbx.Close()
	for k, v := range sbx.Env() {
		if strings.HasPrefix(k, "AWS_") { // FinSpace's credentials come from the AWS chain
			t.Setenv(k, v)
		}
	}
	ctx := context.Background()
	tc := transport.Config{CACertificatePEM: string(sbx.CA.CertPEM), RequestTimeout: 10 * time.Second}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	force := true
	chosen := map[string]string{"IDaaS chosen": "Chosen-View-Passw0rd-1", "OCARIoT chosen": "Chosen-View-Passw0rd-2",
		"Zato chosen": "Chosen-View-Passw0rd-3", "Zato CLI chosen": "Chosen-View-Passw0rd-4"}

	ia, err := idaas.New(idaas.Config{URL: sbx.IDaaSURL, ApplicationID: idaasemu.TestApplicationID, SharedSecret: idaasemu.TestSharedSecret}, tc)
	must(nil, err)
	must(ia.SetPassword(ctx, backend.SetPasswordInput{UserID: idaasemu.UserBob, Password: chosen["IDaaS chosen"], ForceChange: &force}))
	must(ia.SetPassword(ctx, backend.SetPasswordInput{UserID: idaasemu.UserAlice, Generate: true, NotifyUser: true}))
	must(ia.ResetPassword(ctx, backend.ResetInput{UserID: idaasemu.UserCarol}))

	fs, err := finspace.New(ctx, finspace.Config{Region: finspaceemu.TestRegion, Endpoint: sbx.FinSpaceURL}, tc)
	must(nil, err)
	must(fs.ResetPassword(ctx, backend.ResetInput{UserID: finspaceemu.AppUserID}))

	hw, err := huawei.New(huawei.Config{IdentityStoreID: huaweiemu.TestIdentityStoreID, AccessKey: huaweiemu.TestAccessKey,
		SecretKey: huaweiemu.TestSecretKey, Endpoint: sbx.HuaweiURL}, tc)
	must(nil, err)
	must(hw.ResetPassword(ctx, backend.ResetInput{UserID: huaweiemu.UserAlice}))
	must(hw.ResetPassword(ctx, backend.ResetInput{UserID: huaweiemu.UserBob, SendEmail: true}))

	oc, err := ocariot.New(ocariot.Config{URL: sbx.OCARIoTURL, Username: ocariotemu.TestUsername, Password: ocariotemu.TestPassword}, tc)
	must(nil, err)
	must(oc.SetPassword(ctx, backend.SetPasswordInput{UserID: ocariotemu.ChildUserID, Password: chosen["OCARIoT chosen"]}))

	zr, err := zatobe.NewREST(zatobe.RESTConfig{URL: sbx.ZatoURL, Username: zato.TestUsername, Password: zato.TestPassword, CurrentApp: zato.TestCurrentApp}, tc)
	must(nil, err)
	must(zr.SetPassword(ctx, backend.SetPasswordInput{UserID: zato.AliceUserID, Password: chosen["Zato chosen"], ForceChange: &force}))

	server := filepath.Join(t.TempDir(), "server1")
	must(nil, zato.CreateCLIServer(server))
	cmd, err := zato.BuildFakeZato(t.TempDir())
	must(nil, err)
	zc, err := zatobe.NewCLI(zatobe.CLIConfig{ServerPath: server, Command: cmd})
	must(nil, err)
	must(zc.SetPassword(ctx, backend.SetPasswordInput{UserID: zato.AliceUsername, Password: chosen["Zato CLI chosen"]}))
	must(zc.ResetPassword(ctx, backend.ResetInput{UserID: zato.BobUsername}))

	adminURL, stop, err := sbx.ServeAdmin(server)
	must(nil, err)
	defer stop()
	get := func(method, path string) (int, string) {
		req, err := http.NewRequestWithContext(ctx, method, adminURL+path, nil)
		must(nil, err)
		resp, err := http.DefaultClient.Do(req)
		must(nil, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		must(nil, err)
		return resp.StatusCode, string(body)
	}
	_, page := get(http.MethodGet, "/")
	_, js := get(http.MethodGet, "/users")
	views, err := FetchUsers(adminURL)
	must(nil, err)
	var text bytes.Buffer
	must(nil, WriteUsers(&text, views))

	secrets := map[string]string{}
	for _, s := range sbx.Secrets() {
		secrets[s.Kind+" "+s.Value[:min(4, len(s.Value))]+"…"] = s.Value
	}
	st, err := zato.ReadCLIState(server)
	must(nil, err)
	for name, u := range st.Users {
		for _, pw := range u.Issued {
			secrets["Zato CLI password of "+name] = pw
		}
	}
	for k, v := range chosen {
		secrets[k] = v
	}
	if len(secrets) < 15 {
		t.Fatalf("only %d secrets to look for: the sandbox's passwords were not gathered", len(secrets))
	}
	for what, out := range map[string]string{"admin page": page, "admin JSON": js, "users output": text.String()} {
		for name, s := range secrets {
			if len(s) >= 8 && strings.Contains(out, s) {
				t.Errorf("the %s shows the %s", what, name)
			}
		}
	}

	out := text.String()
	for _, want := range []string{
		idaasemu.UserBob + "  bob", "email sent", "to user " + idaasemu.UserAlice + " (password_generated)",
		"to user " + huaweiemu.UserBob + " (reset_link)", finspaceemu.AppUserID, ocariotemu.ChildUserID, zato.AliceUserID,
		"Zato SSO (CLI)  " + server,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the users output lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, idaasemu.UserBob) && !strings.Contains(line, " set ") {
			t.Errorf("IDaaS bob's password is not shown as set: %q", line)
		}
	}
	if page != out {
		t.Error("the admin page differs from the users output")
	}
	if status, _ := get(http.MethodPost, "/users"); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /users answered %d, want 405: the admin page is read-only", status)
	}
}
