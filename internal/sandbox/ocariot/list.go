package ocariot

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// The admin listings, GET /v1/{children,educators,families,
// healthprofessionals,applications}, as the gateway and the account service
// answer them:
//   - the gateway asks for the scope <type>:readAll (api-gateway
//     config/gateway.config.yml:222-224, 250-252, 271-273, 298-300,
//     350-352), after the token, like every private endpoint;
//   - query-strings-parser 2.1.7 (account package-lock.json; app.ts:85-90
//     use_page, defaults page 1, limit 100) reads page and limit by keeping
//     their digits (lib/mapper/pagination.js): no value is refused, one
//     without digits or 0 is the default, and there is no maximum; any other
//     key is a filter (lib/mapper/filters.js);
//   - the answer is a JSON array in created_at order, newest first
//     (query.ts toJSON), with X-Total-Count the number of all users of the
//     type, whatever the filters (child.controller.ts:69-71 and the other
//     four controllers call count() without the query);
//   - usernames are stored encrypted, so a username filter is applied after
//     fetching every user of the type (base.repository.ts findAll,
//     applyFilterByUsername): a value with * is a case-insensitive regular
//     expression, "x*" anchored at the start, with each lower-case vowel
//     matching its accented forms (filters.js buildRegEx, addAccentsRegex);
//     another value an exact case-insensitive match; and the page is cut
//     from the matches only when there are more than limit of them, so that
//     every page of a filter matching at most limit users is the same page.
//
// Not modelled: other filters, sort and fields.

// ListKind is one listable user type.
type ListKind struct {
	// Path is the collection under /v1/; SubType the users' type.
	Path, SubType string
}

// ListKinds are the user types an admin can list (admins themselves have no
// listing).
var ListKinds = []ListKind{
	{"children", "child"}, {"educators", "educator"}, {"families", "family"},
	{"healthprofessionals", "healthprofessional"}, {"applications", "application"},
}

// Default paging of the account service (app.ts:85-90).
const (
	DefaultListLimit = 100
	defaultListPage  = 1
)

func (e *Emulator) handleList(kind ListKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if !e.authorized(w, r, kind.Path+":readAll") {
			return
		}
		q := r.URL.Query()
		page, limit := pagingValue(q.Get("page"), defaultListPage), pagingValue(q.Get("limit"), DefaultListLimit)
		var all []*listed
		for id, u := range e.users {
			if u.subType == kind.SubType {
				all = append(all, &listed{id: id, user: u})
			}
		}
		slices.SortFunc(all, func(a, b *listed) int { return cmp.Compare(b.user.seq, a.user.seq) })
		w.Header().Set("X-Total-Count", strconv.Itoa(len(all)))
		var out []*listed
		if name, ok := q["username"]; ok {
			match, err := usernameFilter(name[0])
			if err != nil {
				writeError(w, apiError{Code: http.StatusInternalServerError, Message: "An internal server error has occurred.", Description: err.Error()})
				return
			}
			for _, l := range all {
				if match(l.user.username) {
					out = append(out, l)
				}
			}
			if len(out) > limit {
				out = out[min((page-1)*limit, len(out)):min(page*limit, len(out))]
			}
		} else {
			out = all[min((page-1)*limit, len(all)):min(page*limit, len(all))]
		}
		items := []map[string]any{}
		for _, l := range out {
			item := map[string]any{"id": l.id, "username": l.user.username}
			if kind.SubType == "application" {
				item["application_name"] = l.user.username
			}
			items = append(items, item)
		}
		emu.WriteJSON(w, http.StatusOK, items)
	}
}

type listed struct {
	id   string
	user *user
}

// pagingValue reads page or limit as pagination.js does: the digits only,
// and the default for none or 0.
func pagingValue(v string, def int) int {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v)
	n, err := strconv.Atoi(digits)
	if err != nil || n == 0 {
		return def
	}
	return n
}

// accents is addAccentsRegex of query-strings-parser 2.1.7.
var accents = strings.NewReplacer("a", "[a,á,à,ä,â,ã]", "e", "[e,é,ë,ê]", "i", "[i,í,ï]", "o", "[o,ó,ö,ò,ô]", "u", "[u,ü,ú,ù]")

// usernameFilter is how the account service matches a username query
// value (filters.js treatValue and buildRegEx, base.repository.ts
// applyFilterByUsername). A value with a comma becomes an $or of filters
// on the encrypted field, which matches nobody.
func usernameFilter(v string) (func(string) bool, error) {
	switch {
	case strings.Contains(v, ","):
		return func(string) bool { return false }, nil
	case strings.Contains(v, "*"):
		for strings.HasPrefix(v, "**") {
			v = v[1:]
		}
		for strings.HasSuffix(v, "**") {
			v = v[:len(v)-1]
		}
		v = accents.Replace(v)
		pattern := strings.ReplaceAll(v, "*", "")
		switch {
		case !strings.HasPrefix(v, "*") && strings.HasSuffix(v, "*"):
			pattern = "^" + pattern
		case strings.HasPrefix(v, "*") && !strings.HasSuffix(v, "*"):
			pattern += "$"
		}
		re, err := regexp.Compile("(?i)" + pattern)
		if err != nil {
			// Node's RegExp throws; the account answers 500 with its message.
			return nil, fmt.Errorf("invalid regular expression: /%s/: %w", pattern, err)
		}
		return re.MatchString, nil
	}
	return func(name string) bool { return strings.EqualFold(name, v) }, nil
}

// AddTypedUser adds (or replaces) a user of a listable type (a ListKind's
// SubType) with a username and no password.
func (e *Emulator) AddTypedUser(id, username, subType string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.added++
	e.users[strings.ToLower(id)] = &user{username: username, subType: subType, seq: e.added}
}

// SeedUsers adds n users for listing tests, user0001 to userNNNN (ids
// 5eed000000000000000NNNNN in hex digits), spread over the listable types
// in turn (child, educator, family, health professional, application). It
// returns their ids.
func (e *Emulator) SeedUsers(n int) []string {
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("5eed%020d", i)
		e.AddTypedUser(id, emu.SeedName(i), ListKinds[(i-1)%len(ListKinds)].SubType)
		ids = append(ids, id)
	}
	return ids
}
