package zato

import (
	"net/http"
	"testing"
)

// TestSearchPaging pins the search's paging to zato-sso user.py:1536-1544
// (cur_page below 1 → 1; page_size below 1 → default_page_size, above
// max_page_size → max_page_size) and zato-common util/search.py:53-67
// (next_page null on the last page, prev_page 0 on the first).
func TestSearchPaging(t *testing.T) {
	e, srv := newServer(t)
	e.SeedUsers(146) // 150 users with the four seeded by New
	ust := login(t, srv, TestUsername, TestPassword)
	search := func(fields map[string]any) answer {
		t.Helper()
		body := map[string]any{"ust": ust, "current_app": TestCurrentApp}
		for k, v := range fields {
			body[k] = v
		}
		a := call(t, srv, http.MethodPost, "/zato/sso/user/search", body)
		if a.status != http.StatusOK || a.body["status"] != "ok" {
			t.Fatalf("search %v: HTTP %d %s", fields, a.status, a.raw)
		}
		return a
	}
	tests := []struct {
		name                                 string
		fields                               map[string]any
		results, pageSize, curPage, numPages int
		next                                 any
		prev                                 float64
	}{
		{"defaults", nil, 50, 50, 1, 3, float64(2), 0},
		{"page size over the maximum", map[string]any{"page_size": 500}, 100, 100, 1, 2, float64(2), 0},
		{"page size 0 is the default", map[string]any{"page_size": 0, "cur_page": 3}, 50, 50, 3, 3, nil, 2},
		{"page 0 is page 1", map[string]any{"page_size": 40, "cur_page": 0}, 40, 40, 1, 4, float64(2), 0},
		{"last page", map[string]any{"page_size": 40, "cur_page": 4}, 30, 40, 4, 4, nil, 3},
		{"past the last page", map[string]any{"page_size": 40, "cur_page": 9}, 0, 40, 9, 4, nil, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := search(tc.fields)
			result, _ := a.body["result"].([]any)
			if len(result) != tc.results || a.body["page_size"] != float64(tc.pageSize) || a.body["cur_page"] != float64(tc.curPage) ||
				a.body["num_pages"] != float64(tc.numPages) || a.body["total"] != float64(150) ||
				a.body["next_page"] != tc.next || a.body["prev_page"] != tc.prev ||
				a.body["has_next_page"] != (tc.next != nil) || a.body["has_prev_page"] != (tc.prev >= 1) {
				t.Errorf("%d results, page %v", len(result), map[string]any{"page_size": a.body["page_size"], "cur_page": a.body["cur_page"],
					"num_pages": a.body["num_pages"], "next_page": a.body["next_page"], "prev_page": a.body["prev_page"],
					"has_next_page": a.body["has_next_page"], "has_prev_page": a.body["has_prev_page"]})
			}
		})
	}
}

// TestSearchByEmail: with encrypted emails (the shipped sso.conf), a
// search by email raises ValueError (zato-sso user_search.py:217-224),
// unless user_id or username takes precedence (sso/user.py:1557-1566).
func TestSearchByEmail(t *testing.T) {
	_, srv := newServer(t)
	ust := login(t, srv, TestUsername, TestPassword)
	a := call(t, srv, http.MethodPost, "/zato/sso/user/search", map[string]any{"ust": ust, "current_app": TestCurrentApp, "email": "alice@example.com"})
	if a.status != http.StatusInternalServerError || a.body["result"] != "Error" || a.body["details"] != defaultErrorMessage {
		t.Errorf("by email: HTTP %d %s", a.status, a.raw)
	}
	a = call(t, srv, http.MethodPost, "/zato/sso/user/search", map[string]any{"ust": ust, "current_app": TestCurrentApp, "email": "x", "username": AliceUsername})
	if a.status != http.StatusOK || a.body["total"] != float64(1) {
		t.Errorf("username wins: HTTP %d %s", a.status, a.raw)
	}
}
