package ocariot

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// get lists path?query with the token ("" for none).
func get(t *testing.T, srv *httptest.Server, path string, q url.Values, token string) (answer, []map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: strings.TrimSpace(string(b))}
	var items []map[string]any
	if a.status == http.StatusOK {
		if err := json.Unmarshal(b, &items); err != nil {
			t.Fatalf("not a JSON array: %s", b)
		}
	}
	return a, items
}

func names(items []map[string]any) string {
	var out []string
	for _, it := range items {
		out = append(out, it["username"].(string))
	}
	return strings.Join(out, ",")
}

func TestListPaging(t *testing.T) {
	e, srv := start(t)
	e.SeedUsers(15) // children: user0001, user0006, user0011, and child.demo
	tok := login(t, srv, TestUsername, TestPassword)
	tests := []struct {
		query url.Values
		want  string
	}{
		{url.Values{}, "user0011,user0006,user0001,child.demo"}, // newest first, default limit 100
		{url.Values{"limit": {"2"}}, "user0011,user0006"},
		{url.Values{"limit": {"2"}, "page": {"2"}}, "user0001,child.demo"},
		{url.Values{"limit": {"2"}, "page": {"3"}}, ""},
		// pagination.js keeps the digits: "-2" is 2, "x" and "0" the defaults.
		{url.Values{"limit": {"-2"}, "page": {"x"}}, "user0011,user0006"},
		{url.Values{"limit": {"0"}, "page": {"0"}}, "user0011,user0006,user0001,child.demo"},
	}
	for _, tc := range tests {
		a, items := get(t, srv, "/v1/children", tc.query, tok)
		if a.status != http.StatusOK || names(items) != tc.want || a.header.Get("X-Total-Count") != "4" {
			t.Errorf("%v: %d %q (X-Total-Count %s), want %q", tc.query, a.status, names(items), a.header.Get("X-Total-Count"), tc.want)
		}
	}
}

func TestListUsernameFilter(t *testing.T) {
	e, srv := start(t)
	e.SeedUsers(15)
	e.AddTypedUser("5eed000000000000000000c1", "Ánna", "child")
	e.AddTypedUser("5eed000000000000000000c2", "anne", "child")
	tok := login(t, srv, TestUsername, TestPassword)
	tests := []struct {
		query url.Values
		want  string
	}{
		{url.Values{"username": {"user00*"}}, "user0011,user0006,user0001"},
		{url.Values{"username": {"USER0001"}}, "user0001"}, // exact, case-insensitive
		{url.Values{"username": {"ann*"}}, "anne,Ánna"},    // "a" is [a,á,à,ä,â,ã], and /á/i matches Á
		{url.Values{"username": {"Ann*"}}, "anne"},         // 2.1.7 gives upper-case vowels no accents
		{url.Values{"username": {"*nn*"}}, "anne,Ánna"},    // contains
		{url.Values{"username": {"user0001,anne"}}, ""},    // an $or on the encrypted field
		{url.Values{"username": {"user*"}, "limit": {"2"}}, "user0011,user0006"},
		{url.Values{"username": {"user*"}, "limit": {"2"}, "page": {"2"}}, "user0001"},
		// At most limit matches: every page is the whole match.
		{url.Values{"username": {"user*"}, "limit": {"3"}, "page": {"2"}}, "user0011,user0006,user0001"},
	}
	for _, tc := range tests {
		a, items := get(t, srv, "/v1/children", tc.query, tok)
		// X-Total-Count ignores the filter.
		if a.status != http.StatusOK || names(items) != tc.want || a.header.Get("X-Total-Count") != "6" {
			t.Errorf("%v: %d %q (X-Total-Count %s), want %q", tc.query, a.status, names(items), a.header.Get("X-Total-Count"), tc.want)
		}
	}
}

func TestListAuth(t *testing.T) {
	_, srv := start(t)
	if a, _ := get(t, srv, "/v1/educators", nil, ""); a.status != http.StatusUnauthorized || a.body != bodyNoToken {
		t.Errorf("no token: %d %s", a.status, a.body)
	}
	tok := login(t, srv, TestNoScopeUsername, TestNoScopePassword)
	if a, _ := get(t, srv, "/v1/applications", nil, tok); a.status != http.StatusForbidden || a.body != bodyForbidden {
		t.Errorf("no applications:readAll: %d %s", a.status, a.body)
	}
	if a, items := get(t, srv, "/v1/educators", nil, tok); a.status != http.StatusOK || names(items) != "educator.demo,auditor" {
		t.Errorf("educators: %d %s", a.status, names(items))
	}
}
