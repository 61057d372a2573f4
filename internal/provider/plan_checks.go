package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// MaxUserChecksAtPlan bounds the users one provider process reads at plan time to
// see that they exist before their password is first set. A plan that
// creates thousands of resources would otherwise double its requests, at
// plan and again at apply (Terraform plans each new resource once more in
// the apply's own provider process); beyond this many, a missing user is
// found by the apply, as before. Wrong credentials show on the first read.
const MaxUserChecksAtPlan = 20

// planChecks is what one provider process has checked at plan time.
type planChecks struct {
	credentials    sync.Once
	credentialsErr error
	users          atomic.Int32
}

// checkNewUser asks the identity system, when a plan creates a resource
// for userID, whether the user exists, where one cheap read can tell (the
// backend reads users), and warns when it does not; the read finds wrong
// credentials too (an error). Where the
// backend reads no users, it checks the credentials instead, once per
// provider process (backend.CredentialChecker). It never runs on a plan
// that creates nothing: refresh and plan -refresh=false send no more
// requests than before.
func (d *providerData) checkNewUser(ctx context.Context, userID types.String, diags *diag.Diagnostics) {
	if userID.IsNull() || userID.IsUnknown() || diags.HasError() {
		return
	}
	be := d.backend
	if !be.Capabilities().ReadUser {
		d.checkCredentials(ctx, diags)
		return
	}
	if d.checks.users.Add(1) > MaxUserChecksAtPlan {
		return
	}
	_, err := be.ReadPassword(ctx, userID.ValueString())
	switch {
	case errors.Is(err, backend.ErrNotFound):
		// A warning, not an error: the plan still creates the resource
		// (after refresh dropped a deleted user's, say), and the user may
		// be created before the apply.
		diags.AddAttributeWarning(path.Root("user_id"), "User Not Found",
			fmt.Sprintf("%s has no user %s: %s\n\nThe apply will fail unless the user is created first.",
				be.Name(), userID.ValueString(), backendErrorDetail(err)))
	case err != nil:
		addBackendError(diags, "Unable To Check User", err)
	}
}

// checkCredentials checks the credentials of a backend that reads no
// users, once per provider process.
func (d *providerData) checkCredentials(ctx context.Context, diags *diag.Diagnostics) {
	cc, ok := d.backend.(backend.CredentialChecker)
	if !ok {
		return
	}
	d.checks.credentials.Do(func() { d.checks.credentialsErr = cc.CheckCredentials(ctx) })
	if d.checks.credentialsErr != nil {
		addBackendError(diags, "Unable To Check Credentials", d.checks.credentialsErr)
	}
}

// checkFutureExpiry adds an error on expires_at when a set is planned with
// a requested expiry that is not in the future by the provider's clock:
// the identity system would refuse it, or the password would expire at once.
func checkFutureExpiry(expiresAt types.String, now time.Time, diags *diag.Diagnostics) {
	t, err := parseTimeValue(expiresAt)
	if err != nil || t == nil || t.After(now) {
		return
	}
	diags.AddAttributeError(path.Root("expires_at"), "Expiry In The Past",
		fmt.Sprintf("expires_at (%s) is not in the future: it is %s by this machine's clock. The identity system would "+
			"refuse it, or the new password would expire at once. Set a later time, or remove expires_at.",
			t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
}
