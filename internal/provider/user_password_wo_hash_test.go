package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// memPrivate is private state in memory.
type memPrivate map[string][]byte

func (m memPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

func (m memPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if len(value) == 0 {
		delete(m, key)
	} else {
		m[key] = value
	}
	return nil
}

// TestPasswordWOHash: a hash matches its password only; each hash has its
// own salt; the record keeps its parameters and refuses ones it would not
// write (an edited state must not make a plan allocate gigabytes).
func TestPasswordWOHash(t *testing.T) {
	const pw = "Write-Only-Passw0rd!"
	a, err := newPasswordWOHash(pw)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newPasswordWOHash(pw)
	if !a.matches(pw) || a.matches(pw+"x") || a.matches("") {
		t.Fatal("the hash does not tell its password from others")
	}
	if string(a.Salt) == string(b.Salt) || string(a.Hash) == string(b.Hash) {
		t.Fatal("two hashes of one password share a salt or a value")
	}
	if a.Time != woHashTime || a.Memory != woHashMemory || a.Threads != woHashThreads || len(a.Hash) != 32 || len(a.Salt) != 16 {
		t.Fatalf("parameters %+v", a)
	}

	ctx := context.Background()
	p := memPrivate{}
	raw, _ := json.Marshal(a)
	p.SetKey(ctx, passwordWOHashKey, raw)
	got, diags := getPasswordWOHash(ctx, p)
	if diags.HasError() || got == nil || !got.matches(pw) {
		t.Fatalf("read back: %v %v", got, diags)
	}
	for name, edit := range map[string]func(h *passwordWOHash){
		"huge memory": func(h *passwordWOHash) { h.Memory = 4 << 20 },
		"argon2i":     func(h *passwordWOHash) { h.Alg = "argon2i" },
		"no salt":     func(h *passwordWOHash) { h.Salt = nil },
	} {
		h := *a
		edit(&h)
		raw, _ := json.Marshal(&h)
		p.SetKey(ctx, passwordWOHashKey, raw)
		if got, _ := getPasswordWOHash(ctx, p); got != nil {
			t.Errorf("%s: the record was used", name)
		}
	}
	p.SetKey(ctx, passwordWOHashKey, []byte("{not json"))
	if got, diags := getPasswordWOHash(ctx, p); got != nil || diags.HasError() {
		t.Errorf("unreadable record: %v %v", got, diags)
	}
}

// BenchmarkPasswordWOHash is the plan-time cost of
// password_wo_detect_change per resource: one argon2id hash of the
// configured password_wo (matches), with the parameters of new hashes.
func BenchmarkPasswordWOHash(b *testing.B) {
	h, err := newPasswordWOHash("Write-Only-Passw0rd!")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !h.matches("Write-Only-Passw0rd!") {
			b.Fatal("no match")
		}
	}
}
