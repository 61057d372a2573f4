package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/passgen"
)

// userpwFakeBackend is a backend with the given capabilities; ModifyPlan's
// helpers call only Name and Capabilities.
type userpwFakeBackend struct {
	caps backend.Capabilities
}

func (b userpwFakeBackend) Name() string                       { return "Fake IdP" }
func (b userpwFakeBackend) Capabilities() backend.Capabilities { return b.caps }
func (b userpwFakeBackend) ValidateUserID(string) error        { return nil }
func (b userpwFakeBackend) SetPassword(context.Context, backend.SetPasswordInput) (backend.PasswordResult, error) {
	return backend.PasswordResult{}, backend.ErrNotSupported
}
func (b userpwFakeBackend) ResetPassword(context.Context, backend.ResetInput) (backend.ResetResult, error) {
	return backend.ResetResult{}, backend.ErrNotSupported
}
func (b userpwFakeBackend) ReadUser(context.Context, string) (backend.User, error) {
	return backend.User{}, backend.ErrNotSupported
}
func (b userpwFakeBackend) ReadPassword(context.Context, string) (backend.User, error) {
	return backend.User{}, backend.ErrNotSupported
}

var userpwIDaaSLike = userpwFakeBackend{caps: backend.Capabilities{SetChosen: true, ServerGenerate: true, BcryptImport: true, ReadUser: true, ReadPasswordChangedAt: true}}

const userpwLastChanged = "2030-01-01T00:00:00Z"

// userpwRecipient is a valid age recipient for the unit tests.
var userpwRecipient = func() string {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		panic(err)
	}
	return id.Recipient().String()
}()

// userpwGenerated is the state of a server-generated password, set at
// userpwLastChanged.
func userpwGenerated() userPasswordModel {
	return userPasswordModel{
		ID:                     types.StringValue("u1"),
		UserID:                 types.StringValue("u1"),
		Password:               types.StringValue("Generated-Passw0rd"),
		PasswordWO:             types.StringNull(),
		PasswordWOVersion:      types.StringNull(),
		Generate:               types.ObjectNull(generateAttrTypes),
		GeneratedBy:            types.StringValue(generatedByServer),
		ForceChangeOnNextLogin: types.BoolNull(),
		ExpiresAt:              types.StringNull(),
		ExpiryNotificationAt:   types.StringNull(),
		LastChangedAt:          types.StringValue(userpwLastChanged),
		RotationDays:           types.Int64Null(),
		Triggers:               types.MapNull(types.StringType),
		NotifyUser:             types.BoolValue(false),
		ClearPasswordHistory:   types.BoolValue(false),
		BcryptHash:             types.StringNull(),
		EncryptTo:              types.ListNull(types.StringType),
		EncryptedPassword:      types.StringNull(),
	}
}

// userpwConfigOf is the configuration that would produce state m: computed
// values null, password null unless chosen.
func userpwConfigOf(m userPasswordModel) userPasswordModel {
	c := m
	c.ID = types.StringNull()
	c.LastChangedAt = types.StringNull()
	c.ExpiryNotificationAt = types.StringNull()
	c.EncryptedPassword = types.StringNull()
	c.Generate = types.ObjectNull(generateAttrTypes)
	c.NotifyUser = types.BoolNull()
	c.ClearPasswordHistory = types.BoolNull()
	if m.BcryptHash.IsNull() && m.PasswordWOVersion.IsNull() && !m.GeneratedBy.IsNull() {
		c.Password = types.StringNull()
		c.GeneratedBy = types.StringNull()
	}
	return c
}

func userpwList(vals ...string) types.List {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func TestUserPasswordSchemaIsValid(t *testing.T) {
	s := userPasswordSchema()
	if diags := s.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("schema: %v", diags)
	}
	wo, ok := s.Attributes["password_wo"]
	if !ok || !wo.IsWriteOnly() || !wo.IsSensitive() || wo.IsComputed() {
		t.Errorf("password_wo must be write-only, sensitive and not computed")
	}
	if a := s.Attributes["bcrypt_hash"]; a == nil || !a.IsSensitive() {
		t.Errorf("bcrypt_hash must be sensitive")
	}
	if !strings.Contains(s.Attributes["encrypt_to"].GetMarkdownDescription(), "sets a new password") {
		t.Errorf("the encrypt_to description must say that a change sets a new password")
	}
}

func TestSetNeeded(t *testing.T) {
	wo := func(version string) userPasswordModel {
		m := userpwGenerated()
		m.Password, m.GeneratedBy = types.StringNull(), types.StringNull()
		m.PasswordWOVersion = types.StringValue(version)
		return m
	}
	chosen := func(pw string) userPasswordModel {
		m := userpwGenerated()
		m.Password, m.GeneratedBy = types.StringValue(pw), types.StringNull()
		return m
	}
	hashA, _ := bcrypt.GenerateFromPassword([]byte("a"), bcrypt.MinCost)
	hashB, _ := bcrypt.GenerateFromPassword([]byte("b"), bcrypt.MinCost)
	bcryptOf := func(h []byte) userPasswordModel {
		m := userpwGenerated()
		m.Password, m.GeneratedBy = types.StringNull(), types.StringNull()
		m.BcryptHash = types.StringValue(string(h))
		return m
	}
	encrypted := func(recipients ...string) userPasswordModel {
		m := userpwGenerated()
		m.Password = types.StringNull()
		m.EncryptTo = userpwList(recipients...)
		m.EncryptedPassword = types.StringValue("-----BEGIN AGE ENCRYPTED FILE-----")
		return m
	}
	imported := func() userPasswordModel {
		m := userpwGenerated()
		m.Password, m.LastChangedAt = types.StringNull(), types.StringNull()
		return m
	}
	with := func(m userPasswordModel, f func(*userPasswordModel)) userPasswordModel { f(&m); return m }
	provGen := func(policy types.Object) userPasswordModel {
		m := userpwGenerated()
		m.GeneratedBy, m.Generate = types.StringValue(generatedByProvider), policy
		return m
	}
	// policyWith is the default policy, set explicitly, with one member changed.
	policyWith := func(name string, v attr.Value) types.Object {
		members := defaultGenerateObject().Attributes()
		members[name] = v
		return types.ObjectValueMust(generateAttrTypes, members)
	}
	withWO := func(m userPasswordModel) userPasswordModel {
		m.PasswordWO = types.StringValue("Write-Only-Passw0rd")
		return m
	}

	cases := []struct {
		name          string
		state         *userPasswordModel
		cfg           userPasswordModel // the plan is the configuration with state's computed values
		rotate, drift bool
		provider      bool // generated_by = "provider" in state and plan
		want          bool
	}{
		{name: "create", state: nil, cfg: userpwConfigOf(userpwGenerated()), want: true},
		{name: "provider generated, defaults set explicitly", state: userpwPtr(provGen(types.ObjectNull(generateAttrTypes))),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.Generate = defaultGenerateObject() }), provider: true, want: false},
		{name: "provider generated, explicit defaults removed", state: userpwPtr(provGen(defaultGenerateObject())),
			cfg: userpwConfigOf(userpwGenerated()), provider: true, want: false},
		{name: "provider generated, length changed", state: userpwPtr(provGen(types.ObjectNull(generateAttrTypes))),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.Generate = policyWith("length", types.Int64Value(20)) }), provider: true, want: true},
		{name: "provider generated, length unknown", state: userpwPtr(provGen(types.ObjectNull(generateAttrTypes))),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.Generate = policyWith("length", types.Int64Unknown()) }), provider: true, want: true},
		{name: "server generated, length changed", state: userpwPtr(userpwGenerated()),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.Generate = policyWith("length", types.Int64Value(20)) }), want: false},
		{name: "generated, unchanged", state: userpwPtr(userpwGenerated()), cfg: userpwConfigOf(userpwGenerated()), want: false},
		{name: "generated, rotation due", state: userpwPtr(userpwGenerated()), cfg: userpwConfigOf(userpwGenerated()), rotate: true, want: true},
		{name: "generated, drift", state: userpwPtr(userpwGenerated()), cfg: userpwConfigOf(userpwGenerated()), drift: true, want: true},
		{name: "generated, rotation_days added", state: userpwPtr(userpwGenerated()),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.RotationDays = types.Int64Value(30) }), want: false},
		{name: "generated, trigger changed", state: userpwPtr(userpwGenerated()),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) {
				m.Triggers = types.MapValueMust(types.StringType, map[string]attr.Value{"k": types.StringValue("2")})
			}), want: true},
		{name: "generated, notify_user changed", state: userpwPtr(userpwGenerated()),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.NotifyUser = types.BoolValue(true) }), want: false},
		{name: "generated to encrypted", state: userpwPtr(userpwGenerated()),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.EncryptTo = userpwList(userpwRecipient) }), want: true},
		{name: "encrypted, unchanged", state: userpwPtr(encrypted(userpwRecipient)), cfg: userpwConfigOf(encrypted(userpwRecipient)), want: false},
		{name: "encrypted, recipient added", state: userpwPtr(encrypted(userpwRecipient)),
			cfg: userpwConfigOf(encrypted(userpwRecipient, userpwRecipient)), want: true},
		{name: "encrypted, recipients unknown", state: userpwPtr(encrypted(userpwRecipient)),
			cfg: with(userpwConfigOf(encrypted(userpwRecipient)), func(m *userPasswordModel) { m.EncryptTo = types.ListUnknown(types.StringType) }), want: true},
		{name: "encrypted to clear text", state: userpwPtr(encrypted(userpwRecipient)), cfg: userpwConfigOf(userpwGenerated()), want: true},
		{name: "imported, encrypt_to configured", state: userpwPtr(imported()),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) { m.EncryptTo = userpwList(userpwRecipient) }), want: false},
		{name: "imported, triggers configured", state: userpwPtr(with(imported(), func(m *userPasswordModel) { m.Triggers = types.MapNull(types.StringType) })),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) {
				m.Triggers = types.MapValueMust(types.StringType, map[string]attr.Value{"k": types.StringValue("1")})
			}), want: false},
		{name: "set, triggers added", state: userpwPtr(with(userpwGenerated(), func(m *userPasswordModel) { m.Triggers = types.MapNull(types.StringType) })),
			cfg: with(userpwConfigOf(userpwGenerated()), func(m *userPasswordModel) {
				m.Triggers = types.MapValueMust(types.StringType, map[string]attr.Value{"k": types.StringValue("1")})
			}), want: true},
		{name: "generated to chosen", state: userpwPtr(userpwGenerated()), cfg: userpwConfigOf(chosen("Chosen-Passw0rd")), want: true},
		{name: "chosen, unchanged", state: userpwPtr(chosen("Chosen-Passw0rd")), cfg: userpwConfigOf(chosen("Chosen-Passw0rd")), want: false},
		{name: "chosen, changed", state: userpwPtr(chosen("Chosen-Passw0rd")), cfg: userpwConfigOf(chosen("Other-Passw0rd")), want: true},
		{name: "chosen, unknown", state: userpwPtr(chosen("Chosen-Passw0rd")),
			cfg: with(userpwConfigOf(chosen("x")), func(m *userPasswordModel) { m.Password = types.StringUnknown() }), want: true},
		{name: "chosen, drift", state: userpwPtr(chosen("Chosen-Passw0rd")), cfg: userpwConfigOf(chosen("Chosen-Passw0rd")), drift: true, want: true},
		{name: "chosen to generated", state: userpwPtr(chosen("Chosen-Passw0rd")), cfg: userpwConfigOf(userpwGenerated()), want: true},
		{name: "chosen to write-only", state: userpwPtr(chosen("Chosen-Passw0rd")), cfg: withWO(userpwConfigOf(wo("1"))), want: true},
		{name: "generated to write-only", state: userpwPtr(userpwGenerated()), cfg: withWO(userpwConfigOf(wo("1"))), want: true},
		{name: "write-only, same version", state: userpwPtr(wo("1")), cfg: withWO(userpwConfigOf(wo("1"))), want: false},
		{name: "write-only, same version, other value", state: userpwPtr(wo("1")),
			cfg: with(userpwConfigOf(wo("1")), func(m *userPasswordModel) { m.PasswordWO = types.StringValue("Another-Passw0rd") }), want: false},
		{name: "write-only, new version", state: userpwPtr(wo("1")), cfg: withWO(userpwConfigOf(wo("2"))), want: true},
		{name: "write-only, unknown version", state: userpwPtr(wo("1")),
			cfg: with(withWO(userpwConfigOf(wo("1"))), func(m *userPasswordModel) { m.PasswordWOVersion = types.StringUnknown() }), want: true},
		{name: "write-only, drift", state: userpwPtr(wo("1")), cfg: withWO(userpwConfigOf(wo("1"))), drift: true, want: true},
		{name: "write-only to chosen", state: userpwPtr(wo("1")), cfg: userpwConfigOf(chosen("Chosen-Passw0rd")), want: true},
		{name: "write-only to generated", state: userpwPtr(wo("1")), cfg: userpwConfigOf(userpwGenerated()), want: true},
		{name: "write-only to bcrypt", state: userpwPtr(wo("1")), cfg: userpwConfigOf(bcryptOf(hashA)), want: true},
		{name: "bcrypt, unchanged", state: userpwPtr(bcryptOf(hashA)), cfg: userpwConfigOf(bcryptOf(hashA)), want: false},
		{name: "bcrypt, other hash", state: userpwPtr(bcryptOf(hashA)), cfg: userpwConfigOf(bcryptOf(hashB)), want: true},
		{name: "bcrypt, drift", state: userpwPtr(bcryptOf(hashA)), cfg: userpwConfigOf(bcryptOf(hashA)), drift: true, want: true},
		{name: "bcrypt to generated", state: userpwPtr(bcryptOf(hashA)), cfg: userpwConfigOf(userpwGenerated()), want: true},
		{name: "bcrypt to write-only", state: userpwPtr(bcryptOf(hashA)), cfg: withWO(userpwConfigOf(wo("1"))), want: true},
		{name: "chosen to bcrypt", state: userpwPtr(chosen("Chosen-Passw0rd")), cfg: userpwConfigOf(bcryptOf(hashA)), want: true},
		{name: "bcrypt, force change toggled", state: userpwPtr(bcryptOf(hashA)),
			cfg: with(userpwConfigOf(bcryptOf(hashA)), func(m *userPasswordModel) { m.ForceChangeOnNextLogin = types.BoolValue(true) }), want: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			// The plan: the configuration plus generated_by, as ModifyPlan sees it.
			plan := cfg
			if modeOf(&cfg) == modeGenerated {
				plan.GeneratedBy = types.StringValue(generatedByServer)
				if tc.provider {
					plan.GeneratedBy = types.StringValue(generatedByProvider)
				}
			}
			if got := setNeeded(tc.state, &cfg, &plan, tc.rotate, tc.drift, false); got != tc.want {
				t.Errorf("setNeeded = %t, want %t", got, tc.want)
			}
		})
	}
}

func userpwPtr[T any](v T) *T { return &v }

func TestRotationDue(t *testing.T) {
	set, _ := time.Parse(time.RFC3339, userpwLastChanged)
	state := userpwGenerated()
	cfg := userpwConfigOf(state)
	cfg.RotationDays = types.Int64Value(30)
	for _, tc := range []struct {
		name    string
		now     time.Time
		cfg     func(userPasswordModel) userPasswordModel
		state   func(userPasswordModel) userPasswordModel
		wantAge int64
		want    bool
	}{
		{name: "29 days", now: set.Add(29 * 24 * time.Hour), wantAge: 29},
		{name: "a second short of 30 days", now: set.Add(30*24*time.Hour - time.Second), wantAge: 29},
		{name: "30 days", now: set.Add(30 * 24 * time.Hour), wantAge: 30, want: true},
		{name: "31 days", now: set.Add(31 * 24 * time.Hour), wantAge: 31, want: true},
		{name: "no rotation_days", now: set.Add(400 * 24 * time.Hour),
			cfg: func(m userPasswordModel) userPasswordModel { m.RotationDays = types.Int64Null(); return m }},
		{name: "huge rotation_days", now: set.Add(400 * 24 * time.Hour), wantAge: 400,
			cfg: func(m userPasswordModel) userPasswordModel { m.RotationDays = types.Int64Value(1 << 62); return m }},
		{name: "imported: age unknown", now: set.Add(400 * 24 * time.Hour),
			state: func(m userPasswordModel) userPasswordModel { m.LastChangedAt = types.StringNull(); return m }},
		{name: "clock behind the server", now: set.Add(-time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, s := cfg, state
			if tc.cfg != nil {
				c = tc.cfg(c)
			}
			if tc.state != nil {
				s = tc.state(s)
			}
			age, due := rotationDue(&s, &c, tc.now)
			if due != tc.want || age != tc.wantAge {
				t.Errorf("rotationDue = %d days, %t; want %d days, %t", age, due, tc.wantAge, tc.want)
			}
		})
	}
	if _, due := rotationDue(nil, &cfg, set.Add(100*24*time.Hour)); due {
		t.Error("rotation due at create")
	}
}

// TestDetectDrift: the change time the identity system reports is
// compared with the one it reported after the provider's own set (seen):
// any other time is a change outside Terraform, a second or a millisecond
// later alike. Without seen (state of an earlier provider version), with
// last_changed_at to the second.
func TestDetectDrift(t *testing.T) {
	at := func(s string) *time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return &t
	}
	last := types.StringValue("2030-01-01T00:00:00Z")
	for _, tc := range []struct {
		name     string
		seen     *time.Time
		state    types.String
		reported *time.Time
		want     *passwordDrift
	}{
		{name: "the provider's own set", seen: at("2030-01-01T00:00:00.123Z"), state: last, reported: at("2030-01-01T00:00:00.123Z")},
		{name: "the provider's own set, another zone", seen: at("2030-01-01T00:00:00.123Z"), state: last, reported: at("2030-01-01T02:00:00.123+02:00")},
		{name: "reported to the second once", seen: at("2030-01-01T00:00:00.123Z"), state: last, reported: at("2030-01-01T00:00:00Z")},
		{name: "changed outside a second later", seen: at("2030-01-01T00:00:00.123Z"), state: last, reported: at("2030-01-01T00:00:01.123Z"),
			want: &passwordDrift{ChangedAt: "2030-01-01T00:00:01Z", SetAt: "2030-01-01T00:00:00Z"}},
		{name: "changed outside a millisecond later", seen: at("2030-01-01T00:00:00.123Z"), state: last, reported: at("2030-01-01T00:00:00.124Z"),
			want: &passwordDrift{ChangedAt: "2030-01-01T00:00:00Z", SetAt: "2030-01-01T00:00:00Z"}},
		{name: "changed outside, offset zone", seen: at("2030-01-01T00:00:00Z"), state: last, reported: at("2030-01-01T05:00:00+02:00"),
			want: &passwordDrift{ChangedAt: "2030-01-01T03:00:00Z", SetAt: "2030-01-01T00:00:00Z"}},
		{name: "earlier than the provider's set (a restored server)", seen: at("2030-01-01T00:00:00Z"), state: last, reported: at("2029-12-31T00:00:00Z"),
			want: &passwordDrift{ChangedAt: "2029-12-31T00:00:00Z", SetAt: "2030-01-01T00:00:00Z"}},
		{name: "no seen time: the same second", state: last, reported: at("2030-01-01T00:00:00.999Z")},
		{name: "no seen time: a second later", state: last, reported: at("2030-01-01T00:00:01Z"),
			want: &passwordDrift{ChangedAt: "2030-01-01T00:00:01Z", SetAt: "2030-01-01T00:00:00Z"}},
		{name: "no seen time, nothing in state", state: types.StringNull(), reported: at("2030-01-01T00:00:00Z")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := detectDrift(tc.seen, tc.state, *tc.reported)
			switch {
			case (got == nil) != (tc.want == nil):
				t.Fatalf("detectDrift = %+v, want %+v", got, tc.want)
			case got != nil && *got != *tc.want:
				t.Errorf("detectDrift = %+v, want %+v", *got, *tc.want)
			}
		})
	}
}

// userpwWarnings returns the summaries and details of the warnings, one
// string each.
func userpwWarnings(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags.Warnings() {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	return out
}

func TestPlanUserPasswordWarningsAndValues(t *testing.T) {
	set, _ := time.Parse(time.RFC3339, userpwLastChanged)
	t.Run("plain password warns", func(t *testing.T) {
		state := userpwGenerated()
		state.Password, state.GeneratedBy = types.StringValue("Chosen-Passw0rd"), types.StringNull()
		cfg := userpwConfigOf(state)
		plan := cfg
		var diags diag.Diagnostics
		planUserPassword(userpwIDaaSLike, set, &state, &cfg, &plan, priorPrivate{}, &diags)
		w := userpwWarnings(diags)
		if len(w) != 1 || !strings.Contains(w[0], "password_wo") || !strings.Contains(w[0], "1.11") {
			t.Fatalf("warnings = %q, want one naming password_wo and Terraform 1.11", w)
		}
		// On the resource: Terraform would print the source line of an
		// attribute warning, the literal password with it.
		if _, onAttribute := diags.Warnings()[0].(diag.DiagnosticWithPath); onAttribute {
			t.Errorf("the warning points at an attribute")
		}
		if strings.Contains(w[0], "Chosen-Passw0rd") {
			t.Errorf("the warning quotes the password")
		}
		if !plan.LastChangedAt.Equal(state.LastChangedAt) {
			t.Errorf("nothing to set, yet last_changed_at is planned %s", plan.LastChangedAt)
		}
	})
	t.Run("write-only: no warning, nothing in plan", func(t *testing.T) {
		state := userpwGenerated()
		state.Password, state.GeneratedBy, state.PasswordWOVersion = types.StringNull(), types.StringNull(), types.StringValue("1")
		cfg := userpwConfigOf(state)
		cfg.PasswordWO = types.StringValue("Write-Only-Passw0rd")
		cfg.PasswordWOVersion = types.StringValue("2")
		plan := cfg
		plan.Password, plan.GeneratedBy = types.StringUnknown(), types.StringUnknown()
		var diags diag.Diagnostics
		planUserPassword(userpwIDaaSLike, set, &state, &cfg, &plan, priorPrivate{}, &diags)
		if len(diags) != 0 {
			t.Fatalf("diagnostics: %v", diags)
		}
		if !plan.Password.IsNull() || !plan.PasswordWO.IsNull() || !plan.GeneratedBy.IsNull() || !plan.EncryptedPassword.IsNull() {
			t.Errorf("password, password_wo, generated_by, encrypted_password planned %s, %s, %s, %s; want null",
				plan.Password, plan.PasswordWO, plan.GeneratedBy, plan.EncryptedPassword)
		}
		if !plan.LastChangedAt.IsUnknown() {
			t.Errorf("a new version must plan a set (last_changed_at unknown)")
		}
	})
	t.Run("rotation due", func(t *testing.T) {
		state := userpwGenerated()
		cfg := userpwConfigOf(state)
		cfg.RotationDays = types.Int64Value(30)
		plan := cfg
		var diags diag.Diagnostics
		planUserPassword(userpwIDaaSLike, set.Add(31*24*time.Hour+time.Hour), &state, &cfg, &plan, priorPrivate{}, &diags)
		w := userpwWarnings(diags)
		if len(w) != 1 || !strings.Contains(w[0], "password is 31 days old; rotation_days = 30") {
			t.Fatalf("warnings = %q", w)
		}
		if !plan.Password.IsUnknown() || !plan.LastChangedAt.IsUnknown() {
			t.Errorf("a due rotation must plan a new password")
		}
	})
	t.Run("drift, generated and encrypted", func(t *testing.T) {
		state := userpwGenerated()
		state.Password, state.EncryptTo = types.StringNull(), userpwList(userpwRecipient)
		state.EncryptedPassword = types.StringValue("ciphertext")
		cfg := userpwConfigOf(state)
		plan := cfg
		var diags diag.Diagnostics
		drift := &passwordDrift{ChangedAt: "2030-01-02T00:00:00Z", SetAt: userpwLastChanged}
		planUserPassword(userpwIDaaSLike, set, &state, &cfg, &plan, priorPrivate{drift: drift}, &diags)
		w := userpwWarnings(diags)
		want := "The password of user u1 was changed outside Terraform at 2030-01-02T00:00:00Z, after the provider set it at " +
			userpwLastChanged + "; this plan issues a new one."
		if len(w) != 1 || !strings.HasSuffix(w[0], want) {
			t.Fatalf("warnings = %q, want %q", w, want)
		}
		if !plan.Password.IsNull() || !plan.EncryptedPassword.IsUnknown() {
			t.Errorf("with encrypt_to: password planned %s (want null), encrypted_password %s (want unknown)", plan.Password, plan.EncryptedPassword)
		}
	})
	t.Run("drift, chosen", func(t *testing.T) {
		state := userpwGenerated()
		state.Password, state.GeneratedBy = types.StringValue("Chosen-Passw0rd"), types.StringNull()
		cfg := userpwConfigOf(state)
		plan := cfg
		var diags diag.Diagnostics
		planUserPassword(userpwIDaaSLike, set, &state, &cfg, &plan, priorPrivate{drift: &passwordDrift{ChangedAt: "2030-01-02T00:00:00Z", SetAt: userpwLastChanged}}, &diags)
		if w := userpwWarnings(diags); len(w) != 2 || !strings.Contains(w[1], "; this plan sets it back to password.") {
			t.Fatalf("warnings = %q", w)
		}
		if !plan.LastChangedAt.IsUnknown() || plan.Password.ValueString() != "Chosen-Passw0rd" {
			t.Errorf("drift must plan a set of the chosen password")
		}
	})
	t.Run("drift, write-only, history hint", func(t *testing.T) {
		state := userpwGenerated()
		state.Password, state.GeneratedBy, state.PasswordWOVersion = types.StringNull(), types.StringNull(), types.StringValue("1")
		cfg := userpwConfigOf(state)
		cfg.PasswordWO = types.StringValue("Write-Only-Passw0rd")
		plan := cfg
		be := userpwIDaaSLike
		be.caps.ClearPasswordHistory = true
		var diags diag.Diagnostics
		planUserPassword(be, set, &state, &cfg, &plan, priorPrivate{drift: &passwordDrift{ChangedAt: "2030-01-02T00:00:00Z", SetAt: userpwLastChanged}}, &diags)
		w := userpwWarnings(diags)
		if len(w) != 1 || !strings.Contains(w[0], "; this plan sets it back to password_wo.") || !strings.Contains(w[0], "clear_password_history = true") {
			t.Fatalf("warnings = %q", w)
		}
		if strings.Contains(w[0], "Write-Only-Passw0rd") {
			t.Error("the warning quotes password_wo")
		}
		cfg.ClearPasswordHistory = types.BoolValue(true)
		diags = nil
		planUserPassword(be, set, &state, &cfg, &plan, priorPrivate{drift: &passwordDrift{ChangedAt: "2030-01-02T00:00:00Z", SetAt: userpwLastChanged}}, &diags)
		if w := userpwWarnings(diags); len(w) != 1 || strings.Contains(w[0], "clear_password_history") {
			t.Errorf("with clear_password_history = true the hint is pointless: %q", w)
		}
	})
	t.Run("bcrypt: generated_by and password null", func(t *testing.T) {
		hash, _ := bcrypt.GenerateFromPassword([]byte("a"), bcrypt.MinCost)
		cfg := userpwConfigOf(userpwGenerated())
		cfg.BcryptHash = types.StringValue(string(hash))
		plan := cfg
		plan.Password, plan.GeneratedBy = types.StringUnknown(), types.StringUnknown()
		var diags diag.Diagnostics
		planUserPassword(userpwIDaaSLike, set, nil, &cfg, &plan, priorPrivate{}, &diags)
		if len(diags) != 0 || !plan.GeneratedBy.IsNull() || !plan.Password.IsNull() || !plan.LastChangedAt.IsUnknown() {
			t.Errorf("bcrypt create planned generated_by %s, password %s, last_changed_at %s; diags %v", plan.GeneratedBy, plan.Password, plan.LastChangedAt, diags)
		}
	})
}

func TestCheckUserPasswordCapabilitiesNewAttributes(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("a"), bcrypt.MinCost)
	noBcrypt := userpwFakeBackend{caps: backend.Capabilities{SetChosen: true}}
	noChosen := userpwFakeBackend{caps: backend.Capabilities{ServerGenerate: true}}

	cfg := userpwConfigOf(userpwGenerated())
	cfg.BcryptHash = types.StringValue(string(hash))
	var diags diag.Diagnostics
	checkUserPasswordCapabilities(noBcrypt, &cfg, &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Summary(), "Fake IdP") || diags[0].(diag.DiagnosticWithPath).Path().String() != "bcrypt_hash" {
		t.Errorf("bcrypt_hash on a backend without BcryptImport: %v", diags)
	}
	diags = nil
	checkUserPasswordCapabilities(userpwIDaaSLike, &cfg, &diags)
	if len(diags) != 0 {
		t.Errorf("bcrypt_hash on a backend with BcryptImport: %v", diags)
	}

	cfg = userpwConfigOf(userpwGenerated())
	cfg.PasswordWO, cfg.PasswordWOVersion = types.StringValue("Write-Only-Passw0rd"), types.StringValue("1")
	diags = nil
	checkUserPasswordCapabilities(noChosen, &cfg, &diags)
	if len(diags) != 1 || diags[0].(diag.DiagnosticWithPath).Path().String() != "password_wo" {
		t.Errorf("password_wo on a backend without SetChosen: %v", diags)
	}
}

func TestValidateUserPasswordCombinations(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("a"), bcrypt.MinCost)
	for _, tc := range []struct {
		name     string
		mod      func(*userPasswordModel)
		wantPath string
	}{
		{name: "password_wo alone", wantPath: "password_wo_version", mod: func(m *userPasswordModel) { m.PasswordWO = types.StringValue("x") }},
		{name: "password_wo_version alone", wantPath: "password_wo_version", mod: func(m *userPasswordModel) { m.PasswordWOVersion = types.StringValue("1") }},
		{name: "both", mod: func(m *userPasswordModel) {
			m.PasswordWO, m.PasswordWOVersion = types.StringValue("x"), types.StringValue("1")
		}},
		{name: "password_wo unknown", mod: func(m *userPasswordModel) {
			m.PasswordWO, m.PasswordWOVersion = types.StringUnknown(), types.StringValue("1")
		}},
		{name: "bcrypt with notify_user", wantPath: "notify_user", mod: func(m *userPasswordModel) {
			m.BcryptHash, m.NotifyUser = types.StringValue(string(hash)), types.BoolValue(true)
		}},
		{name: "bcrypt with notify_user false", mod: func(m *userPasswordModel) {
			m.BcryptHash, m.NotifyUser = types.StringValue(string(hash)), types.BoolValue(false)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := userpwConfigOf(userpwGenerated())
			tc.mod(&cfg)
			var diags diag.Diagnostics
			validateUserPasswordCombinations(&cfg, &diags)
			switch {
			case tc.wantPath == "" && len(diags) != 0:
				t.Errorf("unexpected diagnostics: %v", diags)
			case tc.wantPath != "" && (len(diags) != 1 || diags[0].(diag.DiagnosticWithPath).Path().String() != tc.wantPath):
				t.Errorf("want one error on %s, got %v", tc.wantPath, diags)
			}
		})
	}
}

func TestCheckBcryptHash(t *testing.T) {
	good, err := bcrypt.GenerateFromPassword([]byte("Imported-Passw0rd"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	g := string(good) // $2a$04$...
	for _, tc := range []struct {
		name string
		h    string
		ok   bool
	}{
		{"2a", g, true},
		{"2b", "$2b$" + g[4:], true},
		{"2y", "$2y$" + g[4:], true},
		{"2x", "$2x$" + g[4:], false},
		{"short", g[:59], false},
		{"long", g + "x", false},
		{"cost 03", g[:4] + "03" + g[6:], false},
		{"cost 32", g[:4] + "32" + g[6:], false},
		{"cleartext", "Imported-Passw0rd", false},
		{"argon2", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkBcryptHash(tc.h)
			if (err == nil) != tc.ok {
				t.Fatalf("checkBcryptHash: %v, want ok = %t", err, tc.ok)
			}
			if err != nil && len(tc.h) > 8 && strings.Contains(err.Error(), tc.h[7:]) {
				t.Errorf("the error quotes the hash")
			}
		})
	}
}

func TestUserPasswordRecipientsValidator(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	list := userpwList(userpwRecipient, "age1notarecipient", id.String())
	req := validator.ListRequest{Path: path.Root("encrypt_to"), ConfigValue: list}
	var resp validator.ListResponse
	ageRecipientsValidator{}.ValidateList(context.Background(), req, &resp)
	if n := resp.Diagnostics.ErrorsCount(); n != 2 {
		t.Fatalf("want 2 errors (elements 1 and 2), got %d: %v", n, resp.Diagnostics)
	}
	for i, want := range []string{"encrypt_to[1]", "encrypt_to[2]"} {
		d := resp.Diagnostics[i]
		if got := d.(diag.DiagnosticWithPath).Path().String(); got != want {
			t.Errorf("error %d on %s, want %s", i, got, want)
		}
		if strings.Contains(d.Detail(), id.String()) || strings.Contains(d.Detail(), "age1notarecipient") {
			t.Errorf("error %d echoes the value", i)
		}
	}
	if !strings.Contains(resp.Diagnostics[1].Detail(), "age identity") {
		t.Errorf("a pasted identity is not called out as a secret key")
	}
}

func TestPasswordCharsValidator(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"Plain-Passw0rd!", true},
		{"Pässwört-Ünïcode-1", true},
		{"with space and symbols ~!@#$%^&*()", true},
		{"Passw0rd-\x00-tail", false},
		{"line\nbreak", false},
		{"tab\there", false},
		{"nel\u0085here", false},
		{"bad-\xff-utf8", false},
	} {
		req := validator.StringRequest{Path: path.Root("password"), ConfigValue: types.StringValue(tc.pw)}
		var resp validator.StringResponse
		passwordCharsValidator.ValidateString(context.Background(), req, &resp)
		if got := !resp.Diagnostics.HasError(); got != tc.ok {
			t.Errorf("%q: ok = %t, want %t", tc.pw, got, tc.ok)
		}
		for _, d := range resp.Diagnostics {
			if strings.Contains(d.Detail(), tc.pw) {
				t.Errorf("the error quotes the password")
			}
		}
	}
}

// defaultGenerateObject is the generate value of the default policy, set
// explicitly.
func defaultGenerateObject() types.Object {
	d := passgen.DefaultPolicy()
	return types.ObjectValueMust(generateAttrTypes, map[string]attr.Value{
		"length":           types.Int64Value(d.Length),
		"upper":            types.BoolValue(d.Upper),
		"lower":            types.BoolValue(d.Lower),
		"numeric":          types.BoolValue(d.Numeric),
		"special":          types.BoolValue(d.Special),
		"min_upper":        types.Int64Value(d.MinUpper),
		"min_lower":        types.Int64Value(d.MinLower),
		"min_numeric":      types.Int64Value(d.MinNumeric),
		"min_special":      types.Int64Value(d.MinSpecial),
		"override_special": types.StringNull(),
	})
}
