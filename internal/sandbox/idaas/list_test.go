package idaas

import (
	"net/http"
	"testing"
)

const pagedPath = "/api/web/v4/userspaged"

// page asks for one page and returns its user ids, next cursor and status.
func (h *harness) page(tok string, body any) (ids []string, next string, code int, out map[string]any) {
	h.t.Helper()
	code, out = h.do(http.MethodPost, pagedPath, tok, body)
	if code != http.StatusOK {
		return nil, "", code, out
	}
	results, ok := out["results"].([]any)
	if !ok {
		h.t.Fatalf("no results list: %v", out)
	}
	for _, r := range results {
		ids = append(ids, r.(map[string]any)["id"].(string))
	}
	paging := out["paging"].(map[string]any)
	next, _ = paging["nextCursor"].(string)
	return ids, next, code, out
}

func TestUsersPagedWalk(t *testing.T) {
	h := newHarness(t)
	seeded := h.e.SeedUsers(25)
	tok := h.token()
	body := map[string]any{"limit": 10, "searchByAttributes": []map[string]string{{"name": "userId", "operator": "STARTS_WITH", "value": "USER"}}}
	var all []string
	for pages := 1; ; pages++ {
		ids, next, code, out := h.page(tok, body)
		if code != http.StatusOK {
			t.Fatalf("page %d: %d %v", pages, code, out)
		}
		if lim := out["paging"].(map[string]any)["limit"]; lim != float64(10) {
			t.Errorf("paging.limit %v", lim)
		}
		if pages > 1 && out["paging"].(map[string]any)["prevCursor"] == nil {
			t.Errorf("page %d has no prevCursor", pages)
		}
		all = append(all, ids...)
		if next == "" {
			if pages != 3 {
				t.Errorf("%d pages for 25 users of 10", pages)
			}
			break
		}
		// With a cursor, search attributes are ignored: a contradicting one changes nothing.
		body = map[string]any{"limit": 10, "cursor": next, "searchByAttributes": []map[string]string{{"name": "state", "operator": "EQUALS", "value": "INACTIVE"}}}
	}
	if len(all) != 25 {
		t.Fatalf("%d users", len(all))
	}
	for i, id := range seeded {
		if all[i] != id {
			t.Fatalf("user %d is %s, want %s (userId order)", i, all[i], id)
		}
	}
}

func TestUsersPagedValidation(t *testing.T) {
	h := newHarness(t)
	tok := h.token()
	tests := []struct {
		name string
		body any
		code string
	}{
		{"limit 0", map[string]any{"limit": 0}, "INVALID_PAGING_LIMIT"},
		{"limit 101", map[string]any{"limit": 101}, "INVALID_PAGING_LIMIT"},
		{"unknown cursor", map[string]any{"limit": 10, "cursor": "0123"}, "INVALID_PAGING_CURSOR"},
		{"operator not allowed on state", map[string]any{"searchByAttributes": []map[string]string{{"name": "state", "operator": "STARTS_WITH", "value": "A"}}}, "INVALID_SEARCH_ATTRIBUTE"},
		{"order by email", map[string]any{"orderByAttribute": map[string]any{"name": "email", "ascending": true}}, "INVALID_SEARCH_ATTRIBUTE"},
		{"malformed", `{"limit":`, "INVALID_REQUEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := h.do(http.MethodPost, pagedPath, tok, tc.body)
			wantError(t, code, out, http.StatusBadRequest, tc.code)
		})
	}
	// No limit: the default page.
	h.e.SeedUsers(120)
	if ids, next, code, _ := h.page(tok, map[string]any{}); code != http.StatusOK || len(ids) != DefaultPageLimit || next == "" {
		t.Errorf("no limit: %d users, next %q, status %d", len(ids), next, code)
	}
}

func TestUsersPagedAuth(t *testing.T) {
	h := newHarness(t)
	code, out := h.do(http.MethodPost, pagedPath, "", map[string]any{"limit": 5})
	wantError(t, code, out, http.StatusUnauthorized, "AUTHORIZATION_TOKEN_MISSING")
	tok := h.token()
	h.e.SetPermissions([]string{PermPasswordsView})
	code, out = h.do(http.MethodPost, pagedPath, tok, map[string]any{"limit": 5})
	wantError(t, code, out, http.StatusForbidden, "ACCESS_DENIED")
}

func TestUsersPagedFilters(t *testing.T) {
	h := newHarness(t)
	h.e.AddUser(User{ID: "e1e00000-0000-4000-8000-000000000005", UserID: "erin", Aliases: []string{"boss"}})
	tok := h.token()
	attr := func(name, op, value string) map[string]any {
		return map[string]any{"searchByAttributes": []map[string]string{{"name": name, "operator": op, "value": value}}}
	}
	tests := []struct {
		name string
		body any
		want []string
	}{
		{"alias starts with", attr("userId", "STARTS_WITH", "BO"), []string{UserBob, "e1e00000-0000-4000-8000-000000000005"}},
		{"not contains", attr("userId", "NOT_CONTAINS", "a"), []string{UserBob, "e1e00000-0000-4000-8000-000000000005"}},
		{"inactive", attr("state", "EQUALS", "INACTIVE"), []string{UserDave}},
		{"locked", attr("locked", "EQUALS", "true"), []string{UserCarol}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids, _, code, out := h.page(tok, tc.body)
			if code != http.StatusOK || len(ids) != len(tc.want) {
				t.Fatalf("%d %v, want %v", code, out, tc.want)
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Errorf("got %v, want %v", ids, tc.want)
				}
			}
		})
	}
}
