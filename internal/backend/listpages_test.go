package backend

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// pagesOf serves pages of users numbered 0..n-1, size a page, cursor = index.
func pagesOf(n, size int, fetched *int) PageFunc[int] {
	return func(_ context.Context, at int) ([]ListedUser, int, bool, error) {
		*fetched++
		var out []ListedUser
		for i := at; i < min(at+size, n); i++ {
			out = append(out, ListedUser{ID: fmt.Sprint(i), Name: fmt.Sprintf("u%d", i)})
		}
		return out, at + size, at+size < n, nil
	}
}

func TestPages(t *testing.T) {
	var fetched int
	var got []string
	for u, err := range Pages(context.Background(), "B", "list users", 0, pagesOf(10, 3, &fetched), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.ID)
	}
	if len(got) != 10 || fetched != 4 {
		t.Fatalf("%d users in %d pages", len(got), fetched)
	}
	fetched = 0
	for _, err := range Pages(context.Background(), "B", "list users", 0, pagesOf(10, 3, &fetched), nil) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if fetched != 1 {
		t.Errorf("%d pages fetched after a stop on the first user", fetched)
	}
}

func TestPagesStuckCursor(t *testing.T) {
	fetch := func(_ context.Context, at string) ([]ListedUser, string, bool, error) {
		return []ListedUser{{ID: "a"}, {ID: "b"}}, "same", true, nil
	}
	var n int
	var last error
	for u, err := range Pages(context.Background(), "B", "list users", "", fetch, nil) {
		if err != nil {
			last = err
			continue
		}
		if last != nil {
			t.Fatal("a user after the error")
		}
		n++
		_ = u
	}
	var ae *APIError
	// The first page, then "same" again: a repeated user is not yielded twice.
	if n != 2 || !errors.As(last, &ae) || ae.Backend != "B" {
		t.Fatalf("%d users, last error %v", n, last)
	}
}

func TestClientSide(t *testing.T) {
	yes, no := true, false
	users := []ListedUser{{ID: "1", Name: "Alice", Email: "a@x", Enabled: &yes}, {ID: "2", Name: "bob", Email: "b@x", Enabled: &no}, {ID: "3", Name: "alan"}}
	tests := []struct {
		in     ListInput
		server ListFilters
		want   int
	}{
		{ListInput{}, ListFilters{}, 3},
		{ListInput{NamePrefix: "al"}, ListFilters{}, 2},
		{ListInput{NamePrefix: "al"}, ListFilters{NamePrefix: true}, 3},
		{ListInput{EmailPrefix: "B@"}, ListFilters{}, 1},
		{ListInput{Status: StatusEnabled}, ListFilters{}, 1},
		{ListInput{Status: StatusDisabled}, ListFilters{}, 1},
		{ListInput{Status: StatusDisabled, NamePrefix: "a"}, ListFilters{Status: true}, 2},
	}
	for _, tt := range tests {
		keep := ClientSide(tt.in, tt.server)
		n := 0
		for _, u := range users {
			if keep == nil || keep(u) {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("%+v with server %+v kept %d, want %d", tt.in, tt.server, n, tt.want)
		}
	}
	if CheckListInput(ListInput{Status: "ENABLED"}) == nil || CheckListInput(ListInput{Status: StatusDisabled}) != nil {
		t.Error("CheckListInput")
	}
}
