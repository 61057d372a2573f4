package ocariot

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
	sandbox "github.com/identityops/terraform-provider-identity/internal/sandbox/ocariot"
)

// listRequests are the recorded listing requests, oldest first.
func (f *fixture) listRequests() []emu.Request {
	var out []emu.Request
	for _, r := range f.Emu.Recorder.Requests() {
		if r.Method == http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

func (f *fixture) pages() int { return len(f.listRequests()) }

// seededIDs are the ids New seeds that a listing shows: the non-admin users.
var seededIDs = []string{sandbox.NoScopeUserID, sandbox.ChildUserID, sandbox.EducatorUserID, sandbox.FamilyUserID}

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	if got := f.backend(t, nil).ListFilters(); got != (backend.ListFilters{Supported: true, NamePrefix: true}) {
		t.Fatalf("ListFilters() = %+v", got)
	}
}

func TestListUsersPages(t *testing.T) {
	f := newFixture(t)
	seeded := f.Emu.SeedUsers(520) // 104 of each type: two pages of 100 each
	users, err := backendtest.Collect(t, f.backend(t, nil).ListUsers(context.Background(), backend.ListInput{}))
	if err != nil {
		t.Fatal(err)
	}
	backendtest.CheckSameIDs(t, users, append(seeded, seededIDs...))
	var paths []string
	for _, r := range f.listRequests() {
		paths = append(paths, r.Path+"?page="+r.Query.Get("page"))
		if r.Query.Get("limit") != "100" || r.Query.Has("username") {
			t.Errorf("%s asked %v", r.Path, r.Query)
		}
	}
	want := "/v1/children?page=1 /v1/children?page=2 /v1/educators?page=1 /v1/educators?page=2 /v1/families?page=1 /v1/families?page=2 " +
		"/v1/healthprofessionals?page=1 /v1/healthprofessionals?page=2 /v1/applications?page=1 /v1/applications?page=2"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("requests\n got  %s\n want %s", got, want)
	}
	for _, u := range users {
		if u.ID == sandbox.ChildUserID && (u.Name != "child.demo" || u.Email != "" || u.Enabled != nil) {
			t.Errorf("child listed as %+v", u)
		}
	}
}

// TestListUsersStopsAtTotal: a type with exactly limit users is done after
// one page, by X-Total-Count.
func TestListUsersStopsAtTotal(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"5eed00000000000000000c01", "5eed00000000000000000c02"} {
		f.Emu.AddTypedUser(id, "kid-"+id[len(id)-2:], "child")
	}
	users, err := backendtest.Collect(t, f.backend(t, nil).ListUsers(context.Background(), backend.ListInput{PageSize: 3}))
	if err != nil || len(users) != 6 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if n := f.Emu.Recorder.Count(http.MethodGet, "/v1/children"); n != 1 {
		t.Errorf("%d pages of 3 children, want 1", n)
	}
}

func TestListUsersNamePrefix(t *testing.T) {
	f := newFixture(t)
	f.Emu.SeedUsers(60)
	f.Emu.AddTypedUser("5eed000000000000000000aa", "User.Dot", "educator")
	f.Emu.AddTypedUser("5eed000000000000000000ab", "userXdot", "educator")
	f.Emu.AddTypedUser("5eed000000000000000000ac", "ánna", "family")
	b := f.backend(t, nil)
	tests := []struct {
		prefix   string
		pageSize int
		want     []string
		query    string
	}{
		// 12 children match: with 5 a page, pages 1-3 are cut from the matches.
		{"user00", 5, nil, `user00*`},
		// "." is escaped: userXdot does not match.
		{"USER.", 0, []string{"User.Dot"}, `USER\.*`},
		// a vowel matches its accented forms (query-strings-parser addAccentsRegex).
		{"anna", 0, []string{"ánna"}, `anna*`},
	}
	for _, tt := range tests {
		f.Emu.Recorder.Clear()
		users, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{NamePrefix: tt.prefix, PageSize: tt.pageSize}))
		if err != nil {
			t.Fatal(err)
		}
		names := backendtest.ListedNames(users)
		if tt.want == nil {
			if len(names) != 60 {
				t.Errorf("%q: %d users", tt.prefix, len(names))
			}
		} else if strings.Join(names, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%q: %v, want %v", tt.prefix, names, tt.want)
		}
		for _, r := range f.listRequests() {
			if r.Query.Get("username") != tt.query {
				t.Errorf("%q: username=%q, want %q", tt.prefix, r.Query.Get("username"), tt.query)
			}
		}
	}
}

// TestListUsersFilterRepeatsItsPage: a filter matching limit users or fewer
// gets the same page whatever the page number (base.repository.ts
// findAll); the listing stops at the page that brings nothing new.
func TestListUsersFilterRepeatsItsPage(t *testing.T) {
	f := newFixture(t)
	f.Emu.SeedUsers(20) // 4 children: user0001, 0006, 0011, 0016
	users, err := backendtest.Collect(t, f.backend(t, nil).ListUsers(context.Background(), backend.ListInput{NamePrefix: "user", PageSize: 4}))
	if err != nil || len(users) != 20 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	reqs := f.Emu.Recorder.Match(http.MethodGet, "/v1/children")
	if len(reqs) != 2 || reqs[1].Query.Get("page") != "2" {
		t.Fatalf("%d children pages", len(reqs))
	}
	if string(reqs[0].Response) != string(reqs[1].Response) {
		t.Errorf("page 2 differs from page 1: the emulator does not repeat the page")
	}
}

func TestListUsersRefusesWildcards(t *testing.T) {
	f := newFixture(t)
	b := f.backend(t, nil)
	for _, p := range []string{"a,b", "a*"} {
		in := backend.ListInput{NamePrefix: p}
		var fe *backend.FilterError
		if err := b.ValidateListInput(in); !errors.As(err, &fe) || fe.Filter != "NamePrefix" {
			t.Errorf("ValidateListInput(%q) = %v", p, err)
		}
		if _, err := backendtest.Collect(t, b.ListUsers(context.Background(), in)); !errors.As(err, &fe) {
			t.Errorf("ListUsers(%q): %v", p, err)
		}
	}
	if err := b.ValidateListInput(backend.ListInput{NamePrefix: "ann.e-1"}); err != nil {
		t.Errorf("a plain prefix refused: %v", err)
	}
	if f.pages() != 0 {
		t.Error("a request was sent")
	}
}

func TestListUsersStopsWhenTheConsumerStops(t *testing.T) {
	f := newFixture(t)
	f.Emu.SeedUsers(50)
	b := f.backend(t, nil)
	backendtest.CheckStops(t, b.ListUsers, f.pages, 4, 5, 2)
}

func TestListUsersErrorMidListing(t *testing.T) {
	f := newFixture(t)
	f.Emu.SeedUsers(20)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultStatus, Method: http.MethodGet, PathContains: "/v1/families", Status: http.StatusInternalServerError,
		Body: `{"code":500,"message":"An internal server error has occurred.","description":"connection lost"}`, Times: 1})
	users, err := backendtest.Collect(t, f.backend(t, nil).ListUsers(context.Background(), backend.ListInput{}))
	ae := backendtest.AsAPIError(t, err)
	// 5 children and 6 educators (4 seeded of each, the demo users, the auditor).
	if len(users) != 11 || ae.StatusCode != http.StatusInternalServerError || !strings.Contains(ae.Operation, "families") {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
	backendtest.CheckError(t, err, name, func(*backend.APIError) bool { return false }, sandbox.TestPassword)
}

func TestListUsersScope(t *testing.T) {
	f := newFixture(t)
	b := f.backend(t, func(c *Config) { c.Username, c.Password = sandbox.TestNoScopeUsername, sandbox.TestNoScopePassword })
	users, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{}))
	ae := backendtest.AsAPIError(t, err)
	// The auditor may list children, educators and families, not health professionals.
	if len(users) != 4 || ae.StatusCode != http.StatusForbidden || !strings.Contains(ae.Hint, "healthprofessionals:readAll") {
		t.Errorf("%d users, error %+v", len(users), ae)
	}
}

func TestListUsersTokenExpiresMidListing(t *testing.T) {
	f := newFixture(t)
	f.Emu.SeedUsers(10)
	b := f.backend(t, nil)
	f.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultHook, PathContains: "/v1/educators", Hook: func(r *http.Request, _ []byte) {
		f.Emu.RevokeToken(r.Header.Get("Authorization"))
	}, Times: 1})
	users, err := backendtest.Collect(t, b.ListUsers(context.Background(), backend.ListInput{}))
	if err != nil || len(users) != 14 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if f.Emu.Logins() != 2 {
		t.Errorf("%d logins, want 2 (the token refused mid-listing)", f.Emu.Logins())
	}
}

func TestListUsersLogsNoSecret(t *testing.T) {
	f := newFixture(t)
	f.Emu.SeedUsers(12)
	b := f.backend(t, nil)
	backendtest.CheckListLogs(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
		return b.ListUsers(ctx, backend.ListInput{PageSize: 2, NamePrefix: "user"})
	}, func() []string { return []string{sandbox.TestPassword, b.currentToken()} })
}
