package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

var (
	_ action.ActionWithConfigure  = (*sendPasswordResetAction)(nil)
	_ action.ActionWithModifyPlan = (*sendPasswordResetAction)(nil)
)

// NewSendPasswordResetAction is the identity_send_password_reset factory.
func NewSendPasswordResetAction() action.Action {
	return &sendPasswordResetAction{}
}

// sendPasswordResetAction asks the identity system to email a user a
// password reset. Unlike identity_password_reset it keeps nothing in state:
// it runs when invoked (terraform apply -invoke, or an action_trigger).
type sendPasswordResetAction struct {
	actionBase
}

// sendPasswordResetModel is the action's configuration.
type sendPasswordResetModel struct {
	UserID types.String `tfsdk:"user_id"`
}

func (a *sendPasswordResetAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_send_password_reset"
}

func (a *sendPasswordResetAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = sendPasswordResetSchema()
}

var sendPasswordResetSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Asks the identity system to email a user a password reset, each time the action is " +
			"invoked. Nothing is returned and nothing is kept in state. Needs **Terraform 1.14 or newer** (actions), " +
			"and a backend that can email a reset: Entrust IDaaS (`emailPassword`) and Huawei Cloud IAM Identity " +
			"Center (`EMAIL`). Other backends fail at plan time, before any request. For a reset whose temporary " +
			"password is handed to the next step of a pipeline, use the `identity_password_reset` resource.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The backend's user id, as for `identity_user_password`.",
				Required:            true,
				Validators:          []validator.String{userIDValidator},
			},
		},
	}
})

// ModifyPlan refuses, at plan time, a backend that cannot email a reset, a
// user id of the wrong form, and a user the identity system does not have.
func (a *sendPasswordResetAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil {
		return
	}
	var cfg sendPasswordResetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a.check(cfg, &resp.Diagnostics)
	a.data.checkNewUser(ctx, cfg.UserID, &resp.Diagnostics)
}

// check adds the errors that keep the action from sending a request.
func (a *sendPasswordResetAction) check(cfg sendPasswordResetModel, diags *diag.Diagnostics) {
	be := a.data.backend
	caps, name := be.Capabilities(), be.Name()
	if !caps.EmailReset {
		diags.AddError("Not Supported By "+name,
			fmt.Sprintf("%s cannot email a user a password reset, so the identity_send_password_reset action cannot be "+
				"used with this provider block. Entrust IDaaS and Huawei Cloud IAM Identity Center can; with %s, use the "+
				"identity_password_reset resource to get a temporary password instead.", name, name))
		return
	}
	checkUserID(be, cfg.UserID, diags)
}

func (a *sendPasswordResetAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg sendPasswordResetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.data == nil {
		resp.Diagnostics.AddError("Unconfigured Provider",
			"The identity provider was not configured before the identity_send_password_reset action was invoked. "+
				"Check the provider block of the action, then apply again.")
		return
	}
	if cfg.UserID.IsUnknown() || cfg.UserID.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Unknown User ID",
			"user_id must be known when the action is invoked.")
		return
	}
	a.check(cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	be, user := a.data.backend, cfg.UserID.ValueString()
	sendActionProgress(resp, fmt.Sprintf("requesting a password reset email for user %s from %s", user, be.Name()))
	if _, err := be.ResetPassword(ctx, backend.ResetInput{UserID: user, SendEmail: true}); err != nil {
		if errors.Is(err, backend.ErrPasswordMayHaveChanged) {
			// The transport does not repeat an emailing request that may
			// have been carried out (transport.AtMostOnce): at most one
			// email went, and whether it did cannot be known.
			resp.Diagnostics.AddWarning("Password Reset Email May Have Been Sent", err.Error()+".\n\n"+be.Name()+
				" may have acted on the request before its answer was lost or cut short: the user may have received "+
				"the reset email. The request was not repeated, so the user got one email at most. Ask the user, or "+
				"look in "+be.Name()+", before invoking the action again.")
			return
		}
		addErrorAt(&resp.Diagnostics, refusedAt(err, path.Empty(), path.Empty()), "Unable To Send Password Reset", backendErrorDetail(err))
		return
	}
	tflog.Info(ctx, "password reset email requested", map[string]any{"user_id": user, "backend": be.Name()})
	sendActionProgress(resp, fmt.Sprintf("sent: %s emailed user %s a password reset", be.Name(), user))
}

// sendActionProgress reports a progress event where the framework offers a sender.
func sendActionProgress(resp *action.InvokeResponse, msg string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}
