package finspace

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
)

func (f *fixture) pages() int { return len(f.listRequests()) }

func (f *fixture) listRequests() []emu.Request {
	var out []emu.Request
	for _, r := range f.emu.Recorder.Match(http.MethodGet, "/user") {
		if r.Path == "/user" {
			out = append(out, r)
		}
	}
	return out
}

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	if got := f.backend(t).ListFilters(); got != (backend.ListFilters{Supported: true}) {
		t.Fatalf("ListFilters() = %+v: ListUsers has no filters", got)
	}
}

func TestListUsersPages(t *testing.T) {
	f := newFixture(t)
	seeded := f.emu.SeedUsers(230)
	users, err := backendtest.Collect(t, f.backend(t).ListUsers(context.Background(), backend.ListInput{}))
	if err != nil {
		t.Fatal(err)
	}
	backendtest.CheckSameIDs(t, users, append(seeded, emulator.SuperUserID, emulator.AppUserID, emulator.DisabledUserID))
	reqs := f.listRequests()
	if len(reqs) != 3 {
		t.Fatalf("%d ListUsers requests for 233 users, want 3 of 100", len(reqs))
	}
	for i, r := range reqs {
		if r.Query.Get("maxResults") != "100" || (i == 0) != (r.Query.Get("nextToken") == "") || r.Status != http.StatusOK {
			t.Errorf("request %d: %v → %d", i, r.Query, r.Status)
		}
	}
	for _, u := range users {
		if u.ID == emulator.DisabledUserID && (u.Enabled == nil || *u.Enabled || u.Email != "carol@example.com" || u.Name != "Carol Former") {
			t.Errorf("carol listed as %+v", u)
		}
	}
}

func TestListUsersClientSideFilters(t *testing.T) {
	f := newFixture(t)
	f.emu.SeedUsers(25)
	b := f.backend(t)
	backendtest.CheckClientSideFilters(t, b.ListUsers, f.emu.Recorder.Clear, f.pages, 28, []backendtest.FilterCase{
		{In: backend.ListInput{EmailPrefix: "USER001", PageSize: 7}, Want: 10},
		{In: backend.ListInput{Status: backend.StatusDisabled, PageSize: 4}, Want: 9}, // 8 seeded + carol
		{In: backend.ListInput{NamePrefix: "alice a"}, Want: 1},
	}, func() {
		for _, r := range f.listRequests() {
			if len(r.Query) > 2 {
				t.Errorf("a filter reached the wire: %v", r.Query)
			}
		}
	})
}

func TestListUsersStopsWhenTheConsumerStops(t *testing.T) {
	f := newFixture(t)
	f.emu.SeedUsers(40)
	b := f.backend(t)
	backendtest.CheckStops(t, b.ListUsers, f.pages, 3, 7, 3)
}

func TestListUsersErrorMidListing(t *testing.T) {
	f := newFixture(t)
	f.emu.SeedUsers(20)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodGet, QueryContains: "nextToken=", Status: http.StatusInternalServerError,
		Body: `{"message":"Internal failure."}`, Times: 1})
	users, err := backendtest.Collect(t, f.backend(t).ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	ae := backendtest.AsAPIError(t, err)
	if len(users) != 10 || ae.StatusCode != http.StatusInternalServerError || ae.NotFound {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
	backendtest.CheckError(t, err, Name, func(*backend.APIError) bool { return false }, emulator.TestSecretAccessKey)
}

func TestListUsersExpiredToken(t *testing.T) {
	f := newFixture(t)
	f.emu.SeedUsers(20)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultHook, QueryContains: "nextToken=", Hook: func(*http.Request, []byte) { f.emu.ForgetPageTokens() }, Times: 1})
	users, err := backendtest.Collect(t, f.backend(t).ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	ae := backendtest.AsAPIError(t, err)
	if len(users) != 10 || ae.StatusCode != http.StatusBadRequest || ae.Code != "ValidationException" || !strings.Contains(ae.Hint, "list again") {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
}

func TestListUsersThrottledPageRetried(t *testing.T) {
	f := newFixture(t)
	f.emu.SeedUsers(20)
	f.emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, QueryContains: "nextToken=", Status: http.StatusTooManyRequests, Body: `{}`, Times: 1})
	users, err := backendtest.Collect(t, f.backend(t).ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	if err != nil || len(users) != 23 {
		t.Fatalf("%d users, %v", len(users), err)
	}
}

func TestListUsersAppUserDenied(t *testing.T) {
	f := newFixture(t)
	setCreds(t, emulator.TestAppUserAccessKeyID, emulator.TestAppUserSecretAccessKey, "")
	_, err := backendtest.Collect(t, f.backend(t).ListUsers(context.Background(), backend.ListInput{}))
	if ae := backendtest.AsAPIError(t, err); ae.StatusCode != http.StatusForbidden || ae.Code != "AccessDeniedException" {
		t.Errorf("error %+v", ae)
	}
}

func TestListUsersLogsNoSecret(t *testing.T) {
	f := newFixture(t)
	f.emu.SeedUsers(12)
	setCreds(t, emulator.TestSessionAccessKeyID, emulator.TestSessionSecretAccessKey, emulator.TestSessionToken)
	b := f.backend(t)
	backendtest.CheckListLogs(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
		return b.ListUsers(ctx, backend.ListInput{PageSize: 5})
	}, func() []string { return []string{emulator.TestSessionSecretAccessKey, emulator.TestSessionToken} })
}
