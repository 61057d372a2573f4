package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/backend/idaas"
	"github.com/identityops/terraform-provider-identity/internal/backend/ocariot"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	ocariotemu "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// TestCheckNewUserBounded: a provider process reads at most
// MaxUserChecksAtPlan users at plan time; each missing one draws a warning
// on user_id, an existing one nothing; wrong credentials are an error.
func TestCheckNewUserBounded(t *testing.T) {
	e := idaasemu.New()
	url, ca := backendtest.ServeTLS(t, e.Handler())
	newData := func(secret string) *providerData {
		be, err := idaas.New(idaas.Config{URL: url, ApplicationID: idaasemu.TestApplicationID, SharedSecret: secret},
			transport.Config{CACertificatePEM: string(ca.CertPEM), RequestTimeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return &providerData{backend: be, now: time.Now}
	}
	d := newData(idaasemu.TestSharedSecret)
	var diags diag.Diagnostics
	d.checkNewUser(context.Background(), types.StringValue(idaasemu.UserAlice), &diags)
	if len(diags) != 0 {
		t.Fatalf("an existing user drew %v", diags)
	}
	for i := range MaxUserChecksAtPlan + 5 {
		id := fmt.Sprintf("0000aaaa-0000-4000-8000-%012x", i)
		d.checkNewUser(context.Background(), types.StringValue(id), &diags)
	}
	if n := len(e.Recorder.Match(http.MethodGet, "/passwords")); n != MaxUserChecksAtPlan {
		t.Errorf("%d users read at plan, want %d", n, MaxUserChecksAtPlan)
	}
	if diags.HasError() || len(diags.Warnings()) != MaxUserChecksAtPlan-1 || diags.Warnings()[0].Summary() != "User Not Found" {
		t.Errorf("want %d warnings User Not Found, got %v", MaxUserChecksAtPlan-1, diags)
	}

	diags = nil
	newData("wrong-shared-secret").checkNewUser(context.Background(), types.StringValue(idaasemu.UserAlice), &diags)
	if !diags.HasError() || diags.Errors()[0].Summary() != "Unable To Check User" || strings.Contains(diags.Errors()[0].Detail(), "wrong-shared-secret") {
		t.Errorf("wrong credentials: %v", diags)
	}
}

// TestCheckCredentialsOnce: where the backend reads no users, a provider
// process checks its credentials once (one login), however many new
// resources the plan has.
func TestCheckCredentialsOnce(t *testing.T) {
	e := ocariotemu.New()
	url, ca := backendtest.ServeTLS(t, e.Handler())
	for _, tc := range []struct {
		password  string
		wantError bool
	}{{ocariotemu.TestPassword, false}, {"Wrong-Passw0rd", true}} {
		be, err := ocariot.New(ocariot.Config{URL: url, Username: ocariotemu.TestUsername, Password: tc.password},
			transport.Config{CACertificatePEM: string(ca.CertPEM), RequestTimeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		d := &providerData{backend: be, now: time.Now}
		before := e.Recorder.Count(http.MethodPost, "/v1/auth")
		var diags diag.Diagnostics
		for range 5 {
			var one diag.Diagnostics
			d.checkNewUser(context.Background(), types.StringValue(ocariotemu.ChildUserID), &one)
			diags = append(diags, one...)
		}
		if n := e.Recorder.Count(http.MethodPost, "/v1/auth") - before; n != 1 {
			t.Errorf("password %q: %d logins for 5 new resources, want 1", tc.password, n)
		}
		if diags.HasError() != tc.wantError {
			t.Errorf("password %q: %v", tc.password, diags)
		}
	}
}
