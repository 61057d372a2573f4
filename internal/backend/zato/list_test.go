package zato

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

func searches(e *zatoemu.Emulator) int {
	return e.Recorder.Count(http.MethodPost, "/zato/sso/user/search")
}

func TestRESTListFilters(t *testing.T) {
	_, b := newREST(t)
	if got := b.ListFilters(); got != (backend.ListFilters{Supported: true}) {
		t.Fatalf("ListFilters() = %+v: the search has no prefix or enabled filter", got)
	}
}

func TestRESTListUsersPages(t *testing.T) {
	e, b := newREST(t)
	seeded := e.SeedUsers(210)
	users, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{}))
	if err != nil {
		t.Fatal(err)
	}
	backendtest.CheckSameIDs(t, users, append(seeded, zatoemu.AdminUserID, zatoemu.AliceUserID, zatoemu.BobUserID, zatoemu.CarolUserID))
	reqs := e.Recorder.Match(http.MethodPost, "/zato/sso/user/search")
	if len(reqs) != 3 {
		t.Fatalf("%d searches for 214 users, want 3 pages of 100", len(reqs))
	}
	for i, r := range reqs {
		body := recordedBody(t, r)
		if body["cur_page"] != float64(i+1) || body["page_size"] != float64(100) || body["paginate"] != true || body["user_id"] != nil {
			t.Errorf("search %d: %v", i, body)
		}
	}
	for _, u := range users {
		if u.ID == zatoemu.CarolUserID && (u.Name != "carol" || u.Enabled == nil || *u.Enabled) {
			t.Errorf("locked carol listed as %+v", u)
		}
		if u.ID == seeded[0] && (u.Email != "user0001@example.com" || u.Enabled == nil || !*u.Enabled) {
			t.Errorf("user0001 listed as %+v", u)
		}
	}
}

func TestRESTListUsersClientSideFilters(t *testing.T) {
	e, b := newREST(t)
	e.SeedUsers(30)
	backendtest.CheckClientSideFilters(t, b.ListUsers, e.Recorder.Clear, func() int { return searches(e) }, 34, []backendtest.FilterCase{
		{In: backend.ListInput{NamePrefix: "USER002", PageSize: 8}, Want: 10},
		{In: backend.ListInput{EmailPrefix: "user003"}, Want: 1},
		{In: backend.ListInput{Status: backend.StatusDisabled, PageSize: 9}, Want: 11}, // 10 seeded + carol
	}, nil)
}

func TestRESTListUsersStopsWhenTheConsumerStops(t *testing.T) {
	e, b := newREST(t)
	e.SeedUsers(30)
	backendtest.CheckStops(t, b.ListUsers, func() int { return searches(e) }, 5, 6, 2)
}

func TestRESTListUsersErrorMidListing(t *testing.T) {
	e, b := newREST(t)
	e.SeedUsers(20)
	// The channel's wrapper of a failed service (zato-server .../http_soap/channel.py:122-140).
	e.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, BodyContains: `"cur_page":2`, Status: http.StatusInternalServerError,
		Body: `{"result":"Error","cid":"0123456789abcdef01234567","details":"Internal server error"}`, Times: 1})
	users, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	ae := backendtest.AsAPIError(t, err)
	if len(users) != 10 || ae.StatusCode != http.StatusInternalServerError || ae.NotFound {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
	backendtest.CheckError(t, err, restName, func(*backend.APIError) bool { return false }, zatoemu.TestPassword)
}

func TestRESTListUsersSessionExpiresMidListing(t *testing.T) {
	e, b := newREST(t)
	e.SeedUsers(20)
	// An expired session on the search is E005001, not E007001: the
	// backend logs in again once and repeats the page.
	e.Faults.Inject(emu.Fault{Kind: emu.FaultHook, BodyContains: `"cur_page":2`, Hook: func(_ *http.Request, body []byte) {
		e.ExpireSession(recordedUST(body))
	}, Times: 1})
	users, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{PageSize: 10}))
	if err != nil || len(users) != 24 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if n := e.Recorder.Count(http.MethodPost, "/zato/sso/user/login"); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

// recordedUST is the ust of a request body.
func recordedUST(body []byte) string {
	_, rest, _ := strings.Cut(string(body), `"ust":"`)
	ust, _, _ := strings.Cut(rest, `"`)
	return ust
}

func TestRESTListUsersNotSuperUser(t *testing.T) {
	e, b := newREST(t)
	e.SetSuperUser(zatoemu.AdminUserID, false)
	_, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{}))
	if ae := backendtest.AsAPIError(t, err); ae.Code != "E005001" || ae.NotFound {
		t.Errorf("error %+v", ae)
	}
}

func TestCLIListUsersNotSupported(t *testing.T) {
	b := &CLIBackend{}
	if b.ListFilters().Supported {
		t.Fatal("the CLI transport says it can list")
	}
	_, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{}))
	if !errors.Is(err, backend.ErrNotSupported) || !strings.Contains(err.Error(), "url") {
		t.Errorf("error %v", err)
	}
}

func TestRESTListUsersLogsNoSecret(t *testing.T) {
	e, b := newREST(t)
	e.SeedUsers(12)
	backendtest.CheckListLogs(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
		return b.ListUsers(ctx, backend.ListInput{PageSize: 5})
	}, func() []string { return []string{zatoemu.TestPassword, b.sessions.Current()} })
}
