package idaas

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// The paged user search, POST /api/web/v4/userspaged (Administration API
// v5.46, maccuaa/intellitrust-js-sdk openapi/administration.json:
// operation usersPagedUsingPOST, schemas SearchParms, UsersPage, Paging,
// SearchByAttribute, OrderByAttribute). From the OpenAPI: limit 1-100; a
// cursor is the previous page's paging.nextCursor, and with a cursor the
// search and order attributes are ignored; searchByAttributes are
// AND-joined; userId matches the login name or any alias. Not published,
// so chosen here (inferred): limit absent → DefaultPageLimit; the order
// without orderByAttribute is userId ascending; cursors do not expire;
// the error codes (as everywhere in this emulator) are invented.
const (
	// DefaultPageLimit is the page size when SearchParms has no limit.
	DefaultPageLimit = 100
	// MaxPageLimit is SearchParms.limit's documented maximum.
	MaxPageLimit = 100
)

type searchParms struct {
	Attributes         []string       `json:"attributes"`
	Cursor             *string        `json:"cursor"`
	Limit              *int           `json:"limit"`
	OrderByAttribute   *orderByAttr   `json:"orderByAttribute"`
	SearchByAttributes []searchByAttr `json:"searchByAttributes"`
}

type searchByAttr struct {
	Name     string `json:"name"`
	Operator string `json:"operator"`
	Value    string `json:"value"`
}

type orderByAttr struct {
	Name      string `json:"name"`
	Ascending bool   `json:"ascending"`
}

// search is what a cursor stands for: the search it continues and where.
type search struct {
	by      []searchByAttr
	order   orderByAttr
	aliases bool
	offset  int
}

type paging struct {
	Limit      int    `json:"limit"`
	NextCursor string `json:"nextCursor,omitempty"`
	PrevCursor string `json:"prevCursor,omitempty"`
}

type usersPage struct {
	Paging  paging       `json:"paging"`
	Results []userObject `json:"results"`
}

// userIDOperators are the operators the OpenAPI allows on userId.
var userIDOperators = []string{"EQUALS", "NOT_EQUALS", "CONTAINS", "NOT_CONTAINS", "STARTS_WITH", "ENDS_WITH"}

func (e *Emulator) usersPaged(w http.ResponseWriter, r *http.Request) {
	var req searchParms
	if !decode(w, r, &req) {
		return
	}
	limit := DefaultPageLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 1 || limit > MaxPageLimit {
		writeError(w, http.StatusBadRequest, "INVALID_PAGING_LIMIT",
			fmt.Sprintf("The paging limit must be between 1 and %d.", MaxPageLimit), "limit")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var s search
	if req.Cursor != nil {
		c, ok := e.cursors[*req.Cursor]
		if !ok {
			writeError(w, http.StatusBadRequest, "INVALID_PAGING_CURSOR", "The paging cursor is not valid.", "cursor")
			return
		}
		s = c
	} else {
		s = search{by: req.SearchByAttributes, order: orderByAttr{Name: "userId", Ascending: true}}
		if req.OrderByAttribute != nil {
			s.order = *req.OrderByAttribute
		}
		s.aliases = slices.Contains(req.Attributes, "userAliases")
		if msg := checkSearch(s); msg != "" {
			writeError(w, http.StatusBadRequest, "INVALID_SEARCH_ATTRIBUTE", msg)
			return
		}
	}
	found := e.searchLocked(s)
	page := usersPage{Paging: paging{Limit: limit}, Results: []userObject{}}
	for _, u := range found[min(s.offset, len(found)):min(s.offset+limit, len(found))] {
		o := toUserObject(u)
		if !s.aliases {
			o.Aliases = nil
		}
		page.Results = append(page.Results, o)
	}
	if s.offset+limit < len(found) {
		page.Paging.NextCursor = e.newCursorLocked(s, s.offset+limit)
	}
	if s.offset > 0 {
		page.Paging.PrevCursor = e.newCursorLocked(s, max(0, s.offset-limit))
	}
	emu.WriteJSON(w, http.StatusOK, page)
}

// checkSearch says what is wrong with the search and order attributes the
// emulator models (userId, state, locked; userId, state to order by).
func checkSearch(s search) string {
	for _, a := range s.by {
		switch {
		case a.Name == "userId" && slices.Contains(userIDOperators, a.Operator):
		case a.Name == "state" && a.Operator == "EQUALS" && (a.Value == "ACTIVE" || a.Value == "INACTIVE"):
		case a.Name == "locked" && a.Operator == "EQUALS" && a.Value == "true":
		default:
			return fmt.Sprintf("The search attribute %s with operator %s and value %q is not supported.", a.Name, a.Operator, a.Value)
		}
	}
	if s.order.Name != "userId" && s.order.Name != "state" {
		return "The order by attribute " + s.order.Name + " is not supported."
	}
	return ""
}

// searchLocked returns the users matching s, in s's order. e.mu must be held.
func (e *Emulator) searchLocked(s search) []*userRecord {
	var out []*userRecord
	for _, u := range e.users {
		if matchesAll(u, s.by) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *userRecord) int {
		c := strings.Compare(strings.ToLower(a.UserID), strings.ToLower(b.UserID))
		if s.order.Name == "state" {
			c = cmp.Or(strings.Compare(a.State, b.State), c)
		}
		if !s.order.Ascending {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.ID, b.ID))
	})
	return out
}

func matchesAll(u *userRecord, by []searchByAttr) bool {
	for _, a := range by {
		var ok bool
		switch a.Name {
		case "userId":
			ok = matchesUserID(a, u.UserID) || slices.ContainsFunc(u.Aliases, func(v string) bool { return matchesUserID(a, v) })
			if strings.HasPrefix(a.Operator, "NOT_") {
				// A negation holds when no name matches the positive form.
				pos := searchByAttr{Name: a.Name, Operator: strings.TrimPrefix(a.Operator, "NOT_"), Value: a.Value}
				ok = !matchesUserID(pos, u.UserID) && !slices.ContainsFunc(u.Aliases, func(v string) bool { return matchesUserID(pos, v) })
			}
		case "state":
			ok = u.State == a.Value
		case "locked":
			ok = u.Locked
		}
		if !ok {
			return false
		}
	}
	return true
}

// matchesUserID applies a positive userId operator, case-insensitively
// (login names are case-insensitive in IDaaS, as POST .../users/userid).
func matchesUserID(a searchByAttr, name string) bool {
	n, v := strings.ToLower(name), strings.ToLower(a.Value)
	switch a.Operator {
	case "EQUALS":
		return n == v
	case "CONTAINS":
		return strings.Contains(n, v)
	case "STARTS_WITH":
		return strings.HasPrefix(n, v)
	case "ENDS_WITH":
		return strings.HasSuffix(n, v)
	}
	return false
}

// newCursorLocked records a cursor for s at offset. e.mu must be held.
func (e *Emulator) newCursorLocked(s search, offset int) string {
	s.offset = offset
	c := emu.RandomHex(24)
	e.cursors[c] = s
	return c
}

// ForgetCursors forgets every paging cursor issued, as a service that
// keeps them for a while would once they are gone.
func (e *Emulator) ForgetCursors() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.cursors)
}

// SeedUsers adds n users for listing tests, user0001 to userNNNN (UUIDs
// 5eed0000-0000-4000-8000-00000000NNNN, emails userNNNN@example.com);
// every third is INACTIVE. It returns their UUIDs in login-name order.
func (e *Emulator) SeedUsers(n int) []string {
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		name := emu.SeedName(i)
		u := User{ID: fmt.Sprintf("5eed0000-0000-4000-8000-%012d", i), UserID: name, Email: name + "@example.com",
			FirstName: "Seed", LastName: fmt.Sprint(i), State: "ACTIVE"}
		if i%3 == 0 {
			u.State = "INACTIVE"
		}
		e.AddUser(u)
		ids = append(ids, u.ID)
	}
	return ids
}
