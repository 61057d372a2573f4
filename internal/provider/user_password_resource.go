package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/crypto/bcrypt"

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
	data *providerData
}

// userPasswordModel is the resource's state and plan.
type userPasswordModel struct {
	ID                     types.String `tfsdk:"id"`
	UserID                 types.String `tfsdk:"user_id"`
	Password               types.String `tfsdk:"password"`
	PasswordWO             types.String `tfsdk:"password_wo"`
	PasswordWOVersion      types.String `tfsdk:"password_wo_version"`
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
	case !m.PasswordWO.IsNull() || !m.PasswordWOVersion.IsNull():
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

// userPasswordSchema is built once per process: the provider server asks
// for it on every RPC.
var userPasswordSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "The long-lived password of one user, kept as declared: a chosen `password` or " +
			"`password_wo`, a bcrypt hash to import (`bcrypt_hash`), or a password generated by the identity system " +
			"or by the provider, optionally stored only encrypted (`encrypt_to`) and replaced by age (`rotation_days`). " +
			"Where the identity system reports when a password last changed (Entrust IDaaS, Zato SSO over REST), a " +
			"password changed outside Terraform is detected at refresh, and the next plan sets it back (chosen) or " +
			"issues a new one (generated), with a warning. Destroying the resource removes it from state and " +
			"leaves the password in place.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The backend's user id: the IDaaS user UUID, the FinSpace userId, the Huawei " +
					"Identity Center user_id, the 24-character hex OCARIoT id, the Zato `user_id` over REST or the " +
					"username over the CLI. Changing it forces a new resource.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{userIDValidator{}},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "A chosen password, stored **in clear text in the plan and in state** (the plan " +
					"warns about it). Prefer `password_wo` (Terraform 1.11+), which keeps it out of both. When none of " +
					"`password`, `password_wo` and `bcrypt_hash` is set, a generated password lands here, unless " +
					"`encrypt_to` is set (then it stays null). Conflicts with `generate`.",
				Optional:   true,
				Computed:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, maxPasswordLength), passwordCharsValidator{}},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "A chosen password that never touches the plan or state: a " +
					"[write-only argument](https://developer.hashicorp.com/terraform/language/manage-sensitive-data/write-only) " +
					"(Terraform 1.11 and newer), read only when the password is set. Terraform keeps no copy, so it " +
					"cannot see a new value: change `password_wo_version` to have it applied. Requires " +
					"`password_wo_version`; conflicts with `password`, `generate`, `generated_by` and `bcrypt_hash`.",
				Optional:  true,
				WriteOnly: true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, maxPasswordLength),
					passwordCharsValidator{},
					stringvalidator.ConflictsWith(path.MatchRoot("password"), path.MatchRoot("generate"),
						path.MatchRoot("generated_by"), path.MatchRoot("bcrypt_hash")),
				},
			},
			"password_wo_version": schema.StringAttribute{
				MarkdownDescription: "Any value (a number, a date); required with `password_wo`. A change sets the " +
					"password to the current `password_wo`; a change of `password_wo` alone does nothing.",
				Optional: true,
			},
			"generate": schema.SingleNestedAttribute{
				MarkdownDescription: "Policy for passwords the provider generates (`generated_by = \"provider\"`). " +
					"A change generates a new password. Ignored when the identity system generates the password. " +
					"The minimums default to 0: where the identity system enforces a policy (e.g. at least one digit), " +
					"set the matching `min_*` so that every generated password satisfies it. Null unless set: the " +
					"provider then generates with the defaults below, and setting them explicitly changes nothing.",
				// Not computed: an unset policy stays null in state rather than
				// storing ten default values per resource (state is rewritten
				// after every resource of an apply; see the performance guide).
				Optional:   true,
				Attributes: generateAttributes(),
				Validators: []validator.Object{objectvalidator.ConflictsWith(path.MatchRoot("password"))},
			},
			"generated_by": schema.StringAttribute{
				MarkdownDescription: "Who generates the password when none is chosen: `\"server\"` (the identity " +
					"system) or `\"provider\"` (crypto/rand in the provider). Default: the server where the backend can " +
					"generate, else the provider. Null with `password`, `password_wo` and `bcrypt_hash`.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{
					stringvalidator.OneOf(generatedByServer, generatedByProvider),
					stringvalidator.ConflictsWith(path.MatchRoot("password")),
				},
			},
			"force_change_on_next_login": schema.BoolAttribute{
				MarkdownDescription: "The user must change the password at the next login (IDaaS `forceUpdate`, Zato " +
					"must-change). A change sets the password again. While it is `true`, a change of the password " +
					"outside Terraform is expected (the user's own) and is not treated as drift.",
				Optional: true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "Requested expiry (RFC 3339) where the backend takes one; otherwise the expiry " +
					"the backend reports. A change of a requested expiry sets the password again.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{rfc3339Validator{}},
			},
			"expiry_notification_at": schema.StringAttribute{
				MarkdownDescription: "When the identity system notifies the user of the coming expiry (IDaaS `expiryNotificationDate`).",
				Computed:            true,
			},
			"last_changed_at": schema.StringAttribute{
				MarkdownDescription: "When the password was last set (RFC 3339), as the identity system reports it " +
					"where it does, else by the provider's clock. Refresh moves it to a later change made outside " +
					"Terraform, where the identity system reports one.",
				Computed: true,
			},
			"rotation_days": schema.Int64Attribute{
				MarkdownDescription: "Replace a generated password once it is this many days old (counted from " +
					"`last_changed_at`): the first plan at or after that age shows an update, with a warning, and the " +
					"apply issues a new password. Generated passwords only: conflicts with `password`, `password_wo` " +
					"and `bcrypt_hash`. Nothing happens between applies: run plan/apply on a schedule. An imported " +
					"password, whose last change time is unknown, is not rotated until it is first set.",
				Optional: true,
				Validators: []validator.Int64{
					int64validator.AtLeast(1),
					int64validator.ConflictsWith(path.MatchRoot("password"), path.MatchRoot("password_wo")),
				},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; any change sets the password again (a new one when generated).",
				ElementType:         types.StringType,
				Optional:            true,
			},
			"notify_user": schema.BoolAttribute{
				MarkdownDescription: "Ask the identity system to email the new password to the user (IDaaS only). " +
					"Default `false`: the provider always tells IDaaS explicitly not to email. Must be `false` with `bcrypt_hash`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"clear_password_history": schema.BoolAttribute{
				MarkdownDescription: "Clear the password history before setting, so that a recently used password can be set again (IDaaS only).",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"bcrypt_hash": schema.StringAttribute{
				MarkdownDescription: "Import a bcrypt hash (`$2a$`, `$2b$` or `$2y$`, 60 characters) instead of a " +
					"password (Entrust IDaaS only; other backends refuse it at plan time). The clear-text password " +
					"never reaches Terraform; state holds the hash, marked sensitive. A change imports the new hash. " +
					"Conflicts with `password`, `password_wo`, `generate`, `generated_by`, `encrypt_to` and " +
					"`rotation_days`; `notify_user` must be `false`.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					bcryptHashValidator{},
					stringvalidator.ConflictsWith(path.MatchRoot("password"), path.MatchRoot("password_wo"),
						path.MatchRoot("generate"), path.MatchRoot("generated_by"), path.MatchRoot("encrypt_to"),
						path.MatchRoot("rotation_days")),
				},
			},
			"encrypt_to": schema.ListAttribute{
				MarkdownDescription: "[age](https://age-encryption.org) recipients (X25519 `age1...`, or post-quantum " +
					"`age1pq1...`; SSH keys are not accepted), checked at plan time. With it, a generated password is " +
					"stored only as `encrypted_password`, encrypted to every recipient, and `password` stays null. " +
					"**Any change of `encrypt_to` sets a new password**: the provider no longer has the old one in " +
					"clear text to encrypt again. Conflicts with `password` and `password_wo`.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					ageRecipientsValidator{},
					listvalidator.ConflictsWith(path.MatchRoot("password"), path.MatchRoot("password_wo")),
				},
			},
			"encrypted_password": schema.StringAttribute{
				MarkdownDescription: "With `encrypt_to`: the generated password as an ASCII-armoured age file, " +
					"encrypted to every recipient (decrypt with `age -d -i key.txt`). Ciphertext, not a secret. Null " +
					"without `encrypt_to`.",
				Computed: true,
			},
		},
	}
})

// maxPasswordLength bounds a chosen password: no identity system here takes
// more than Zato's 256 characters, and larger values only bloat state.
const maxPasswordLength = 1024

func generateAttributes() map[string]schema.Attribute {
	def := passgen.DefaultPolicy()
	intAttr := func(desc string, d int64) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Optional: true, Computed: true, Default: int64default.StaticInt64(d)}
	}
	boolAttr := func(desc string, d bool) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Optional: true, Computed: true, Default: booldefault.StaticBool(d)}
	}
	return map[string]schema.Attribute{
		"length":      intAttr(fmt.Sprintf("Length in characters. Default %d.", def.Length), def.Length),
		"upper":       boolAttr("Include upper-case letters. Default `true`.", def.Upper),
		"lower":       boolAttr("Include lower-case letters. Default `true`.", def.Lower),
		"numeric":     boolAttr("Include digits. Default `true`.", def.Numeric),
		"special":     boolAttr("Include special characters. Default `true`.", def.Special),
		"min_upper":   intAttr("Minimum number of upper-case letters. Default 0.", def.MinUpper),
		"min_lower":   intAttr("Minimum number of lower-case letters. Default 0.", def.MinLower),
		"min_numeric": intAttr("Minimum number of digits. Default 0.", def.MinNumeric),
		"min_special": intAttr("Minimum number of special characters. Default 0.", def.MinSpecial),
		"override_special": schema.StringAttribute{
			MarkdownDescription: "The special characters to use instead of the default set `" + passgen.DefaultSpecial + "`.",
			Optional:            true,
		},
	}
}

func (r *userPasswordResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return
	}
	r.data = data
}

// ValidateConfig checks what needs no backend: the generate policy and the
// combinations the schema validators cannot express.
func (r *userPasswordResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg userPasswordModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateGeneratePolicy(cfg.Generate, path.Root("generate"), &resp.Diagnostics)
	validateUserPasswordCombinations(&cfg, &resp.Diagnostics)
}

// validateUserPasswordCombinations reports password_wo without its version
// (and the reverse) and notify_user with bcrypt_hash.
func validateUserPasswordCombinations(cfg *userPasswordModel, diags *diag.Diagnostics) {
	switch {
	case !cfg.PasswordWO.IsNull() && cfg.PasswordWOVersion.IsNull():
		diags.AddAttributeError(path.Root("password_wo_version"), "Missing Password Version",
			"password_wo is set, so password_wo_version is required: Terraform keeps no copy of a write-only value "+
				"and cannot see it change, so the provider sets password_wo when password_wo_version changes. Set "+
				"password_wo_version to any value (e.g. 1) and change it whenever password_wo should be applied again.")
	case cfg.PasswordWO.IsNull() && !cfg.PasswordWOVersion.IsNull():
		diags.AddAttributeError(path.Root("password_wo_version"), "Password Version Without Password",
			"password_wo_version only says when to apply password_wo, which is not set. Set password_wo, or remove "+
				"password_wo_version.")
	}
	if !cfg.BcryptHash.IsNull() && !cfg.NotifyUser.IsUnknown() && cfg.NotifyUser.ValueBool() {
		diags.AddAttributeError(path.Root("notify_user"), "Invalid Attribute Combination",
			"notify_user must be false with bcrypt_hash: the identity system does not know the clear-text password "+
				"of an imported hash, so it cannot email it. Remove notify_user, or remove bcrypt_hash.")
	}
}

// ModifyPlan checks the configuration against the backend's capabilities
// (so that nothing is sent that the identity system cannot do) and decides
// whether the apply sets the password: only then are the computed results
// unknown.
func (r *userPasswordResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or a provider configured only at apply
	}
	var cfg, plan userPasswordModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *userPasswordModel
	if !req.State.Raw.IsNull() {
		state = &userPasswordModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	be := r.data.backend
	checkUserPasswordCapabilities(be, &cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var drift *passwordDrift
	if state != nil {
		d, diags := getPasswordDrift(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		drift = d
	}
	planUserPassword(be, r.data.now(), state, &cfg, &plan, drift, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planUserPassword fills in the plan: generated_by, and either the results
// of the last set (nothing to set) or unknown results (a set). It adds the
// plan's warnings: a chosen password stored in state, a rotation that is
// due, a change made outside Terraform.
func planUserPassword(be backend.Backend, now time.Time, state, cfg, plan *userPasswordModel, drift *passwordDrift, diags *diag.Diagnostics) {
	mode := modeOf(cfg)
	if mode == modeChosen {
		// On the resource, not on the password attribute: Terraform prints
		// the source line an attribute diagnostic points at, and that line
		// would put a literal password in every plan's output and CI log.
		diags.AddWarning("Password Stored In Plan And State",
			"The password attribute is stored in clear text in the plan and in the state, where anyone who can read them can "+
				"read it. With Terraform 1.11 or newer, the write-only alternative password_wo (with "+
				"password_wo_version) keeps the password out of plan and state; see the guide \"Keeping passwords "+
				"out of state\".")
	}
	if mode == modeGenerated {
		if cfg.GeneratedBy.IsNull() {
			plan.GeneratedBy = types.StringValue(defaultGeneratedBy(be.Capabilities()))
		}
		if plan.GeneratedBy.ValueString() == generatedByServer && !cfg.Generate.IsNull() {
			diags.AddAttributeWarning(path.Root("generate"), "Generate Policy Ignored",
				be.Name()+" generates this password itself, following its own password policy, so the generate "+
					"policy has no effect. Set generated_by = \"provider\" to use it, or remove the generate block.")
		}
	} else {
		plan.GeneratedBy = types.StringNull()
	}

	ageDays, rotate := rotationDue(state, cfg, now)
	if rotate {
		diags.AddAttributeWarning(path.Root("rotation_days"), "Password Rotation Due",
			fmt.Sprintf("User %s: password is %d days old; rotation_days = %d. This plan issues a new password.",
				plan.UserID.ValueString(), ageDays, cfg.RotationDays.ValueInt64()))
	}
	if drift != nil {
		action := "this plan issues a new one"
		switch mode {
		case modeChosen:
			action = "this plan sets it back to password"
		case modeWriteOnly:
			action = "this plan sets it back to password_wo"
		case modeBcrypt:
			action = "this plan imports bcrypt_hash again"
		}
		summary := "Password Changed Outside Terraform"
		detail := fmt.Sprintf("The password of user %s was changed outside Terraform at %s, after the provider set it at %s; %s.",
			plan.UserID.ValueString(), drift.ChangedAt, drift.SetAt, action)
		if drift.Lost {
			summary = "Password Not Known"
			detail = fmt.Sprintf("An apply at %s may have changed the password of user %s, but the answer of %s was lost "+
				"or could not be read, so the state holds no password for it; %s.", drift.ChangedAt, plan.UserID.ValueString(), be.Name(),
				strings.Replace(action, "sets it back to", "sets it again to", 1))
		}
		if (mode == modeChosen || mode == modeWriteOnly) && be.Capabilities().ClearPasswordHistory && !cfg.ClearPasswordHistory.ValueBool() {
			detail += " If " + be.Name() + " refuses it as a recently used password, set clear_password_history = true."
		}
		diags.AddWarning(summary, detail)
	}

	encrypted := mode == modeGenerated && !cfg.EncryptTo.IsNull()
	if setNeeded(state, cfg, plan, rotate, drift != nil) {
		switch {
		case mode == modeChosen:
			// plan.Password is the configured value.
		case mode == modeGenerated && !encrypted:
			plan.Password = types.StringUnknown()
		default:
			plan.Password = types.StringNull()
		}
		plan.EncryptedPassword = types.StringNull()
		if encrypted {
			plan.EncryptedPassword = types.StringUnknown()
		}
		plan.LastChangedAt = types.StringUnknown()
		plan.ExpiryNotificationAt = types.StringUnknown()
		if cfg.ExpiresAt.IsNull() {
			plan.ExpiresAt = types.StringUnknown()
		}
	} else {
		// Nothing to set: the results of the last set stand.
		if mode != modeChosen {
			plan.Password = state.Password
		}
		plan.EncryptedPassword = state.EncryptedPassword
		plan.LastChangedAt = state.LastChangedAt
		plan.ExpiryNotificationAt = state.ExpiryNotificationAt
		if cfg.ExpiresAt.IsNull() {
			plan.ExpiresAt = state.ExpiresAt
		}
	}
	plan.PasswordWO = types.StringNull() // write-only: never planned
	plan.ID = plan.UserID
}

// setNeeded says whether the apply must set the password: at create, when
// anything that shapes the password changed, when a rotation is due and
// when the password was changed outside Terraform. It reads the
// configuration, not the plan: the framework marks computed attributes
// unknown on any update. (plan is read for generated_by and generate, whose
// defaults the configuration lacks.)
func setNeeded(state, cfg, plan *userPasswordModel, rotationDue, drifted bool) bool {
	if state == nil || rotationDue || drifted {
		return true
	}
	changed := func(a, b attr.Value) bool { return !a.Equal(b) }
	switch modeOf(cfg) {
	case modeBcrypt:
		// From any other mode, state's bcrypt_hash is null.
		if changed(cfg.BcryptHash, state.BcryptHash) {
			return true
		}
	case modeWriteOnly:
		// Only the version says that password_wo changed; from any other
		// mode, state's version is null.
		if cfg.PasswordWOVersion.IsUnknown() || changed(cfg.PasswordWOVersion, state.PasswordWOVersion) {
			return true
		}
	case modeChosen:
		if cfg.Password.IsUnknown() || changed(cfg.Password, state.Password) {
			return true // a chosen password known only at apply, or another one
		}
	default:
		switch {
		case state.GeneratedBy.IsNull():
			return true // from a chosen, write-only or bcrypt password to a generated one
		case changed(plan.GeneratedBy, state.GeneratedBy):
			return true
		case plan.GeneratedBy.ValueString() == generatedByProvider && !samePolicy(plan.Generate, state.Generate):
			return true
		case changed(cfg.EncryptTo, state.EncryptTo) && (!state.Password.IsNull() || !state.EncryptedPassword.IsNull()):
			// The password in state (clear or encrypted to the old
			// recipients) cannot be re-encrypted: a new one is issued. An
			// imported password, unknown to state, is left alone.
			return true
		}
	}
	// An imported password (no password, no last set time in state) adopts
	// the configured triggers: only a later change of them sets it.
	imported := state.LastChangedAt.IsNull() && state.Password.IsNull() && state.EncryptedPassword.IsNull()
	triggersChanged := changed(plan.Triggers, state.Triggers) && (!imported || !state.Triggers.IsNull())
	return triggersChanged ||
		changed(plan.ForceChangeOnNextLogin, state.ForceChangeOnNextLogin) ||
		(!cfg.ExpiresAt.IsNull() && changed(cfg.ExpiresAt, state.ExpiresAt))
}

// rotationDue says whether a generated password is at least rotation_days
// old on the provider's clock, and its age in whole days.
func rotationDue(state, cfg *userPasswordModel, now time.Time) (int64, bool) {
	if state == nil || cfg.RotationDays.IsNull() || cfg.RotationDays.IsUnknown() || modeOf(cfg) != modeGenerated {
		return 0, false
	}
	last, err := parseTimeValue(state.LastChangedAt)
	if err != nil || last == nil {
		return 0, false // imported: the age is unknown
	}
	// In whole days, which cannot overflow as a Duration of rotation_days could.
	ageDays := int64(now.Sub(*last) / (24 * time.Hour))
	return ageDays, ageDays >= cfg.RotationDays.ValueInt64()
}

// checkUserPasswordCapabilities refuses, at plan time, what the backend cannot do.
func checkUserPasswordCapabilities(be backend.Backend, cfg *userPasswordModel, diags *diag.Diagnostics) {
	caps, name := be.Capabilities(), be.Name()
	if !cfg.UserID.IsNull() && !cfg.UserID.IsUnknown() {
		if err := be.ValidateUserID(cfg.UserID.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("user_id"), "Invalid User ID", fmt.Sprintf("%s expects %s: %s.", name, caps.UserIDDescription, err))
		}
	}
	if !cfg.Password.IsNull() && !caps.SetChosen {
		addUnsupported(diags, path.Root("password"), name, "set a chosen password",
			"Remove password to have the identity system issue one.")
	}
	if !cfg.PasswordWO.IsNull() && !caps.SetChosen {
		addUnsupported(diags, path.Root("password_wo"), name, "set a chosen password",
			"Remove password_wo and password_wo_version to have the identity system issue one.")
	}
	if !cfg.BcryptHash.IsNull() && !caps.BcryptImport {
		addUnsupported(diags, path.Root("bcrypt_hash"), name, "import a bcrypt hash",
			"Set the password itself with password_wo, or have one generated.")
	}
	if modeOf(cfg) == modeGenerated && !cfg.GeneratedBy.IsNull() && !cfg.GeneratedBy.IsUnknown() {
		switch cfg.GeneratedBy.ValueString() {
		case generatedByServer:
			if !caps.ServerGenerate {
				addUnsupported(diags, path.Root("generated_by"), name, "generate a password itself",
					"Use generated_by = \"provider\".")
			}
		case generatedByProvider:
			if !caps.SetChosen {
				addUnsupported(diags, path.Root("generated_by"), name, "set a password generated by the provider",
					"Use generated_by = \"server\".")
			}
		}
	}
	if !cfg.ForceChangeOnNextLogin.IsNull() && !caps.ForceChangeOnSet {
		addUnsupported(diags, path.Root("force_change_on_next_login"), name, "set a must-change flag with a password", "Remove force_change_on_next_login.")
	}
	if !cfg.ExpiresAt.IsNull() && caps.ExpiryOnSet == backend.ExpiryNone {
		addUnsupported(diags, path.Root("expires_at"), name, "take a requested password expiry", "Remove expires_at; the expiry the backend reports, if any, is read into it.")
	}
	if cfg.NotifyUser.ValueBool() && !caps.NotifyUser {
		addUnsupported(diags, path.Root("notify_user"), name, "email a new password to the user", "Remove notify_user.")
	}
	if cfg.ClearPasswordHistory.ValueBool() && !caps.ClearPasswordHistory {
		addUnsupported(diags, path.Root("clear_password_history"), name, "clear a user's password history", "Remove clear_password_history.")
	}
}

// defaultGeneratedBy is the server where the backend can generate, else the provider.
func defaultGeneratedBy(caps backend.Capabilities) string {
	if caps.ServerGenerate {
		return generatedByServer
	}
	return generatedByProvider
}

func (r *userPasswordResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userPasswordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	wo, diags := getPasswordWO(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	diags, _ = r.setPassword(ctx, &plan, wo)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return // nothing in state: the next apply sets the password again
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// driftTolerance is how much later than last_changed_at the identity system
// may report the password's last change before it counts as a change made
// outside Terraform. last_changed_at is stored to the second (truncated, so
// up to 1 s earlier than the reported time right after the provider's own
// set), and a backend may stamp the read-back a moment after the answer to
// the set (or, where it reported no time, the provider's clock stood in for
// the server's): 2 s covers both, and no person changes a password faster.
const driftTolerance = 2 * time.Second

// passwordDriftKey is the private-state key of a detected change made
// outside Terraform. Read sets it, the next set clears it.
const passwordDriftKey = "password_drift"

// passwordDrift records a change made outside Terraform, in private state
// (RFC 3339 times), so that the next plan sets the password again and says why.
type passwordDrift struct {
	// ChangedAt is when the identity system reports the password changed.
	ChangedAt string `json:"changed_at"`
	// SetAt is when the provider last set it (last_changed_at before refresh).
	SetAt string `json:"set_at"`
	// Lost marks instead a set that failed when the identity system may
	// have changed the password all the same (its answer was lost or
	// unreadable): state holds no password since, and the next plan sets
	// one again. ChangedAt is when that set was tried.
	Lost bool `json:"lost,omitempty"`
}

// privateState is what Read, ModifyPlan and Update offer for private state.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func getPasswordDrift(ctx context.Context, p privateState) (*passwordDrift, diag.Diagnostics) {
	raw, diags := p.GetKey(ctx, passwordDriftKey)
	if diags.HasError() || len(raw) == 0 {
		return nil, diags
	}
	var d passwordDrift
	if err := json.Unmarshal(raw, &d); err != nil || d.ChangedAt == "" {
		// Unreadable: forget it rather than fail every plan.
		tflog.Warn(ctx, "ignoring unreadable private state", map[string]any{"key": passwordDriftKey})
		return nil, diags
	}
	return &d, diags
}

func setPasswordDrift(ctx context.Context, p privateState, d *passwordDrift) diag.Diagnostics {
	if d == nil {
		return p.SetKey(ctx, passwordDriftKey, nil) // removes the key
	}
	raw, err := json.Marshal(d)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unable To Record Password Change", err.Error())
		return diags
	}
	return p.SetKey(ctx, passwordDriftKey, raw)
}

// detectDrift compares last_changed_at in state with the change time the
// identity system reports. It returns nil when nothing was changed outside
// Terraform, or when it cannot tell (an imported password, no reported time).
func detectDrift(lastChangedAt types.String, reported *time.Time) *passwordDrift {
	if reported == nil {
		return nil
	}
	setAt, err := parseTimeValue(lastChangedAt)
	if err != nil || setAt == nil {
		return nil
	}
	if reported.Sub(*setAt) <= driftTolerance {
		return nil
	}
	return &passwordDrift{
		ChangedAt: reported.UTC().Format(time.RFC3339),
		SetAt:     setAt.UTC().Format(time.RFC3339),
	}
}

func (r *userPasswordResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userPasswordModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data == nil {
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
	// A must-change password is meant to be replaced by its user: that
	// change is expected, not drift to undo.
	if caps.ReadPasswordChangedAt && !state.ForceChangeOnNextLogin.ValueBool() {
		d := detectDrift(state.LastChangedAt, u.PasswordLastChangedAt)
		var prev *passwordDrift
		if d != nil {
			var diags diag.Diagnostics
			prev, diags = getPasswordDrift(ctx, resp.Private)
			resp.Diagnostics.Append(diags...)
		}
		// After a lost set (prev.Lost) the change seen is most likely that
		// set's own, and the next plan sets the password again anyway.
		if d != nil && (prev == nil || !prev.Lost) {
			// A change already recorded keeps the time the provider set it.
			if prev != nil {
				d.SetAt = prev.SetAt
			}
			tflog.Warn(ctx, "password changed outside Terraform", map[string]any{
				"user_id": state.UserID.ValueString(), "changed_at": d.ChangedAt, "set_at": d.SetAt,
			})
			resp.Diagnostics.Append(setPasswordDrift(ctx, resp.Private, d)...)
			state.LastChangedAt = timeValue(u.PasswordLastChangedAt)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userPasswordResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userPasswordModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// ModifyPlan leaves last_changed_at unknown exactly when a set is needed.
	if plan.LastChangedAt.IsUnknown() {
		wo, diags := getPasswordWO(ctx, req.Config)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		diags, maybeChanged := r.setPassword(ctx, &plan, wo)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			if maybeChanged {
				resp.Diagnostics.Append(r.forgetPassword(ctx, req.State, resp)...)
			}
			return
		}
		// The password is as declared again: forget any change made outside Terraform.
		resp.Diagnostics.Append(setPasswordDrift(ctx, resp.Private, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// forgetPassword is what a failed update leaves when the identity system
// may have changed the password all the same. Terraform keeps the prior
// state of a failed update (even when the provider returns none), and its
// password may no longer be the user's: the password leaves state, and a
// lost set is recorded in private state (passwordDrift.Lost), so that the
// next plan sets the password again, saying why.
func (r *userPasswordResource) forgetPassword(ctx context.Context, prior tfsdk.State, resp *resource.UpdateResponse) diag.Diagnostics {
	var state userPasswordModel
	diags := prior.Get(ctx, &state)
	if diags.HasError() {
		return diags
	}
	state.Password = types.StringNull()
	state.EncryptedPassword = types.StringNull()
	diags.Append(resp.State.Set(ctx, &state)...)
	diags.Append(setPasswordDrift(ctx, resp.Private, &passwordDrift{
		ChangedAt: r.data.now().UTC().Format(time.RFC3339),
		SetAt:     state.LastChangedAt.ValueString(),
		Lost:      true,
	})...)
	return diags
}

// Delete removes the resource from state only: the password stays in place.
func (r *userPasswordResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Debug(ctx, "identity_user_password removed from state; the password stays in place")
}

// ImportState takes a user id. No password comes into state, and the
// defaults are set as a plain configuration would plan them, so that no
// change is planned until a trigger says so.
func (r *userPasswordResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.data == nil {
		resp.Diagnostics.AddError("Provider Not Configured", "The provider must be configured to import identity_user_password.")
		return
	}
	be := r.data.backend
	if err := be.ValidateUserID(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("The import id must be the user id: %s expects %s: %s.", be.Name(), be.Capabilities().UserIDDescription, err))
		return
	}
	state := userPasswordModel{
		ID:                     types.StringValue(req.ID),
		UserID:                 types.StringValue(req.ID),
		Password:               types.StringNull(),
		PasswordWO:             types.StringNull(),
		PasswordWOVersion:      types.StringNull(),
		Generate:               types.ObjectNull(generateAttrTypes),
		GeneratedBy:            types.StringValue(defaultGeneratedBy(be.Capabilities())),
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
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// getPasswordWO reads password_wo from the configuration: write-only, it is
// in neither plan nor state.
func getPasswordWO(ctx context.Context, cfg tfsdk.Config) (types.String, diag.Diagnostics) {
	var wo types.String
	diags := cfg.GetAttribute(ctx, path.Root("password_wo"), &wo)
	return wo, diags
}

// setPassword performs the set that plan describes and fills in its results.
// wo is password_wo from the configuration. With an error, maybeChanged
// reports that the identity system may have changed the password all the
// same, so that no state may keep the password it held before.
func (r *userPasswordResource) setPassword(ctx context.Context, plan *userPasswordModel, wo types.String) (_ diag.Diagnostics, maybeChanged bool) {
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
			return diags, false
		}
		in.ExpiresAt = t
	}

	mode := modeOf(plan)
	// The recipients are parsed before the set, so that a bad one cannot
	// leave a new password set and lost.
	var recipients []age.Recipient
	if mode == modeGenerated && !plan.EncryptTo.IsNull() {
		var list []string
		diags.Append(plan.EncryptTo.ElementsAs(ctx, &list, false)...)
		if diags.HasError() {
			return diags, false
		}
		rs, err := secretbox.ParseRecipients(list)
		if err != nil {
			diags.AddAttributeError(path.Root("encrypt_to"), "Invalid Age Recipient", "No password was set: "+err.Error()+".")
			return diags, false
		}
		recipients = rs
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
			return diags, false
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
			return diags, false
		}
		in.Password = pw
	}
	ctx = transport.MaskSecrets(ctx, in.Password, in.BcryptHash)

	res, err := be.SetPassword(ctx, in)
	if err != nil {
		what := "The resource keeps no password in state, and the next apply sets the password again."
		if (mode == modeChosen || mode == modeWriteOnly) && be.Capabilities().ClearPasswordHistory && !in.ClearHistory {
			what += " If " + be.Name() + " then refuses the password as recently used, this attempt did set it: " +
				"apply with clear_password_history = true."
		}
		return diags, addChangeError(&diags, "Unable To Set Password", err, be.Name(), what)
	}
	ctx = transport.MaskSecrets(ctx, res.Password)
	plan.EncryptedPassword = types.StringNull()
	switch mode {
	case modeGenerated:
		pw := in.Password
		if in.Generate {
			pw = res.Password
			if pw == "" {
				diags.AddError("No Password Returned", be.Name()+" reported success but returned no generated password, "+
					"so the provider cannot store it. The password was changed: apply again to issue a new one, or set a chosen password.")
				return diags, true
			}
		}
		if recipients != nil {
			ct, err := secretbox.Encrypt(pw, recipients)
			if err != nil {
				diags.AddError("Unable To Encrypt Password",
					"The password was set, but it could not be encrypted to encrypt_to ("+err.Error()+"), so it is "+
						"not kept. Apply again to issue a new one.")
				return diags, true
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
	return diags, false
}

// bcryptHashValidator checks that bcrypt_hash looks like a bcrypt hash:
// $2a$, $2b$ or $2y$, a cost bcrypt accepts, 60 characters. It never
// echoes the value.
type bcryptHashValidator struct{}

var _ validator.String = bcryptHashValidator{}

func (bcryptHashValidator) Description(context.Context) string {
	return "value must be a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, 60 characters in all"
}

func (v bcryptHashValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v bcryptHashValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkBcryptHash(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Bcrypt Hash",
			"Attribute "+req.Path.String()+" "+v.Description(ctx)+": "+err.Error()+".")
	}
}

// checkBcryptHash explains why h is not a bcrypt hash, without quoting it.
func checkBcryptHash(h string) error {
	switch {
	case !strings.HasPrefix(h, "$2a$") && !strings.HasPrefix(h, "$2b$") && !strings.HasPrefix(h, "$2y$"):
		return errors.New("it does not start with $2a$, $2b$ or $2y$")
	case len(h) != 60:
		return fmt.Errorf("it has %d characters", len(h))
	}
	if _, err := bcrypt.Cost([]byte(h)); err != nil {
		return errors.New("its cost is not a bcrypt cost (04 to 31)")
	}
	return nil
}
