package provider

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"runtime"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/crypto/argon2"
)

// passwordWOHashKey is the private-state key of the argon2id hash of the
// last password_wo written, kept with password_wo_detect_change = true so
// that a plan can tell whether the configured value is still that one.
const passwordWOHashKey = "password_wo_hash"

// The argon2id parameters of new hashes: the first of OWASP's recommended
// configurations (Password Storage Cheat Sheet: m=19 MiB, t=2, p=1), about
// 35 ms and 19 MiB per hash on the 2-vCPU machines the tests run on, where
// RFC 9106's first choice (t=1, m=2 GiB) or even t=1 with 64 MiB (119 ms)
// would make a plan of a few hundred resources wait minutes: every plan
// hashes once per resource with the option on (an apply plans twice), and
// with -parallelism=10 up to ten hashes run at once. The parameters are
// stored with each hash, so that they can be raised later without
// invalidating the hashes already in state.
const (
	woHashTime    uint32 = 2
	woHashMemory  uint32 = 19 * 1024 // KiB
	woHashThreads uint8  = 1
	woHashKeyLen  uint32 = 32
	woHashSaltLen        = 16
)

// passwordWOHash is the record in private state. Private state is stored
// in the state file (base64): this is a salted, slow hash at rest there.
type passwordWOHash struct {
	Alg     string `json:"alg"` // "argon2id"
	Version int    `json:"v"`   // argon2.Version (0x13)
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
	Salt    []byte `json:"salt"` // base64 in JSON
	Hash    []byte `json:"hash"`
}

// newPasswordWOHash hashes pw with a new random salt.
func newPasswordWOHash(pw string) (*passwordWOHash, error) {
	salt := make([]byte, woHashSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	woHashSlots <- struct{}{}
	defer func() { <-woHashSlots }()
	h := &passwordWOHash{Alg: "argon2id", Version: argon2.Version, Time: woHashTime, Memory: woHashMemory, Threads: woHashThreads, Salt: salt}
	h.Hash = argon2.IDKey([]byte(pw), salt, h.Time, h.Memory, h.Threads, woHashKeyLen)
	return h, nil
}

// woHashSlots bounds the hashes computed at once to the CPUs: Terraform
// plans up to -parallelism (10) resources at a time, and more hashes than
// CPUs would only hold more 19 MiB blocks in memory, and finish no sooner.
var woHashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// matches says whether pw is the password hashed, with the record's own
// parameters, in constant time.
func (h *passwordWOHash) matches(pw string) bool {
	woHashSlots <- struct{}{}
	defer func() { <-woHashSlots }()
	got := argon2.IDKey([]byte(pw), h.Salt, h.Time, h.Memory, h.Threads, uint32(len(h.Hash))) //nolint:gosec // G115: a 32-byte hash
	return subtle.ConstantTimeCompare(got, h.Hash) == 1
}

// usable says whether the record can be compared: one this provider wrote,
// with parameters it would accept (an edited state must not make a plan
// allocate gigabytes).
func (h *passwordWOHash) usable() bool {
	return h.Alg == "argon2id" && h.Version == argon2.Version && h.Time >= 1 && h.Time <= 10 &&
		h.Memory >= 8 && h.Memory <= 256*1024 && h.Threads >= 1 && len(h.Salt) >= 8 && len(h.Hash) >= 16 && len(h.Hash) <= 64
}

// getPasswordWOHash reads the record; nil when there is none, or it cannot
// be used (then the plan sets the password, which writes a new one).
func getPasswordWOHash(ctx context.Context, p privateState) (*passwordWOHash, diag.Diagnostics) {
	raw, diags := p.GetKey(ctx, passwordWOHashKey)
	if diags.HasError() || len(raw) == 0 {
		return nil, diags
	}
	var h passwordWOHash
	if err := json.Unmarshal(raw, &h); err != nil || !h.usable() {
		tflog.Warn(ctx, "ignoring unreadable private state", map[string]any{"key": passwordWOHashKey})
		return nil, diags
	}
	return &h, diags
}

// recordPasswordWO keeps the hash of wo in private state when detect is
// true, and removes any hash otherwise.
func (r *userPasswordResource) recordPasswordWO(ctx context.Context, p privateState, detect bool, wo types.String) diag.Diagnostics {
	if !detect || wo.IsNull() || wo.IsUnknown() {
		return p.SetKey(ctx, passwordWOHashKey, nil) // removes the key
	}
	var diags diag.Diagnostics
	h, err := newPasswordWOHash(wo.ValueString())
	if err == nil {
		var raw []byte
		if raw, err = json.Marshal(h); err == nil {
			r.data.observed("password_wo hash", base64.StdEncoding.EncodeToString(h.Hash))
			return p.SetKey(ctx, passwordWOHashKey, raw)
		}
	}
	diags.AddWarning("Unable To Record Password Hash",
		"The password was set, but its hash could not be kept for password_wo_detect_change ("+err.Error()+"), so the "+
			"next plan sets it again.")
	return diags
}

// passwordWOChanged says, at plan time, whether password_wo_detect_change
// asks for a set: the option was on at the last apply and the configured
// password_wo is unknown, or no hash was kept, or the hash no longer
// matches. Turning the option on plans no set: the update that records the
// option records the hash of the configured value (see Update).
func passwordWOChanged(ctx context.Context, cfg tfsdk.Config, private privateState, state, planned *userPasswordModel) (changed bool, why string, diags diag.Diagnostics) {
	if !planned.PasswordWODetectChange.ValueBool() || state == nil || !state.PasswordWODetectChange.ValueBool() {
		return false, "", nil
	}
	wo, diags := getPasswordWO(ctx, cfg)
	switch {
	case diags.HasError() || wo.IsNull():
		return false, "", diags
	case wo.IsUnknown():
		return true, "password_wo is known only at apply, so it cannot be compared with the password last set", diags
	}
	h, d := getPasswordWOHash(ctx, private)
	diags.Append(d...)
	switch {
	case diags.HasError():
		return false, "", diags
	case h == nil:
		return true, "no usable hash of the password last set is in the state", diags
	}
	start := time.Now() // waiting for a slot included
	same := h.matches(wo.ValueString())
	tflog.Debug(ctx, "password_wo_detect_change: compared password_wo with the hash of the password last set", map[string]any{
		"user_id": planned.UserID.ValueString(), "changed": !same, "hash_ms": time.Since(start).Milliseconds(),
	})
	if !same {
		return true, "password_wo is not the password last set", diags
	}
	return false, "", diags
}
