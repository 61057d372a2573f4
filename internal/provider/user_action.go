package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

var (
	_ action.ActionWithConfigure  = (*userAction)(nil)
	_ action.ActionWithModifyPlan = (*userAction)(nil)
)

// userAction is each of the provider's actions: it acts on one user
// (user_id) of the provider block's backend when invoked, keeps nothing in
// state, and is refused at plan time, before any request, by a backend
// that cannot do what it does. The actions differ in their fields.
type userAction struct {
	actionBase
	// typeName is the action's type, e.g. "identity_send_password_reset".
	typeName string
	// description is the schema's description.
	description string
	// refusal is the detail of the plan-time error for a backend that
	// cannot do what the action does (naming it and saying what to do
	// instead), "" for one that can.
	refusal func(be backend.Backend) string
	// act does what the action does, once begin has checked the
	// configuration and the backend: it reports progress and adds the
	// diagnostics of the outcome.
	act func(ctx context.Context, be backend.Backend, userID string, resp *action.InvokeResponse)
}

// userActionModel is the configuration of a userAction.
type userActionModel struct {
	UserID types.String `tfsdk:"user_id"`
}

func (a *userAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + strings.TrimPrefix(a.typeName, "identity")
}

// Schema is user_id and the action's description.
func (a *userAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: a.description,
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The backend's user id, as for `identity_user_password`.",
				Required:            true,
				Validators:          []validator.String{userIDValidator},
			},
		},
	}
}

// ModifyPlan refuses, at plan time, a backend that cannot do what the
// action does and a user id of the wrong form, and warns of a user the
// identity system does not have.
func (a *userAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil {
		return
	}
	var cfg userActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a.check(cfg, &resp.Diagnostics)
	a.data.checkNewUser(ctx, cfg.UserID, &resp.Diagnostics)
}

// check adds the errors that keep the action from sending a request.
func (a *userAction) check(cfg userActionModel, diags *diag.Diagnostics) {
	be := a.data.backend
	if detail := a.refusal(be); detail != "" {
		diags.AddError("Not Supported By "+be.Name(), detail)
		return
	}
	checkUserID(be, cfg.UserID, diags)
}

// Invoke checks the configuration as the plan did (an action invoked
// against a refused plan must still send nothing), then acts.
func (a *userAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	if be, userID, ok := a.begin(ctx, req, resp); ok {
		a.act(ctx, be, userID, resp)
	}
}

// begin reads and checks the configuration of an invocation. It returns
// the backend and the user id, or ok false after adding errors.
func (a *userAction) begin(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) (be backend.Backend, userID string, ok bool) {
	var cfg userActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return nil, "", false
	}
	if a.data == nil {
		resp.Diagnostics.AddError("Unconfigured Provider",
			"The identity provider was not configured before the "+a.typeName+" action was invoked. "+
				"Check the provider block of the action, then apply again.")
		return nil, "", false
	}
	if cfg.UserID.IsUnknown() || cfg.UserID.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Unknown User ID",
			"user_id must be known when the action is invoked.")
		return nil, "", false
	}
	a.check(cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return nil, "", false
	}
	return a.data.backend, cfg.UserID.ValueString(), true
}

// addActionError adds the error of a failed action: on user_id for a user
// the identity system does not have, else on the action.
func addActionError(diags *diag.Diagnostics, summary string, err error) {
	addErrorAt(diags, refusedAt(err, path.Empty(), path.Empty()), summary, backendErrorDetail(err))
}

// sendActionProgress reports a progress event where the framework offers a sender.
func sendActionProgress(resp *action.InvokeResponse, msg string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}
