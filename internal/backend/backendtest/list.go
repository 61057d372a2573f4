package backendtest

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// Collect runs a ListUsers sequence to its end and returns what it
// yielded. It fails the test when the sequence breaks backend.Lister's
// contract: an error that is not the last value, or that comes with a
// non-zero user.
func Collect(tb testing.TB, seq iter.Seq2[backend.ListedUser, error]) ([]backend.ListedUser, error) {
	tb.Helper()
	var users []backend.ListedUser
	var last error
	seq(func(u backend.ListedUser, err error) bool {
		if last != nil {
			tb.Fatalf("a value after the error %v", last)
		}
		if err != nil {
			if u != (backend.ListedUser{}) {
				tb.Errorf("the error %v comes with a user %+v", err, u)
			}
			last = err
			return true
		}
		users = append(users, u)
		return true
	})
	return users, last
}

// Take takes the first n users of a ListUsers sequence and stops it
// (yield answers false); it fails the test on an error.
func Take(tb testing.TB, seq iter.Seq2[backend.ListedUser, error], n int) []backend.ListedUser {
	tb.Helper()
	var users []backend.ListedUser
	for u, err := range seq {
		if err != nil {
			tb.Fatalf("after %d users: %v", len(users), err)
		}
		users = append(users, u)
		if len(users) == n {
			break
		}
	}
	return users
}

// ListedIDs are the users' ids, in order.
func ListedIDs(users []backend.ListedUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// ListedNames are the users' names, in order.
func ListedNames(users []backend.ListedUser) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.Name
	}
	return out
}

// CheckSameIDs fails the test unless got holds exactly the ids of want
// (in any order), each once.
func CheckSameIDs(tb testing.TB, got []backend.ListedUser, want []string) {
	tb.Helper()
	ids := slices.Sorted(slices.Values(ListedIDs(got)))
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(ids, want) {
		tb.Fatalf("listed %d users, want %d:\n got  %v\n want %v", len(ids), len(want), ids, want)
	}
}

// CheckCancelled checks that a listing whose context is cancelled after
// its first user ends with the context's error, yielded last, and that it
// sent no request after the first page (pages counts the list requests
// the service received).
func CheckCancelled(t *testing.T, list func(ctx context.Context) iter.Seq2[backend.ListedUser, error], pages func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := pages()
	var n int
	var last error
	for u, err := range list(ctx) {
		if err != nil {
			last = err
			continue
		}
		if u.ID == "" {
			t.Error("a user without an id")
		}
		n++
		cancel()
	}
	if n == 0 || last == nil || !errorsIsCanceled(last) {
		t.Fatalf("after cancel: %d users, last error %v; want users, then context.Canceled", n, last)
	}
	if got := pages() - before; got != 1 {
		t.Errorf("%d list requests, want 1 (the first page)", got)
	}
}

func errorsIsCanceled(err error) bool { return errors.Is(err, context.Canceled) }

// CheckFuzzedListing runs a listing whose list requests get a fuzzed
// answer (every page the same one): it must end, within a minute, with an
// error that comes once and last, passes CheckError with no missing user
// (a listing has none to miss), and holds none of the secrets.
func CheckFuzzedListing(t *testing.T, list func(ctx context.Context) iter.Seq2[backend.ListedUser, error], backendName string, secrets ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := Collect(t, list(ctx))
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("the listing did not end")
	}
	CheckError(t, err, backendName, func(*backend.APIError) bool { return false }, secrets...)
}

// CheckStops checks that a listing fetches no page its consumer does not
// need: taking the first take users at pageSize a page sends wantPages
// list requests (pages counts those the service received), and a listing
// whose context is cancelled stops after its first page (CheckCancelled).
func CheckStops(t *testing.T, list func(context.Context, backend.ListInput) iter.Seq2[backend.ListedUser, error], pages func() int, pageSize, take, wantPages int) {
	t.Helper()
	before := pages()
	if users := Take(t, list(context.Background(), backend.ListInput{PageSize: pageSize}), take); len(users) != take {
		t.Fatalf("%d users, want %d", len(users), take)
	}
	if got := pages() - before; got != wantPages {
		t.Errorf("%d pages fetched for the first %d users at %d a page, want %d", got, take, pageSize, wantPages)
	}
	CheckCancelled(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
		return list(ctx, backend.ListInput{PageSize: pageSize})
	}, pages)
}

// CheckListLogs runs a listing with a root logger at TRACE and checks that
// its log holds the requests (so that there was something to look at) and
// none of secrets() (asked after the listing: the tokens it obtained).
func CheckListLogs(t *testing.T, list func(ctx context.Context) iter.Seq2[backend.ListedUser, error], secrets func() []string) {
	t.Helper()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	if _, err := Collect(t, list(ctx)); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	if !strings.Contains(log, "identity API request") {
		t.Fatal("the listing logged no request")
	}
	for _, s := range secrets() {
		if s == "" {
			t.Fatal("an empty secret to look for")
		}
		if strings.Contains(log, s) {
			t.Errorf("the log holds a secret (%d characters)", len(s))
		}
	}
}

// FilterCase is a ListInput and how many users it lists.
type FilterCase struct {
	In   backend.ListInput
	Want int
}

// CheckClientSideFilters checks a listing whose API filters by nothing in
// ListInput: each case lists its Want users and fetches every page of the
// total users there are. reset forgets the requests the service recorded
// (pages counts them); after, when set, checks them once a case is listed.
func CheckClientSideFilters(t *testing.T, list func(context.Context, backend.ListInput) iter.Seq2[backend.ListedUser, error], reset func(), pages func() int, total int, cases []FilterCase, after func()) {
	t.Helper()
	for _, c := range cases {
		reset()
		users, err := Collect(t, list(context.Background(), c.In))
		if err != nil || len(users) != c.Want {
			t.Errorf("%+v: %d users (%v), want %d", c.In, len(users), err, c.Want)
		}
		size := backend.PageSize(c.In.PageSize, 100, 100)
		if want := (total + size - 1) / size; pages() != want {
			t.Errorf("%+v: %d pages, want %d: the filter is applied here, to every page", c.In, pages(), want)
		}
		if after != nil {
			after()
		}
	}
}
