package huawei

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
)

const usersPath = "/v1/identity-stores/" + emulator.TestIdentityStoreID + "/users"

func (s *sandbox) listRequests() []emu.Request {
	var out []emu.Request
	for _, r := range s.Emu.Recorder.Match(http.MethodGet, usersPath) {
		if r.Path == usersPath {
			out = append(out, r)
		}
	}
	return out
}

func (s *sandbox) pages() int { return len(s.listRequests()) }

func TestListFilters(t *testing.T) {
	s := newSandbox(t)
	if got := s.client(t, s.config()).ListFilters(); got != (backend.ListFilters{Supported: true}) {
		t.Fatalf("ListFilters() = %+v: user_name is an exact match, not a prefix", got)
	}
}

func TestListUsersPages(t *testing.T) {
	s := newSandbox(t)
	seeded := s.Emu.SeedUsers(205)
	users, err := backendtest.Collect(t, s.client(t, s.config()).ListUsers(context.Background(), backend.ListInput{}))
	if err != nil {
		t.Fatal(err)
	}
	backendtest.CheckSameIDs(t, users, append(seeded, emulator.UserAlice, emulator.UserBob, emulator.UserCarol))
	reqs := s.listRequests()
	if len(reqs) != 3 {
		t.Fatalf("%d ListUsers requests for 208 users, want 3 of 100", len(reqs))
	}
	for i, r := range reqs {
		if r.Query.Get("limit") != "100" || (i == 0) != (r.Query.Get("marker") == "") || r.Query.Has("user_name") {
			t.Errorf("request %d: %v", i, r.Query)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "SDK-HMAC-SHA256 ") {
			t.Errorf("request %d is not signed", i)
		}
	}
	for _, u := range users {
		if u.ID == emulator.UserCarol && (u.Name != "carol" || u.Email != "carol@example.com" || u.Enabled == nil || *u.Enabled) {
			t.Errorf("carol listed as %+v", u)
		}
	}
}

func TestListUsersClientSideFilters(t *testing.T) {
	s := newSandbox(t)
	s.Emu.SeedUsers(22)
	b := s.client(t, s.config())
	backendtest.CheckClientSideFilters(t, b.ListUsers, s.Emu.Recorder.Clear, s.pages, 25, []backendtest.FilterCase{
		{In: backend.ListInput{NamePrefix: "user001", PageSize: 6}, Want: 10},
		{In: backend.ListInput{EmailPrefix: "ALICE@"}, Want: 1},
		{In: backend.ListInput{Status: backend.StatusEnabled, PageSize: 5}, Want: 17}, // 15 seeded + alice, bob
	}, nil)
}

func TestListUsersStopsWhenTheConsumerStops(t *testing.T) {
	s := newSandbox(t)
	s.Emu.SeedUsers(30)
	b := s.client(t, s.config())
	backendtest.CheckStops(t, b.ListUsers, s.pages, 4, 4, 1)
}

func TestListUsersErrorMidListing(t *testing.T) {
	s := newSandbox(t)
	s.Emu.SeedUsers(20)
	s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, QueryContains: "marker=", Status: http.StatusForbidden,
		Body: huaweiError("IIC.1000", "The caller is neither the management account nor a delegated administrator", "req-list-1"), Times: 1})
	users, err := backendtest.Collect(t, s.client(t, s.config()).ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	ae := backendtest.AsAPIError(t, err)
	if len(users) != 10 || ae.StatusCode != http.StatusForbidden || ae.Code != "IIC.1000" || ae.RequestID != "req-list-1" {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
	backendtest.CheckError(t, err, backendName, func(*backend.APIError) bool { return false }, emulator.TestSecretKey)
}

func TestListUsersExpiredMarker(t *testing.T) {
	s := newSandbox(t)
	s.Emu.SeedUsers(20)
	s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultHook, QueryContains: "marker=", Hook: func(*http.Request, []byte) { s.Emu.ForgetMarkers() }, Times: 1})
	users, err := backendtest.Collect(t, s.client(t, s.config()).ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	ae := backendtest.AsAPIError(t, err)
	if len(users) != 10 || ae.StatusCode != http.StatusBadRequest || ae.Code != "IIC.400" || !strings.Contains(ae.Hint, "list again") {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
}

func TestListUsersUnknownStore(t *testing.T) {
	s := newSandbox(t)
	cfg := s.config()
	cfg.IdentityStoreID = "d-0000000000"
	_, err := backendtest.Collect(t, s.client(t, cfg).ListUsers(context.Background(), backend.ListInput{}))
	if ae := backendtest.AsAPIError(t, err); ae.StatusCode != http.StatusNotFound || ae.Code != "IIC.404" || ae.NotFound {
		t.Errorf("error %+v", ae)
	}
}

func TestListUsersLogsNoSecret(t *testing.T) {
	s := newSandbox(t)
	s.Emu.SeedUsers(12)
	b := s.client(t, s.config())
	backendtest.CheckListLogs(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
		return b.ListUsers(ctx, backend.ListInput{PageSize: 5})
	}, func() []string { return []string{emulator.TestSecretKey} })
}
