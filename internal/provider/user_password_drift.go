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

// serverChangedAtKey is the private-state key of the change time the
// identity system reported after the provider's own last set (in the set's
// answer or read back after it), or adopted at import: RFC 3339 with the
// server's own precision. Drift detection compares the time it reports at
// refresh with this one, not with the provider's clock.
const serverChangedAtKey = "server_changed_at"

// importedKey is the private-state key that marks a password imported and
// not set since: its configured triggers are adopted, not applied.
const importedKey = "imported"

func getServerChangedAt(ctx context.Context, p privateState) (*time.Time, diag.Diagnostics) {
	raw, diags := p.GetKey(ctx, serverChangedAtKey)
	if diags.HasError() || len(raw) == 0 {
		return nil, diags
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		tflog.Warn(ctx, "ignoring unreadable private state", map[string]any{"key": serverChangedAtKey})
		return nil, diags
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		tflog.Warn(ctx, "ignoring unreadable private state", map[string]any{"key": serverChangedAtKey})
		return nil, diags
	}
	return &t, diags
}

// setServerChangedAt records t (nil: forgets it).
func setServerChangedAt(ctx context.Context, p privateState, t *time.Time) diag.Diagnostics {
	if t == nil {
		return p.SetKey(ctx, serverChangedAtKey, nil)
	}
	raw, _ := json.Marshal(t.UTC().Format(time.RFC3339Nano)) // a string cannot fail
	return p.SetKey(ctx, serverChangedAtKey, raw)
}

func getImported(ctx context.Context, p privateState) (bool, diag.Diagnostics) {
	raw, diags := p.GetKey(ctx, importedKey)
	return string(raw) == "true", diags
}

// setImported marks the password imported, or clears the mark.
func setImported(ctx context.Context, p privateState, imported bool) diag.Diagnostics {
	if !imported {
		return p.SetKey(ctx, importedKey, nil)
	}
	return p.SetKey(ctx, importedKey, []byte("true"))
}

// sameServerTime says whether two change times the identity system
// reported are the same. A service that reports whole seconds in one
// answer and a fraction in another is compared to the second.
func sameServerTime(a, b time.Time) bool {
	if a.Equal(b) {
		return true
	}
	if a.Nanosecond() == 0 || b.Nanosecond() == 0 {
		return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
	}
	return false
}

// detectDrift compares the change time the identity system reports now
// with the one it reported after the provider's own last set (seen): any
// other time is a change made outside Terraform, however soon after. It
// returns nil when they are the same. Without seen (state written by an
// earlier version of the provider), it compares with last_changed_at in
// state, to the second; without either, it cannot tell (nil).
func detectDrift(seen *time.Time, lastChangedAt types.String, reported time.Time) *passwordDrift {
	setAt, err := parseTimeValue(lastChangedAt)
	if err != nil {
		setAt = nil
	}
	switch {
	case seen != nil && sameServerTime(*seen, reported):
		return nil
	case seen == nil && (setAt == nil || !reported.Truncate(time.Second).After(*setAt)):
		return nil
	}
	d := &passwordDrift{ChangedAt: reported.UTC().Format(time.RFC3339)}
	if setAt != nil {
		d.SetAt = setAt.UTC().Format(time.RFC3339)
	} else {
		d.SetAt = seen.UTC().Format(time.RFC3339)
	}
	return d
}

// recordDrift compares the change time the identity system reports
// (reported) with what the provider knows, and records, in private state, a
// change of the password made outside Terraform, moving state's
// last_changed_at to it, so that the next plan sets the password again and
// says why. A password whose last change the provider never knew (an
// imported one) adopts the reported time instead.
func recordDrift(ctx context.Context, state *userPasswordModel, reported time.Time, private privateState) diag.Diagnostics {
	seen, diags := getServerChangedAt(ctx, private)
	if diags.HasError() {
		return diags
	}
	if seen == nil && state.LastChangedAt.IsNull() {
		state.LastChangedAt = timeValue(&reported)
		return append(diags, setServerChangedAt(ctx, private, &reported)...)
	}
	d := detectDrift(seen, state.LastChangedAt, reported)
	if d == nil {
		if seen == nil {
			diags.Append(setServerChangedAt(ctx, private, &reported)...)
		}
		return diags
	}
	prev, more := getPasswordDrift(ctx, private)
	diags.Append(more...)
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
	diags.Append(setServerChangedAt(ctx, private, &reported)...)
	state.LastChangedAt = timeValue(&reported)
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
