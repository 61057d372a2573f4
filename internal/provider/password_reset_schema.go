package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var passwordResetSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "One password reset, done at create. Its result (a temporary password and its expiry) " +
			"lives in state so that it can be handed to the next step of a pipeline and is not repeated on every " +
			"apply. Change `triggers` to reset again, or set `reset_when_expired` to reset again once the temporary " +
			"password has expired. Set `encrypt_to` to keep the temporary password out of state in clear text. Destroy removes it from state only: a reset cannot be undone. " +
			"Import by user id where the identity system reports a password's last change and expiry (Entrust IDaaS, " +
			"Zato SSO over REST): the user's current password becomes the reset, and the first plan adopts the configuration. " +
			"Backends without a server-side reset (OCARIoT, Zato over REST) reset by setting a freshly generated password.",
		Attributes: map[string]schema.Attribute{
			"id":      keptResult("Unique per reset."),
			"user_id": userIDAttribute("The backend's user id, as for `identity_user_password`. Changing it resets again."),
			"send_email": schema.BoolAttribute{
				MarkdownDescription: "The identity system emails the user (IDaaS `emailPassword`, Huawei `EMAIL`); " +
					"nothing secret is returned. Default `false`. The request is sent at most once (a retry would email again).",
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(false),
				PlanModifiers: []planmodifier.Bool{replaceBool(false)},
			},
			"force_change_on_next_login": schema.BoolAttribute{
				MarkdownDescription: "The user must change the temporary password at the next login, where the " +
					"backend takes it (default `true` there; null elsewhere).",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{replaceBool(true), boolplanmodifier.UseStateForUnknown()},
			},
			"valid_for_days": schema.Int64Attribute{
				MarkdownDescription: "Requested lifetime in days, where the backend takes one (IDaaS `expiryTime`, Zato over REST; not the Zato CLI, whose `--expiry` fails on every Zato 3.x).",
				Optional:            true,
				PlanModifiers:       []planmodifier.Int64{replaceInt64()},
				Validators:          []validator.Int64{int64validator.Between(1, 3650)},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; change them to reset again.",
				ElementType:         types.StringType,
				Optional:            true,
				PlanModifiers:       []planmodifier.Map{replaceMap()},
			},
			"reset_when_expired": schema.BoolAttribute{
				MarkdownDescription: "Once `expires_at` has passed (by the clock of the machine running Terraform), " +
					"refresh removes the reset from state, so that the next plan creates it again: a new reset. " +
					"Nothing happens without a refresh (`-refresh=false`), and a reset whose `expires_at` is null " +
					"never expires. The provider does not check whether the user has replaced the temporary password " +
					"in the meantime: use it for accounts that keep it (test and service accounts), not for people " +
					"who will change it. Changing it does not reset. Default `false`. Where the backend never says when a " +
					"reset expires (Huawei Cloud IAM Identity Center, OCARIoT), or says so only for a `valid_for_days` " +
					"(Zato SSO over its CLI), the plan fails rather than let it never act.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"encrypt_to": schema.ListAttribute{
				MarkdownDescription: "[age](https://age-encryption.org) recipients: X25519 `age1...` (from `age-keygen`), post-quantum `age1pq1...` " +
					"(not mixed with the others), or an SSH public key in `authorized_keys` form (`ssh-ed25519 AAAA...`, or " +
					"`ssh-rsa AAAA...` of 2048 bits or more). " +
					"With it the temporary password is stored only as `encrypted_temporary_password`, encrypted to " +
					"every recipient, and `temporary_password` stays null. Checked at plan time. Changing it resets again.",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.List{replaceList()},
				Validators:    []validator.List{listvalidator.SizeAtLeast(1), ageRecipientsValidator{}},
			},
			"encrypted_temporary_password": keptResult("With `encrypt_to`: the temporary password as an ASCII-armoured age file " +
				"(`-----BEGIN AGE ENCRYPTED FILE-----`), to be decrypted with `age -d -i key.txt` (or, for an SSH recipient, " +
				"`age -d -i ~/.ssh/id_ed25519`). Not sensitive: " +
				"it can be handed on as a plain output. Null without `encrypt_to` and with `send_email`."),
			"temporary_password": sensitive(keptResult("The temporary password the reset produced (null with `send_email` and with `encrypt_to`). " +
				"Stored in state in clear text.")),
			"reset_at": keptResult("When the reset was done (RFC 3339)."),
			"expires_at": keptResult("When the temporary password expires (RFC 3339), where known: FinSpace `reset_at` + 7 " +
				"days, IDaaS `expiryTime`, Zato over REST the server's expiry; null where the backend does not say (Huawei, OCARIoT, the Zato CLI)."),
		},
	}
})

// The inputs of a reset replace it when they change (a new reset), except
// on the first plan after an import, which adopts them: imported, the
// resource has none of them in state.
const replaceUnlessImportedDescription = "A change resets again (a new resource), except on the first plan after an import, which adopts the value."

// replaceUnlessImported says whether a change replaces the reset.
func replaceUnlessImported(ctx context.Context, private privateState) bool {
	imported, _ := getImported(ctx, private)
	return !imported
}

// replaceBool replaces the reset on a change (only of a configured value
// with ifConfigured: a computed default may change without one).
func replaceBool(ifConfigured bool) planmodifier.Bool {
	return boolplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.BoolRequest, resp *boolplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = (!ifConfigured || !req.ConfigValue.IsNull()) && replaceUnlessImported(ctx, req.Private)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}

func replaceInt64() planmodifier.Int64 {
	return int64planmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnlessImported(ctx, req.Private)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}

func replaceMap() planmodifier.Map {
	return mapplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnlessImported(ctx, req.Private)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}

func replaceList() planmodifier.List {
	return listplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnlessImported(ctx, req.Private)
	}, replaceUnlessImportedDescription, replaceUnlessImportedDescription)
}
