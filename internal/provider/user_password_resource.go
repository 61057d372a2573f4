package provider

import (
	"context"
	"errors"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/passgen"
	"github.com/identityops/terraform-provider-identity/internal/secretbox"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var (
	_ resource.ResourceWithConfigure      = (*userPasswordResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*userPasswordResource)(nil)
	_ resource.ResourceWithValidateConfig = (*userPasswordResource)(nil)
	_ resource.ResourceWithImportState    = (*userPasswordResource)(nil)
	_ resource.ResourceWithIdentity       = (*userPasswordResource)(nil)
)

// Values of generated_by.
const (
	generatedByServer   = "server"
	generatedByProvider = "provider"
)

// NewUserPasswordResource is the identity_user_password factory.
func NewUserPasswordResource() resource.Resource {
	return &userPasswordResource{}
}

// userPasswordResource manages the long-lived password of one user.
type userPasswordResource struct {
	resourceBase
}

// userPasswordModel is the resource's state and plan.
type userPasswordModel struct {
	ID                     types.String `tfsdk:"id"`
	UserID                 types.String `tfsdk:"user_id"`
	Password               types.String `tfsdk:"password"`
	PasswordWO             types.String `tfsdk:"password_wo"`
	PasswordWOVersion      types.String `tfsdk:"password_wo_version"`
	PasswordWODetectChange types.Bool   `tfsdk:"password_wo_detect_change"`
	Generate               types.Object `tfsdk:"generate"`
	GeneratedBy            types.String `tfsdk:"generated_by"`
	ForceChangeOnNextLogin types.Bool   `tfsdk:"force_change_on_next_login"`
	ExpiresAt              types.String `tfsdk:"expires_at"`
	ExpiryNotificationAt   types.String `tfsdk:"expiry_notification_at"`
	LastChangedAt          types.String `tfsdk:"last_changed_at"`
	RotationDays           types.Int64  `tfsdk:"rotation_days"`
	Triggers               types.Map    `tfsdk:"triggers"`
	NotifyUser             types.Bool   `tfsdk:"notify_user"`
	ClearPasswordHistory   types.Bool   `tfsdk:"clear_password_history"`
	BcryptHash             types.String `tfsdk:"bcrypt_hash"`
	EncryptTo              types.List   `tfsdk:"encrypt_to"`
	EncryptedPassword      types.String `tfsdk:"encrypted_password"`
}

// passwordMode is where the password of one set comes from.
type passwordMode int

const (
	// modeGenerated: the identity system or the provider generates it.
	modeGenerated passwordMode = iota
	// modeChosen: password, stored in state.
	modeChosen
	// modeWriteOnly: password_wo, read from the configuration at apply only.
	modeWriteOnly
	// modeBcrypt: bcrypt_hash, imported instead of a password.
	modeBcrypt
)

// modeOf says which mode a configuration or a plan asks for. In a plan of a
// chosen password, generated_by is null (ModifyPlan) or unknown (a plan made
// without a configured provider); in a generated one, password is unknown
// until the set, or null with encrypt_to.
func modeOf(m *userPasswordModel) passwordMode {
	switch {
	case !m.BcryptHash.IsNull():
		return modeBcrypt
	case !m.PasswordWO.IsNull() || !m.PasswordWOVersion.IsNull() || m.PasswordWODetectChange.ValueBool():
		return modeWriteOnly
	case m.Password.IsUnknown() && m.GeneratedBy.IsNull():
		return modeChosen // a chosen password known only at apply
	case !m.Password.IsNull() && !m.Password.IsUnknown() && (m.GeneratedBy.IsNull() || m.GeneratedBy.IsUnknown()):
		return modeChosen
	}
	return modeGenerated
}

func (r *userPasswordResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_password"
}

func (r *userPasswordResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = userPasswordSchema()
}

// IdentitySchema: see identity.go.
func (r *userPasswordResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	userIdentitySchema(ctx, req, resp)
}

func (r *userPasswordResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userPasswordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	wo, diags := getPasswordWO(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	seen, diags, _ := r.setPassword(ctx, &plan, wo)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return // nothing in state: the next apply sets the password again
	}
	resp.Diagnostics.Append(setServerChangedAt(ctx, resp.Private, seen)...)
	resp.Diagnostics.Append(r.recordPasswordWO(ctx, resp.Private, plan.PasswordWODetectChange.ValueBool(), wo)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan.UserID)...)
}

func (r *userPasswordResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userPasswordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Every path sets the identity, a removal from state included.
	defer func() { resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state.UserID)...) }()
	if r.checkIdentity(ctx, req.Identity, "identity_user_password", &resp.Diagnostics); resp.Diagnostics.HasError() || r.data == nil {
		return
	}
	be := r.data.backend
	caps := be.Capabilities()
	if !caps.ReadUser {
		return // nothing can be read: state stands (see the backend matrix in the docs)
	}
	// ReadPassword, not ReadUser: refresh needs the password metadata only,
	// one request per resource where ReadUser takes two (IDaaS).
	u, err := be.ReadPassword(ctx, state.UserID.ValueString())
	if errors.Is(err, backend.ErrNotFound) {
		tflog.Warn(ctx, "user no longer exists; removing identity_user_password from state", map[string]any{"user_id": state.UserID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addBackendError(&resp.Diagnostics, "Unable To Read User", err)
		return
	}
	imported, diags := getImported(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if imported && state.ExpiresAt.IsNull() {
		// An imported password adopts the expiry the identity system reports.
		state.ExpiresAt = timeValue(u.PasswordExpiresAt)
	}
	// A must-change password is meant to be replaced by its user: that
	// change is expected, not drift to undo. (An imported one still adopts
	// its last change time.)
	if caps.ReadPasswordChangedAt && u.PasswordLastChangedAt != nil &&
		(!state.ForceChangeOnNextLogin.ValueBool() || state.LastChangedAt.IsNull()) {
		resp.Diagnostics.Append(recordDrift(ctx, &state, *u.PasswordLastChangedAt, resp.Private)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userPasswordResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userPasswordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wo, diags := getPasswordWO(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	detect := plan.PasswordWODetectChange.ValueBool()
	// ModifyPlan leaves last_changed_at unknown exactly when a set is needed.
	if plan.LastChangedAt.IsUnknown() {
		seen, diags, maybeChanged := r.setPassword(ctx, &plan, wo)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			if maybeChanged {
				resp.Diagnostics.Append(r.forgetPassword(ctx, req.State, resp)...)
			}
			return
		}
		// The password is as declared again: forget any change made
		// outside Terraform, and compare the next ones with this set.
		resp.Diagnostics.Append(setPasswordDrift(ctx, resp.Private, nil)...)
		resp.Diagnostics.Append(setServerChangedAt(ctx, resp.Private, seen)...)
		resp.Diagnostics.Append(r.recordPasswordWO(ctx, resp.Private, detect, wo)...)
	} else if h, d := getPasswordWOHash(ctx, req.Private); !detect || h == nil {
		// password_wo_detect_change just turned on (no hash yet: the
		// configured value is taken for the one last set), or off.
		resp.Diagnostics.Append(d...)
		resp.Diagnostics.Append(r.recordPasswordWO(ctx, resp.Private, detect, wo)...)
	}
	// The configuration is in state now: an imported password's triggers
	// are adopted, and a later change of them applies.
	resp.Diagnostics.Append(setImported(ctx, resp.Private, false)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan.UserID)...)
}

// Delete removes the resource from state only: the password stays in place.
func (r *userPasswordResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Debug(ctx, "identity_user_password removed from state; the password stays in place")
}

// ImportState takes a user id: the import id, or the user_id of an import
// block's identity (identity.go). No password comes into state, and the
// defaults are set as a plain configuration would plan them
// (importedUserPassword), so that no change is planned until a trigger, a
// rotation or a change outside Terraform says so. The password is marked
// imported: the read that follows adopts the last change time and the
// expiry the identity system reports (so that rotation_days counts from the
// real last change), and the first plan adopts the configured triggers.
func (r *userPasswordResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	userID, ok := r.importUserID(ctx, req, "identity_user_password", &resp.Diagnostics)
	if !ok {
		return
	}
	be := r.data.backend
	state := importedUserPassword(userID, be.Capabilities())
	resp.Diagnostics.Append(setImported(ctx, resp.Private, true)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, state.UserID)...)
}

// importedUserPassword is the state of an imported password, which the
// list resource also returns for each user (terraform query
// -generate-config-out writes it as the resource block to adopt the user).
func importedUserPassword(userID string, caps backend.Capabilities) userPasswordModel {
	return userPasswordModel{
		ID:                     types.StringValue(userID),
		UserID:                 types.StringValue(userID),
		Password:               types.StringNull(),
		PasswordWO:             types.StringNull(),
		PasswordWOVersion:      types.StringNull(),
		PasswordWODetectChange: types.BoolNull(),
		Generate:               types.ObjectNull(generateAttrTypes),
		GeneratedBy:            types.StringValue(defaultGeneratedBy(caps)),
		ForceChangeOnNextLogin: types.BoolNull(),
		ExpiresAt:              types.StringNull(),
		ExpiryNotificationAt:   types.StringNull(),
		LastChangedAt:          types.StringNull(),
		RotationDays:           types.Int64Null(),
		Triggers:               types.MapNull(types.StringType),
		NotifyUser:             types.BoolValue(false),
		ClearPasswordHistory:   types.BoolValue(false),
		BcryptHash:             types.StringNull(),
		EncryptTo:              types.ListNull(types.StringType),
		EncryptedPassword:      types.StringNull(),
	}
}

// getPasswordWO reads password_wo from the configuration: write-only, it is
// in neither plan nor state.
func getPasswordWO(ctx context.Context, cfg tfsdk.Config) (types.String, diag.Diagnostics) {
	var wo types.String
	diags := cfg.GetAttribute(ctx, path.Root("password_wo"), &wo)
	return wo, diags
}

// setPassword performs the set that plan describes and fills in its results.
// wo is password_wo from the configuration. It returns the change time the
// identity system reported (seen: nil where it reports none, or where the
// backend cannot read it back at refresh). With an error, maybeChanged
// reports that the identity system may have changed the password all the
// same, so that no state may keep the password it held before.
func (r *userPasswordResource) setPassword(ctx context.Context, plan *userPasswordModel, wo types.String) (seen *time.Time, _ diag.Diagnostics, maybeChanged bool) {
	var diags diag.Diagnostics
	be := r.data.backend
	in := backend.SetPasswordInput{
		UserID:       plan.UserID.ValueString(),
		NotifyUser:   plan.NotifyUser.ValueBool(),
		ClearHistory: plan.ClearPasswordHistory.ValueBool(),
	}
	if !plan.ForceChangeOnNextLogin.IsNull() {
		v := plan.ForceChangeOnNextLogin.ValueBool()
		in.ForceChange = &v
	}
	requestedExpiry := !plan.ExpiresAt.IsNull() && !plan.ExpiresAt.IsUnknown()
	if requestedExpiry {
		t, err := parseTimeValue(plan.ExpiresAt)
		if err != nil {
			diags.AddAttributeError(path.Root("expires_at"), "Invalid Expiry", "expires_at must be an RFC 3339 time: "+err.Error())
			return nil, diags, false
		}
		in.ExpiresAt = t
	}

	mode := modeOf(plan)
	var recipients []age.Recipient
	if mode == modeGenerated {
		if recipients = parseEncryptTo(ctx, plan.EncryptTo, "No password was set", &diags); diags.HasError() {
			return nil, diags, false
		}
	}
	if mode == modeGenerated && plan.GeneratedBy.IsUnknown() {
		plan.GeneratedBy = types.StringValue(defaultGeneratedBy(be.Capabilities()))
	}

	switch mode {
	case modeBcrypt:
		in.BcryptHash = plan.BcryptHash.ValueString()
	case modeWriteOnly:
		if wo.IsNull() || wo.IsUnknown() || wo.ValueString() == "" {
			diags.AddAttributeError(path.Root("password_wo"), "Missing Write-Only Password",
				"password_wo_version asks for password_wo to be set, but password_wo has no value at apply. "+
					"Give password_wo a value (Terraform 1.11 or newer sends write-only values), then apply again.")
			return nil, diags, false
		}
		in.Password = wo.ValueString()
	case modeChosen:
		in.Password = plan.Password.ValueString()
	default:
		if plan.GeneratedBy.ValueString() == generatedByServer {
			in.Generate = true
			break
		}
		pw, err := passgen.Generate(generatePolicy(plan.Generate))
		if err != nil {
			diags.AddAttributeError(path.Root("generate"), "Unable To Generate Password", err.Error())
			return nil, diags, false
		}
		in.Password = pw
	}
	ctx = transport.MaskSecrets(ctx, in.Password, in.BcryptHash)

	res, err := be.SetPassword(ctx, in)
	if err != nil {
		what := "The resource keeps no password in state, and the next apply sets the password again."
		if in.NotifyUser {
			what = be.Name() + " may have emailed the new password to the user; it was not asked twice, so that " +
				"the user gets no second email from this apply. " + what
		}
		if (mode == modeChosen || mode == modeWriteOnly) && be.Capabilities().ClearPasswordHistory && !in.ClearHistory {
			what += " If " + be.Name() + " then refuses the password as recently used, this attempt did set it: " +
				"apply with clear_password_history = true."
		}
		expiryAt := path.Empty()
		if requestedExpiry {
			expiryAt = path.Root("expires_at")
		}
		at := refusedAt(err, passwordSource(mode, plan.GeneratedBy.ValueString()), expiryAt)
		return nil, diags, addChangeError(&diags, at, "Unable To Set Password", err, be.Name(), what)
	}
	ctx = transport.MaskSecrets(ctx, res.Password)
	plan.EncryptedPassword = types.StringNull()
	switch mode {
	case modeGenerated:
		pw := in.Password
		if in.Generate {
			pw = res.Password
			if pw == "" {
				diags.AddAttributeError(path.Root("generated_by"), "No Password Returned", be.Name()+" reported success but returned no generated password, "+
					"so the provider cannot store it. The password was changed: apply again to issue a new one, or set a chosen password.")
				return nil, diags, true
			}
		}
		if recipients != nil {
			ct, err := secretbox.Encrypt(pw, recipients)
			if err != nil {
				diags.AddAttributeError(path.Root("encrypt_to"), "Unable To Encrypt Password",
					"The password was set, but it could not be encrypted to encrypt_to ("+err.Error()+"), so it is "+
						"not kept. Apply again to issue a new one.")
				return nil, diags, true
			}
			plan.Password = types.StringNull()
			plan.EncryptedPassword = types.StringValue(ct)
		} else {
			plan.Password = types.StringValue(pw)
		}
	case modeWriteOnly, modeBcrypt:
		plan.Password = types.StringNull()
	}
	plan.PasswordWO = types.StringNull()
	changed := res.LastChangedAt
	if changed == nil {
		now := r.data.now().UTC()
		changed = &now
	}
	plan.LastChangedAt = timeValue(changed)
	plan.ExpiryNotificationAt = timeValue(res.ExpiryNotificationAt)
	if !requestedExpiry {
		plan.ExpiresAt = timeValue(res.ExpiresAt)
	}
	plan.ID = plan.UserID
	tflog.Info(ctx, "password set", map[string]any{
		"user_id": in.UserID, "generated": mode == modeGenerated, "write_only": mode == modeWriteOnly,
		"bcrypt": mode == modeBcrypt, "encrypted": recipients != nil,
	})
	if !be.Capabilities().ReadPasswordChangedAt {
		return nil, diags, false
	}
	return res.LastChangedAt, diags, false
}

// passwordSource is the attribute a set's password came from, for an error
// about it: password_wo, bcrypt_hash or generate (provider-generated). Not
// password: Terraform prints the source line an attribute diagnostic points
// at, which for a chosen password is often the password itself.
func passwordSource(mode passwordMode, generatedBy string) path.Path {
	switch {
	case mode == modeWriteOnly:
		return path.Root("password_wo")
	case mode == modeBcrypt:
		return path.Root("bcrypt_hash")
	case mode == modeGenerated && generatedBy == generatedByProvider:
		return path.Root("generate")
	}
	return path.Empty()
}
