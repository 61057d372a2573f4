package idaas

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// searchBodies are the recorded userspaged bodies, decoded.
func (env *testEnv) searchBodies(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range env.Emu.Recorder.Match(http.MethodPost, "/userspaged") {
		var m map[string]any
		if err := json.Unmarshal(r.Body, &m); err != nil {
			t.Fatalf("recorded body is not JSON: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func (env *testEnv) pages() int { return env.Emu.Recorder.Count(http.MethodPost, "/userspaged") }

func TestListFilters(t *testing.T) {
	env := newEnv(t)
	var _ backend.Lister = env.b
	if got, want := env.b.ListFilters(), (backend.ListFilters{Supported: true, NamePrefix: true, Status: true}); got != want {
		t.Fatalf("ListFilters() = %+v, want %+v", got, want)
	}
}

func TestListUsersPages(t *testing.T) {
	env := newEnv(t)
	seeded := env.Emu.SeedUsers(250)
	users, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), backend.ListInput{}))
	if err != nil {
		t.Fatal(err)
	}
	backendtest.CheckSameIDs(t, users, append(seeded, emulator.UserAlice, emulator.UserBob, emulator.UserCarol, emulator.UserDave))
	names := backendtest.ListedNames(users)
	if !slices.IsSorted(names) {
		t.Errorf("not in login-name order: %v", names[:8])
	}
	bodies := env.searchBodies(t)
	if len(bodies) != 3 {
		t.Fatalf("%d search requests for 254 users, want 3 pages of 100", len(bodies))
	}
	if bodies[0]["limit"] != float64(100) || bodies[0]["cursor"] != nil || bodies[0]["orderByAttribute"] == nil {
		t.Errorf("first page asked %v", bodies[0])
	}
	for _, b := range bodies[1:] {
		// With a cursor IDaaS ignores the search: only cursor and limit go.
		if len(b) != 2 || b["cursor"] == nil || b["limit"] != float64(100) {
			t.Errorf("a later page asked %v", b)
		}
	}
	alice := users[slices.IndexFunc(users, func(u backend.ListedUser) bool { return u.ID == emulator.UserAlice })]
	if alice.Name != "alice" || alice.Email != "alice@example.com" || alice.Enabled == nil || !*alice.Enabled {
		t.Errorf("alice listed as %+v", alice)
	}
	carol := users[slices.IndexFunc(users, func(u backend.ListedUser) bool { return u.ID == emulator.UserCarol })]
	if carol.Enabled == nil || *carol.Enabled {
		t.Errorf("locked carol listed as %+v, want Enabled false", carol)
	}
}

func TestListUsersFilters(t *testing.T) {
	env := newEnv(t)
	env.Emu.SeedUsers(30)
	env.Emu.AddUser(emulator.User{ID: "a1a50000-0000-4000-8000-000000000001", UserID: "zed", Aliases: []string{"user-alias"}})
	tests := []struct {
		name  string
		in    backend.ListInput
		want  func(backend.ListedUser) bool
		count int
		attrs []any
	}{
		{"name prefix", backend.ListInput{NamePrefix: "user001", PageSize: 4}, func(u backend.ListedUser) bool { return strings.HasPrefix(u.Name, "user001") }, 10,
			[]any{map[string]any{"name": "userId", "operator": "STARTS_WITH", "value": "user001"}}},
		// IDaaS's userId matches aliases too: zed is found by its alias.
		{"alias prefix", backend.ListInput{NamePrefix: "user-"}, func(u backend.ListedUser) bool { return u.Name == "zed" }, 1,
			[]any{map[string]any{"name": "userId", "operator": "STARTS_WITH", "value": "user-"}}},
		{"disabled", backend.ListInput{Status: backend.StatusDisabled, PageSize: 3}, func(u backend.ListedUser) bool { return !*u.Enabled }, 11,
			[]any{map[string]any{"name": "state", "operator": "EQUALS", "value": "INACTIVE"}}},
		// The search has no email attribute: an email prefix is applied to each page here.
		{"email prefix", backend.ListInput{EmailPrefix: "BOB@"}, func(u backend.ListedUser) bool { return u.Name == "bob" }, 1, nil},
		{"enabled and prefix", backend.ListInput{Status: backend.StatusEnabled, NamePrefix: "USER002"}, func(u backend.ListedUser) bool { return *u.Enabled }, 7,
			[]any{map[string]any{"name": "userId", "operator": "STARTS_WITH", "value": "USER002"}, map[string]any{"name": "state", "operator": "EQUALS", "value": "ACTIVE"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.Emu.Recorder.Clear()
			users, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != tt.count {
				t.Errorf("%d users, want %d: %v", len(users), tt.count, backendtest.ListedNames(users))
			}
			for _, u := range users {
				if !tt.want(u) {
					t.Errorf("listed %+v", u)
				}
			}
			first := env.searchBodies(t)[0]
			if got, _ := json.Marshal(first["searchByAttributes"]); string(got) != mustJSON(t, tt.attrs) {
				t.Errorf("searchByAttributes %s, want %s", got, mustJSON(t, tt.attrs))
			}
			if size := backend.PageSize(tt.in.PageSize, 100, 100); env.pages() != max(1, (tt.count+size-1)/size) {
				t.Errorf("%d pages for %d users of %d a page", env.pages(), tt.count, size)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestListUsersStopsWhenTheConsumerStops(t *testing.T) {
	env := newEnv(t)
	env.Emu.SeedUsers(40)
	backendtest.CheckStops(t, env.b.ListUsers, env.pages, 2, 5, 3)
}

func TestListUsersErrorMidListing(t *testing.T) {
	env := newEnv(t)
	env.Emu.SeedUsers(20)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodPost, PathContains: "/userspaged", BodyContains: `"cursor"`,
		Status: http.StatusForbidden, Body: `{"errorCode":"ACCESS_DENIED","errorMessage":"The administrator does not have the permission USERS:VIEW.","parameters":[]}`, Times: 1})
	users, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	if len(users) != 10 {
		t.Errorf("%d users before the error, want the first page's 10", len(users))
	}
	ae := backendtest.AsAPIError(t, err)
	if ae.StatusCode != http.StatusForbidden || ae.NotFound || !strings.Contains(ae.Hint, "USERS:VIEW") || ae.Operation != "list users" {
		t.Errorf("error %+v", ae)
	}
	backendtest.CheckError(t, err, Name, func(*backend.APIError) bool { return false }, emulator.TestSharedSecret)
}

func TestListUsersForgottenCursor(t *testing.T) {
	env := newEnv(t)
	env.Emu.SeedUsers(20)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultHook, BodyContains: `"cursor"`, Hook: func(*http.Request, []byte) { env.Emu.ForgetCursors() }, Times: 1})
	users, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	ae := backendtest.AsAPIError(t, err)
	if len(users) != 10 || ae.StatusCode != http.StatusBadRequest || ae.Code != "INVALID_PAGING_CURSOR" || !strings.Contains(ae.Hint, "list again") {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
}

func TestListUsersReauthenticatesMidListing(t *testing.T) {
	env := newEnv(t)
	env.Emu.SeedUsers(20)
	env.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultHook, BodyContains: `"cursor"`, Hook: func(*http.Request, []byte) { env.Emu.RevokeTokens() }, Times: 1})
	users, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	if err != nil || len(users) != 24 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if env.Emu.Authentications() != 2 {
		t.Errorf("%d authentications, want 2", env.Emu.Authentications())
	}
}

func TestListUsersPermission(t *testing.T) {
	env := newEnv(t)
	env.Emu.SetPermissions([]string{emulator.PermPasswordsEdit})
	_, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), backend.ListInput{}))
	if ae := backendtest.AsAPIError(t, err); ae.StatusCode != http.StatusForbidden || !strings.Contains(ae.Hint, "USERS:VIEW") {
		t.Errorf("error %+v", ae)
	}
}

func TestListUsersRefusesBadInput(t *testing.T) {
	env := newEnv(t)
	for _, in := range []backend.ListInput{{Status: "locked"}, {PageSize: -1}} {
		if _, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), in)); err == nil {
			t.Errorf("%+v accepted", in)
		}
	}
	if env.pages() != 0 {
		t.Error("a request was sent")
	}
	// A page size over the API's 100 is asked as 100.
	if _, err := backendtest.Collect(t, env.b.ListUsers(context.Background(), backend.ListInput{PageSize: 500})); err != nil {
		t.Fatal(err)
	}
	if got := env.searchBodies(t)[0]["limit"]; got != float64(100) {
		t.Errorf("limit %v, want 100", got)
	}
}

func TestListUsersLogsNoSecret(t *testing.T) {
	env := newEnv(t)
	env.Emu.SeedUsers(12)
	backendtest.CheckListLogs(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
		return env.b.ListUsers(ctx, backend.ListInput{PageSize: 5})
	}, func() []string { return []string{emulator.TestSharedSecret, env.b.tokens.Current()} })
}
