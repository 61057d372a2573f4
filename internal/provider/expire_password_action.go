package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// NewExpirePasswordAction is the identity_expire_password factory.
func NewExpirePasswordAction() action.Action {
	return &userAction{
		typeName: "identity_expire_password",
		description: "Makes a user change the password at the next login, each time the action is invoked, " +
			"without setting a new password: the current one keeps working until the user replaces it at the next " +
			"login. Nothing is returned and nothing is kept in state. Needs **Terraform 1.14 or newer** (actions), and " +
			"a backend whose API can do it: Zato SSO over REST (`password_must_change`). Other backends fail at plan " +
			"time, before any request; the error says what to use instead.",
		refusal: expirePasswordRefusal,
		act:     expirePassword,
	}
}

// expirePasswordRefusal refuses a backend that cannot expire a password,
// saying what comes closest with it.
func expirePasswordRefusal(be backend.Backend) string {
	if _, ok := be.(backend.Expirer); ok {
		return ""
	}
	name, caps := be.Name(), be.Capabilities()
	detail := fmt.Sprintf("%s cannot make a user change the password at the next login without setting a new one, so "+
		"the identity_expire_password action cannot be used with this provider block (Zato SSO over REST can). ", name)
	switch {
	case caps.ForceChangeOnSet || caps.ForceChangeOnReset:
		detail += name + " sets the must-change flag only together with a new password. To get close, set a new " +
			"password that must be changed at the next login: an identity_password_reset with " +
			"force_change_on_next_login = true (change its triggers to do it again), or force_change_on_next_login " +
			"on identity_user_password. Unlike this action, both replace the user's password."
	case caps.ServerGenerateTemporary:
		detail += name + "'s only password call issues a new temporary password, which the user must replace at the " +
			"next login: an identity_password_reset does that (change its triggers to do it again), but unlike this " +
			"action it replaces the user's password."
	default:
		detail += name + " has no must-change flag or password expiry at all."
	}
	return detail
}

// expirePassword has the identity system make the user change the password
// at the next login (backend.Expirer).
func expirePassword(ctx context.Context, be backend.Backend, user string, resp *action.InvokeResponse) {
	exp, ok := be.(backend.Expirer)
	if !ok { // begin refused it: a bug
		resp.Diagnostics.AddError("Not Supported By "+be.Name(), expirePasswordRefusal(be)+" This is a bug in the provider: the "+
			"plan should have failed. Please report it.")
		return
	}
	sendActionProgress(resp, fmt.Sprintf("expiring the password of user %s on %s: %s", user, be.Name(), exp.ExpireMethod()))
	if err := exp.ExpirePassword(ctx, user); err != nil {
		if errors.Is(err, backend.ErrPasswordMayHaveChanged) {
			resp.Diagnostics.AddWarning("Password May Have Been Expired", err.Error()+".\n\n"+be.Name()+
				" may have acted on the request before its answer was lost or cut short: user "+user+" may now have "+
				"to change the password at the next login, or may not. The password itself was not changed either "+
				"way, and the request was not repeated. Look in "+be.Name()+" (or read the identity_user data "+
				"source's password_must_change), or invoke the action again: expiring an expired password changes nothing.")
			return
		}
		addActionError(&resp.Diagnostics, "Unable To Expire Password", err)
		return
	}
	tflog.Info(ctx, "password expired", map[string]any{"user_id": user, "backend": be.Name()})
	sendActionProgress(resp, fmt.Sprintf("expired: user %s must change the password at the next login on %s", user, be.Name()))
}
