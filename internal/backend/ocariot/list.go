package ocariot

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// Listing uses the admin listings of each user type, through the gateway:
// GET /v1/children, /v1/educators, /v1/families, /v1/healthprofessionals and
// /v1/applications (ocariot/api-gateway config/gateway.config.yml:222-224,
// 250-252, 271-273, 298-300, 350-352: scope <type>:readAll each). Admin
// users have no listing, so they are never listed. Paging is page (from 1)
// and limit (default 100, no maximum) read by query-strings-parser 2.1.7
// (ocariot/account src/app.ts:85-90); the answer is a JSON array, newest
// first, and X-Total-Count counts every user of the type whatever the
// filters (child.controller.ts:69-71).
var listKinds = []string{"children", "educators", "families", "healthprofessionals", "applications"}

// maxListLimit is the page size asked for at most: the service has none,
// but a page is held in memory.
const maxListLimit = 100

var _ backend.Lister = (*Backend)(nil)

// ListFilters implements backend.Lister. Server-side: the name prefix, as
// username=<prefix>* (query-strings-parser 2.1.7 lib/mapper/filters.js
// buildRegEx: a case-insensitive regular expression anchored at the start,
// each lower-case vowel also matching its accented forms; the account
// service applies it to the decrypted usernames, base.repository.ts
// findAll). OCARIoT users have no email address and no enabled state.
func (b *Backend) ListFilters() backend.ListFilters {
	return backend.ListFilters{Supported: true, NamePrefix: true}
}

// listCursor is where a listing stands: a user type and a page of it.
type listCursor struct{ kind, page int }

// ListUsers implements backend.Lister: each user type in turn, page by page.
//
// A page shorter than limit ends a type, as does reaching X-Total-Count
// without a filter. With a name prefix, X-Total-Count counts the unfiltered
// users, and the service cuts pages from the matches only when there are
// more than limit of them (base.repository.ts findAll: every page of a
// filter matching at most limit users is the whole match): a page that
// brings no user not seen before ends the type too.
func (b *Backend) ListUsers(ctx context.Context, in backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	if err := b.ValidateListInput(in); err != nil {
		return backend.ListError(err)
	}
	limit := backend.PageSize(in.PageSize, maxListLimit, maxListLimit)
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if in.NamePrefix != "" {
		q.Set("username", regexpEscape(in.NamePrefix)+"*")
	}
	return func(yield func(backend.ListedUser, error) bool) {
		// Each range over the sequence has its own count of what it saw.
		backend.Pages(ctx, name, listOp, listCursor{0, 1}, b.listPages(q, in.NamePrefix != "", limit), backend.ClientSide(in, b.ListFilters()))(yield)
	}
}

// listOp is what a listing attempts, for diagnostics.
const listOp = "list users"

// listPages fetches the pages of a listing whose query (page aside) is q.
func (b *Backend) listPages(q url.Values, filtered bool, limit int) backend.PageFunc[listCursor] {
	seen := map[string]bool{} // ids of the type being listed
	listed := 0               // users of the type listed so far
	return func(ctx context.Context, at listCursor) ([]backend.ListedUser, listCursor, bool, error) {
		if at.page == 1 {
			clear(seen)
			listed = 0
		}
		kind := listKinds[at.kind]
		query := url.Values{"page": {strconv.Itoa(at.page)}}
		maps.Copy(query, q)
		kop := listOp + " (" + kind + ")"
		resp, err := b.authorizedDo(ctx, kop, http.MethodGet, b.baseURL+"/v1/"+kind+"?"+query.Encode(), nil)
		if err != nil {
			return nil, at, false, err
		}
		if resp.StatusCode/100 != 2 {
			return nil, at, false, listError(b.apiError(kop, resp, false), kind)
		}
		var page []struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			return nil, at, false, &backend.APIError{Backend: name, Operation: kop, StatusCode: resp.StatusCode,
				Message: "the answer is not a JSON array of users", Hint: hintWrongURL}
		}
		users := make([]backend.ListedUser, 0, len(page))
		fresh := 0
		for _, u := range page {
			users = append(users, backend.ListedUser{ID: u.ID, Name: u.Username})
			if !seen[u.ID] {
				seen[u.ID] = true
				fresh++
			}
		}
		listed += fresh
		done := len(page) < limit || fresh == 0
		if total, err := strconv.Atoi(resp.Header.Get("X-Total-Count")); err == nil && !filtered && listed >= total {
			done = true
		}
		switch {
		case !done:
			return users, listCursor{at.kind, at.page + 1}, true, nil
		case at.kind+1 < len(listKinds):
			return users, listCursor{at.kind + 1, 1}, true, nil
		}
		return users, at, false, nil
	}
}

// listError gives a listing's 403 the scopes it needs.
func listError(err error, kind string) error {
	var ae *backend.APIError
	if errors.As(err, &ae) {
		ae.NotFound = false
		if ae.StatusCode == http.StatusForbidden {
			ae.Hint = "The access token's scope must include " + kind + ":readAll (and the readAll scope of every user type " +
				"listed): use the credentials of an OCARIoT admin user"
		}
	}
	return err
}

var _ backend.ListInputValidator = (*Backend)(nil)

// ValidateListInput implements backend.ListInputValidator: it refuses a
// name prefix query-strings-parser would not read as one, since a comma
// splits a value into alternatives and a * is a wildcard
// (lib/mapper/filters.js filters, buildRegEx).
func (b *Backend) ValidateListInput(in backend.ListInput) error {
	if err := backend.CheckListInput(in); err != nil {
		return err
	}
	if strings.ContainsAny(in.NamePrefix, ",*") {
		return &backend.FilterError{Filter: "NamePrefix",
			Msg: "an " + name + " name prefix cannot hold a comma or an asterisk: the service reads them as alternatives and wildcards"}
	}
	return nil
}

// regexpEscape escapes the characters of a JavaScript regular expression
// (the service builds one from the value, without escaping it). Vowels are
// left alone: the service turns them into classes of their accented forms.
func regexpEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\^$.|?+()[]{}/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
