package provider

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

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

// recordDrift records, in private state, a change of the password made
// outside Terraform that the identity system reports (reported, when it
// last changed), and moves state's last_changed_at to it, so that the next
// plan sets the password again and says why.
func recordDrift(ctx context.Context, state *userPasswordModel, reported *time.Time, private privateState) diag.Diagnostics {
	d := detectDrift(state.LastChangedAt, reported)
	if d == nil {
		return nil
	}
	prev, diags := getPasswordDrift(ctx, private)
	// After a lost set (prev.Lost) the change seen is most likely that
	// set's own, and the next plan sets the password again anyway.
	if prev != nil && prev.Lost {
		return diags
	}
	// A change already recorded keeps the time the provider set it.
	if prev != nil {
		d.SetAt = prev.SetAt
	}
	tflog.Warn(ctx, "password changed outside Terraform", map[string]any{
		"user_id": state.UserID.ValueString(), "changed_at": d.ChangedAt, "set_at": d.SetAt,
	})
	diags.Append(setPasswordDrift(ctx, private, d)...)
	state.LastChangedAt = timeValue(reported)
	return diags
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
