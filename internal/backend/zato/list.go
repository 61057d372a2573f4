package zato

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// Listing uses the super-user search, /zato/sso/user/search (zatosource/zato
// support/3.2: zato-server .../service/internal/sso/user.py:432-458 class
// Search; zato-sso/src/zato/sso/user.py:1524-1637 UserAPI.search;
// zato-common .../util/search.py:53-67 SearchResults.set_data). Pages are
// numbered from 1: cur_page (below 1 → 1) and page_size (below 1 → the
// server's [search] default_page_size, 50 shipped; above max_page_size,
// 100 shipped, → that maximum, without an error); the answer says
// has_next_page and next_page (null on the last page), total and
// num_pages. Its filters do not fit ListInput: username and email are
// exact (email only when sso.conf has encrypt_email off, which the
// shipped one does not: a search by email is then an HTTP 500), and there
// is no enabled or disabled state, only sign_up_status and
// approval_status.
const maxSearchPageSize = 100

var (
	_ backend.Lister = (*RESTBackend)(nil)
	_ backend.Lister = (*CLIBackend)(nil)
)

// ListFilters implements backend.Lister: the search filters by nothing
// ListInput asks for, so every filter is applied here, client-side.
func (b *RESTBackend) ListFilters() backend.ListFilters {
	return backend.ListFilters{Supported: true}
}

// searchPage is the search answer (the envelope aside).
type searchPage struct {
	Result *[]struct {
		UserID   string    `json:"user_id"`
		Username string    `json:"username"`
		Email    *string   `json:"email"`
		IsActive *flexBool `json:"is_active"`
		IsLocked *flexBool `json:"is_locked"`
	} `json:"result"`
	HasNextPage *flexBool `json:"has_next_page"`
	NextPage    *int      `json:"next_page"`
}

// ListUsers implements backend.Lister in the search's order (display_name,
// username, sign_up_time, user_id: zato-sso user_search.py:50-58). It asks
// for pages of in.PageSize (default and at most 100), and follows the
// server's next_page whatever page size the server applied.
func (b *RESTBackend) ListUsers(ctx context.Context, in backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	if err := backend.CheckListInput(in); err != nil {
		return backend.ListError(err)
	}
	const op = "list users (super-user search)"
	size := backend.PageSize(in.PageSize, maxSearchPageSize, maxSearchPageSize)
	fetch := func(ctx context.Context, page int) ([]backend.ListedUser, int, bool, error) {
		raw, err := b.call(ctx, http.MethodPost, searchPath, op, map[string]any{"paginate": true, "cur_page": page, "page_size": size})
		if err != nil {
			return nil, 0, false, err
		}
		var out searchPage
		if err := json.Unmarshal(raw, &out); err != nil || out.Result == nil {
			return nil, 0, false, &backend.APIError{Backend: restName, Operation: op, StatusCode: http.StatusOK,
				Message: "the search answer has no result list", Hint: "Check that url points at a Zato 3.x server's SSO channels"}
		}
		users := make([]backend.ListedUser, 0, len(*out.Result))
		for _, u := range *out.Result {
			lu := backend.ListedUser{ID: u.UserID, Name: u.Username, Enabled: enabledOf(u.IsActive, u.IsLocked)}
			if u.Email != nil {
				lu.Email = *u.Email
			}
			users = append(users, lu)
		}
		more := out.HasNextPage != nil && bool(*out.HasNextPage) && out.NextPage != nil
		if !more {
			return users, 0, false, nil
		}
		if *out.NextPage <= page {
			return nil, 0, false, &backend.APIError{Backend: restName, Operation: op, StatusCode: http.StatusOK,
				Message: fmt.Sprintf("page %d of the search names page %d as the next", page, *out.NextPage),
				Hint:    "The listing would never end; check that url points at a Zato 3.x server"}
		}
		return users, *out.NextPage, true, nil
	}
	return backend.Pages(ctx, restName, op, 1, fetch, backend.ClientSide(in, b.ListFilters()))
}

// ListFilters implements backend.Lister: the zato command has no listing
// (zatosource/zato support/3.2 code/zato-cli/src/zato/cli/sso.py: create,
// delete, lock, unlock, login, logout, change and reset password, reset
// TOTP key, create ODB; no search), so the CLI transport
// cannot list; the REST transport (url) can.
func (b *CLIBackend) ListFilters() backend.ListFilters { return backend.ListFilters{} }

// ListUsers implements backend.Lister: it yields backend.ErrNotSupported.
func (b *CLIBackend) ListUsers(context.Context, backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	return backend.ListError(fmt.Errorf("%s cannot list users: the zato command has no user search; use the REST transport (url): %w",
		cliName, backend.ErrNotSupported))
}

// listQuirk is what the documentation says about listing.
var listQuirk = backend.Quirk{
	Title: "Listing: the super-user search, with no filter a listing can use",
	Behaviour: "`/zato/sso/user/search` pages with `cur_page` and `page_size` (at most `[search] max_page_size`, 100 " +
		"shipped; more is cut to it silently) and answers `has_next_page` and `next_page`. Its `username` and `email` " +
		"filters are exact, and `email` fails with HTTP 500 when emails are encrypted (the shipped `sso.conf`); there is " +
		"no enabled state, only sign-up and approval statuses. The zato command has no search.",
	Source: srcService + "user.py:432-458, " + srcSSO + "user.py:1524-1637, " + srcSSO + "user_search.py:50-58, 217-224; " +
		"zato-common/src/zato/common/util/search.py:53-67; " + srcCLI + "sso.py",
	Provider: "Over REST, lists in pages of 100, following `next_page` only while Terraform asks for more, and applies " +
		"a name prefix, email prefix or status (active and not locked) itself, to every page. The CLI transport (`server_path`) " +
		"cannot list.",
}
