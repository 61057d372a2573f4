package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// NewSendPasswordResetAction is the identity_send_password_reset factory.
func NewSendPasswordResetAction() action.Action {
	return &userAction{
		typeName: "identity_send_password_reset",
		description: "Asks the identity system to email a user a password reset, each time the action is " +
			"invoked. Nothing is returned and nothing is kept in state. Needs **Terraform 1.14 or newer** (actions), " +
			"and a backend that can email a reset: Entrust IDaaS (`emailPassword`) and Huawei Cloud IAM Identity " +
			"Center (`EMAIL`). Other backends fail at plan time, before any request. For a reset whose temporary " +
			"password is handed to the next step of a pipeline, use the `identity_password_reset` resource.",
		refusal: sendPasswordResetRefusal,
		act:     sendPasswordReset,
	}
}

// sendPasswordResetRefusal refuses a backend that cannot email a reset.
func sendPasswordResetRefusal(be backend.Backend) string {
	if be.Capabilities().EmailReset {
		return ""
	}
	name := be.Name()
	return fmt.Sprintf("%s cannot email a user a password reset, so the identity_send_password_reset action cannot be "+
		"used with this provider block. Entrust IDaaS and Huawei Cloud IAM Identity Center can; with %s, use the "+
		"identity_password_reset resource to get a temporary password instead.", name, name)
}

// sendPasswordReset has the identity system email the user a reset.
func sendPasswordReset(ctx context.Context, be backend.Backend, user string, resp *action.InvokeResponse) {
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
		addActionError(&resp.Diagnostics, "Unable To Send Password Reset", err)
		return
	}
	tflog.Info(ctx, "password reset email requested", map[string]any{"user_id": user, "backend": be.Name()})
	sendActionProgress(resp, fmt.Sprintf("sent: %s emailed user %s a password reset", be.Name(), user))
}
