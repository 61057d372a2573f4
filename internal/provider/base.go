package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/secretbox"
)

// configured is what every resource, data source and action embeds: the
// provider data that Configure hands it. data is nil until the provider is
// configured, and in the calls Terraform makes before that (ValidateConfig,
// a plan with values known only at apply).
type configured struct {
	data *providerData
}

// observed tells the tests' observer (identityProvider.observe) of a secret.
func (d *providerData) observed(kind, value string) {
	if d.observe != nil {
		d.observe(kind, value)
	}
}

// configure keeps the provider data of a Configure request.
func (c *configured) configure(v any, diags *diag.Diagnostics) {
	if v == nil {
		return
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", v))
		return
	}
	c.data = data
}

// resourceBase gives a resource its Configure.
type resourceBase struct{ configured }

func (r *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// dataSourceBase gives a data source its Configure.
type dataSourceBase struct{ configured }

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

// actionBase gives an action its Configure.
type actionBase struct{ configured }

func (a *actionBase) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.configure(req.ProviderData, &resp.Diagnostics)
}

// checkUserID adds an error on user_id when the backend refuses the form of
// a known user id, before any request is sent.
func checkUserID(be backend.Backend, userID types.String, diags *diag.Diagnostics) {
	if userID.IsNull() || userID.IsUnknown() {
		return
	}
	if err := be.ValidateUserID(userID.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("user_id"), "Invalid User ID", userIDProblem(be, err))
	}
}

// userIDProblem says what form of user id the backend expects, and why it
// refused one, in one sentence with one full stop.
func userIDProblem(be backend.Backend, err error) string {
	return fmt.Sprintf("%s expects %s: %s.", be.Name(), be.Capabilities().UserIDDescription, strings.TrimRight(err.Error(), ". "))
}

// userIDAttribute is a resource's user_id: required, checked for blanks and
// control characters at validation (the backend's own form in ModifyPlan),
// and a change replaces the resource.
func userIDAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		Validators:          []validator.String{userIDValidator},
	}
}

// keptResult is a computed string that a resource sets when it is created
// and keeps until it is replaced: plans show its value from state.
func keptResult(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// sensitive is a marked Sensitive.
func sensitive(a schema.StringAttribute) schema.StringAttribute {
	a.Sensitive = true
	return a
}

// parseEncryptTo parses the age recipients of a known encrypt_to (nil when
// it is null). Both resources call it before they change anything, so that a
// bad recipient cannot leave a new password set and lost; notDone says so
// in the error ("No password was set").
func parseEncryptTo(ctx context.Context, encryptTo types.List, notDone string, diags *diag.Diagnostics) []age.Recipient {
	if encryptTo.IsNull() {
		return nil
	}
	var list []string
	diags.Append(encryptTo.ElementsAs(ctx, &list, false)...)
	if diags.HasError() {
		return nil
	}
	recipients, err := secretbox.ParseRecipients(list)
	if err != nil {
		at := path.Root("encrypt_to")
		if rerr := (*secretbox.RecipientError)(nil); errors.As(err, &rerr) && rerr.Index >= 0 {
			at = at.AtListIndex(rerr.Index)
		}
		diags.AddAttributeError(at, "Invalid Age Recipient", notDone+": "+err.Error()+".")
		return nil
	}
	return recipients
}
