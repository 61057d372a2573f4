package zato

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// expirePatches are the recorded PATCH /zato/sso/user requests (the
// password endpoint excluded).
func expirePatches(e *zatoemu.Emulator) []emu.Request {
	var out []emu.Request
	for _, r := range e.Recorder.Match(http.MethodPatch, "/zato/sso/user") {
		if r.Path == "/zato/sso/user" {
			out = append(out, r)
		}
	}
	return out
}

func TestRESTExpirePassword(t *testing.T) {
	e, b := newREST(t)
	before, _ := e.GetUser(zatoemu.AliceUserID)
	if before.MustChange {
		t.Fatal("alice must change her password already")
	}
	if err := b.ExpirePassword(context.Background(), zatoemu.AliceUserID); err != nil {
		t.Fatal(err)
	}
	after, _ := e.GetUser(zatoemu.AliceUserID)
	if !after.MustChange {
		t.Error("password_must_change is not set")
	}
	if after.Password != before.Password || !after.PasswordLastSet.Equal(before.PasswordLastSet) || !after.PasswordExpiry.Equal(before.PasswordExpiry) {
		t.Errorf("the password or its times changed: %+v, was %+v", after, before)
	}
	if n := len(e.IssuedPasswords(zatoemu.AliceUserID)); n != 1 {
		t.Errorf("alice has had %d passwords, want her seed only", n)
	}
	patches := expirePatches(e)
	if len(patches) != 1 {
		t.Fatalf("%d PATCH /zato/sso/user, want 1", len(patches))
	}
	body := recordedBody(t, patches[0])
	if len(body) != 4 || body["user_id"] != zatoemu.AliceUserID || body["password_must_change"] != true ||
		body["current_app"] != zatoemu.TestCurrentApp || body["ust"] == "" {
		t.Errorf("body %v, want exactly ust, current_app, user_id and password_must_change: true", body)
	}
	if n := e.Recorder.Count(http.MethodPatch, "/zato/sso/user/password"); n != 0 {
		t.Errorf("%d password PATCHes, want 0", n)
	}
}

func TestRESTExpirePasswordErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		user     string
		fault    *emu.Fault
		notFound bool
		want     string
	}{
		"unknown user":            {user: "zusr0nobody0000000000000000", notFound: true, want: "no user with this user_id"},
		"the provider's own user": {user: zatoemu.AdminUserID, want: "the provider's own super-user"},
		"refused": {user: zatoemu.AliceUserID, want: "E008002", fault: &emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPatch,
			BodyContains: zatoemu.AliceUserID, Status: 403, Body: `{"cid":"c","status":"error","sub_status":["E008002"]}`, Times: 1}},
	} {
		t.Run(name, func(t *testing.T) {
			e, b := newREST(t)
			if tc.fault != nil {
				e.Faults.Inject(*tc.fault)
			}
			err := b.ExpirePassword(context.Background(), tc.user)
			ae := backendtest.AsAPIError(t, err)
			if !strings.Contains(ae.Error(), tc.want) || !strings.Contains(ae.Operation, "must-change flag") ||
				errors.Is(err, backend.ErrNotFound) != tc.notFound {
				t.Errorf("%#v, want %q (not found: %t)", ae, tc.want, tc.notFound)
			}
			if errors.Is(err, backend.ErrPasswordMayHaveChanged) {
				t.Error("a refusal says the password may have been expired")
			}
			if u, _ := e.GetUser(tc.user); u.MustChange {
				t.Error("the user must change the password")
			}
			if n, want := len(expirePatches(e)), map[bool]int{true: 1, false: 0}[tc.fault != nil]; n != want {
				t.Errorf("%d PATCH /zato/sso/user, want %d", n, want)
			}
		})
	}
	t.Run("user deleted after the search", func(t *testing.T) {
		e, b := newREST(t)
		user := e.AddUser(zatoemu.User{Username: "gone", Password: "Gone-Before-Patch-81"})
		e.Faults.Inject(emu.Fault{Kind: emu.FaultHook, Method: http.MethodPatch, BodyContains: user, Times: 1,
			Hook: func(*http.Request, []byte) { e.DeleteUser(user) }})
		err := b.ExpirePassword(context.Background(), user)
		if !errors.Is(err, backend.ErrNotFound) || errors.Is(err, backend.ErrPasswordMayHaveChanged) {
			t.Errorf("err = %v, want a not-found error", err)
		}
	})
	t.Run("bad user id", func(t *testing.T) {
		e, b := newREST(t)
		if err := b.ExpirePassword(context.Background(), "zusr/../x"); err == nil {
			t.Fatal("no error")
		}
		if n := len(e.Recorder.Requests()); n != 0 {
			t.Errorf("%d requests for a refused user id", n)
		}
	})
	t.Run("lost answer is not repeated", func(t *testing.T) {
		e, b := newREST(t)
		e.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPatch, BodyContains: zatoemu.AliceUserID, Times: 1})
		err := b.ExpirePassword(context.Background(), zatoemu.AliceUserID)
		if !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
			t.Fatalf("err = %v, want one marked ErrPasswordMayHaveChanged", err)
		}
		if n := len(expirePatches(e)); n != 1 {
			t.Errorf("%d PATCHes, want 1 (not retried once Zato may have acted)", n)
		}
		if u, _ := e.GetUser(zatoemu.AliceUserID); !u.MustChange {
			t.Error("the emulator did not act before dropping the answer")
		}
	})
	t.Run("unreadable success", func(t *testing.T) {
		e, b := newREST(t)
		e.Faults.Inject(emu.Fault{Kind: emu.FaultMalformed, Method: http.MethodPatch, BodyContains: zatoemu.AliceUserID, Times: 1})
		if err := b.ExpirePassword(context.Background(), zatoemu.AliceUserID); !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
			t.Fatalf("err = %v, want one marked ErrPasswordMayHaveChanged", err)
		}
	})
	t.Run("refused before acting is retried", func(t *testing.T) {
		e, b := newREST(t)
		e.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPatch, BodyContains: zatoemu.AliceUserID, Status: 503, Body: "busy", Times: 1})
		if err := b.ExpirePassword(context.Background(), zatoemu.AliceUserID); err != nil {
			t.Fatal(err)
		}
		if n := len(expirePatches(e)); n != 2 {
			t.Errorf("%d PATCHes, want 2 (a 503 cannot have acted)", n)
		}
	})
}
