package provider

// identity_send_password_reset at the protocol level: these tests speak
// protocol 6 to the provider server directly (GetProviderSchema,
// ConfigureProvider, ValidateActionConfig, PlanAction and InvokeAction, as
// Terraform 1.14+ would), so they run on every leg of the matrix, CLIs
// without actions included; acc_send_password_reset_cli_test.go runs the
// action through the real CLI where it has actions.

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

const sendResetActionType = "identity_send_password_reset"

// actionProviderServer is a provider server that serves actions.
// (tfprotov6.ProviderServerWithActions says the same but is deprecated: its
// methods are moving into ProviderServer.)
type actionProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
}

// actionTestServer is a provider server configured with one backend block,
// serving one action type.
type actionTestServer struct {
	srv          actionProviderServer
	actionType   string
	actionSchema *tfprotov6.Schema
}

// actionTestObject builds an object value of typ with the given attributes
// set and every other attribute (and block) null.
func actionTestObject(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("expected an object type, got %s", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("the schema has no attribute or block %q", name)
		}
		vals[name] = v
	}
	return tftypes.NewValue(obj, vals)
}

func actionTestDynamicValue(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatalf("building a DynamicValue: %v", err)
	}
	return &dv
}

// actionTestErrors renders the error diagnostics (none of which may hold a
// secret: the provider's diagnostics never do).
func actionTestErrors(diags []*tfprotov6.Diagnostic) string {
	var out []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	return strings.Join(out, "\n")
}

// newActionTestServer serves the provider in-process for actionType and
// configures it with one backend block whose string attributes are block.
func newActionTestServer(ctx context.Context, t *testing.T, actionType, blockName string, block map[string]string) *actionTestServer {
	t.Helper()
	ps, err := providerserver.NewProtocol6WithError(&identityProvider{version: "test", now: time.Now})()
	if err != nil {
		t.Fatal(err)
	}
	srv, ok := ps.(actionProviderServer)
	if !ok {
		t.Fatalf("the provider server (%T) does not serve actions", ps)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if e := actionTestErrors(schemas.Diagnostics); e != "" {
		t.Fatalf("GetProviderSchema: %s", e)
	}
	as, ok := schemas.ActionSchemas[actionType]
	if !ok || as.Schema == nil {
		t.Fatalf("the provider offers no %s action", actionType)
	}
	provType := schemas.Provider.ValueType()
	blockType := provType.(tftypes.Object).AttributeTypes[blockName]
	blockVals := map[string]tftypes.Value{}
	for k, v := range block {
		blockVals[k] = tftypes.NewValue(tftypes.String, v)
	}
	cfg := actionTestObject(t, provType, map[string]tftypes.Value{
		"ca_certificate_pem": tftypes.NewValue(tftypes.String, string(testSandbox.CA.CertPEM)),
		"max_retries":        tftypes.NewValue(tftypes.Number, big.NewFloat(1)),
		blockName:            actionTestObject(t, blockType, blockVals),
	})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           actionTestDynamicValue(t, provType, cfg),
	})
	if err != nil {
		t.Fatal(err)
	}
	if e := actionTestErrors(resp.Diagnostics); e != "" {
		t.Fatalf("ConfigureProvider: %s", e)
	}
	return &actionTestServer{srv: srv, actionType: actionType, actionSchema: as.Schema}
}

func (s *actionTestServer) config(t *testing.T, userID string) *tfprotov6.DynamicValue {
	t.Helper()
	typ := s.actionSchema.ValueType()
	return actionTestDynamicValue(t, typ, actionTestObject(t, typ, map[string]tftypes.Value{
		"user_id": tftypes.NewValue(tftypes.String, userID),
	}))
}

// invoke calls InvokeAction and drains the event stream: the progress
// messages, and the completed event's diagnostics.
func (s *actionTestServer) invoke(ctx context.Context, t *testing.T, cfg *tfprotov6.DynamicValue) ([]string, []*tfprotov6.Diagnostic) {
	t.Helper()
	stream, err := s.srv.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: s.actionType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	var completed []*tfprotov6.Diagnostic
	completions := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			if completions > 0 {
				t.Errorf("progress event %q after the completed event", e.Message)
			}
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completions++
			completed = append(completed, e.Diagnostics...)
		default:
			t.Errorf("unexpected event type %T", e)
		}
	}
	if completions != 1 {
		t.Errorf("the stream held %d completed events, want 1", completions)
	}
	return progress, completed
}

// plan calls PlanAction and returns its diagnostics.
func (s *actionTestServer) plan(ctx context.Context, t *testing.T, cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	t.Helper()
	plan, err := s.srv.PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: s.actionType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return plan.Diagnostics
}

// expectActionErrors checks that diags hold errors, and that together
// they say each of want.
func expectActionErrors(t *testing.T, rpc string, diags []*tfprotov6.Diagnostic, want ...string) {
	t.Helper()
	e := actionTestErrors(diags)
	if e == "" {
		t.Errorf("%s: no error diagnostic, want one saying %q", rpc, want)
		return
	}
	for _, w := range want {
		if !strings.Contains(e, w) {
			t.Errorf("%s: the error lacks %q: %s", rpc, w, e)
		}
	}
}

// expectActionRefused checks that planning and invoking the action both
// fail with errors saying want, the invocation before any progress.
func expectActionRefused(ctx context.Context, t *testing.T, s *actionTestServer, cfg *tfprotov6.DynamicValue, want ...string) {
	t.Helper()
	expectActionErrors(t, "PlanAction", s.plan(ctx, t, cfg), want...)
	progress, diags := s.invoke(ctx, t, cfg)
	expectActionErrors(t, "InvokeAction", diags, want...)
	if len(progress) != 0 {
		t.Errorf("progress events %q, want none", progress)
	}
}

// actionConfigure serves the provider for the fixture's backend, with the
// sandbox CA, and checks the configuration of action actionType for user.
func actionConfigure(ctx context.Context, t *testing.T, actionType string, f *accFixture, user string) (*actionTestServer, *tfprotov6.DynamicValue) {
	t.Helper()
	s := newActionTestServer(ctx, t, actionType, f.blockName, f.attrs)
	cfg := s.config(t, user)
	val, err := s.srv.ValidateActionConfig(ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: actionType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if e := actionTestErrors(val.Diagnostics); e != "" {
		t.Fatalf("ValidateActionConfig: %s", e)
	}
	return s, cfg
}

// TestAccSendPasswordResetAction_sendsEmail: planning sends nothing;
// invoking reports progress and has the identity system email the user a
// reset, once. Every backend that can email a reset has the case.
func TestAccSendPasswordResetAction_sendsEmail(t *testing.T) {
	t.Parallel()
	fixtures := accBackendsWith(t, emailsReset)
	// emailed checks the request the emulator received for the user, once
	// invoked.
	emailed := map[string]func(t *testing.T, f *accFixture, user string){
		"idaas": func(t *testing.T, _ *accFixture, user string) {
			puts := idaasPuts(t, user)
			for k, want := range map[string]any{"generatePassword": true, "emailPassword": true, "returnPassword": false} {
				if puts[0][k] != want {
					t.Errorf("reset PUT %s = %v, want %v", k, puts[0][k], want)
				}
			}
		},
		"huawei": func(t *testing.T, f *accFixture, user string) {
			if err := expectHuaweiReset(user, 0, "EMAIL")(nil); err != nil {
				t.Error(err)
			}
			if n := len(f.issued(user)); n != 0 {
				t.Errorf("an EMAIL reset issued %d one-time passwords", n)
			}
		},
	}
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		t.Parallel()
		user := f.newUser(t)
		ctx := context.Background()
		s, cfg := actionConfigure(ctx, t, sendResetActionType, f, user)
		if e := actionTestErrors(s.plan(ctx, t, cfg)); e != "" {
			t.Fatalf("PlanAction: %s", e)
		}
		if n := len(f.sets(user)); n != 0 {
			t.Fatalf("planning the action sent %d %s, want 0", n, f.setsName)
		}

		progress, diags := s.invoke(ctx, t, cfg)
		if e := actionTestErrors(diags); e != "" {
			t.Fatalf("InvokeAction completed with errors: %s", e)
		}
		wantFirst := "requesting a password reset email for user " + user + " from " + f.backend.Name()
		if len(progress) != 2 || progress[0] != wantFirst || !strings.HasPrefix(progress[1], "sent") {
			t.Fatalf("progress events %q, want [%q, \"sent...\"]", progress, wantFirst)
		}
		if err := expectResetEmails(f, user, 1)(nil); err != nil {
			t.Fatal(err)
		}
		emailed[f.name](t, f, user)
	})
}

// TestAccSendPasswordResetAction_unsupported: a backend that cannot email a
// reset fails the plan, naming itself; invoked anyway (Terraform stops at
// the plan error), the action refuses again before any request, and the
// user's password stays as it was.
func TestAccSendPasswordResetAction_unsupported(t *testing.T) {
	t.Parallel()
	fixtures := accBackendsWith(t, func(c backend.Capabilities) bool { return !c.EmailReset })
	testAccEach(t, fixtures, func(t *testing.T, f *accFixture) {
		t.Parallel()
		user := f.newUser(t)
		untouched := userUntouched(f, user)
		ctx := context.Background()
		s, cfg := actionConfigure(ctx, t, sendResetActionType, f, user)
		expectActionRefused(ctx, t, s, cfg, "Not Supported By "+f.backend.Name())
		untouched(t)
	})
}

// TestAccSendPasswordResetAction_lostAnswer: when the service acts and the
// answer is lost, the invocation completes with a warning that the email
// may have been sent, and no error; the request is not repeated (the
// provider has max_retries = 1), so the user got exactly one email.
func TestAccSendPasswordResetAction_lostAnswer(t *testing.T) {
	testAccParallel(t, accBackendsWith(t, emailsReset), func(t *testing.T, f *accFixture) {
		t.Parallel()
		user := f.newUser(t)
		ctx := context.Background()
		s, cfg := actionConfigure(ctx, t, sendResetActionType, f, user)
		defer f.faults.Inject(lostResetEmail(f, user))()
		_, diags := s.invoke(ctx, t, cfg)
		if e := actionTestErrors(diags); e != "" {
			t.Fatalf("InvokeAction completed with errors: %s", e)
		}
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
			diags[0].Summary != "Password Reset Email May Have Been Sent" || !strings.Contains(diags[0].Detail, "not repeated") {
			t.Fatalf("diagnostics %+v, want one warning that the email may have been sent", diags)
		}
		if err := expectResetEmails(f, user, 1)(nil); err != nil {
			t.Fatal(err)
		}
	})
}
