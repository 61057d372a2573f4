package idaas

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Listing uses the paged user search, POST /api/web/v4/userspaged
// (Administration API v5.46, maccuaa/intellitrust-js-sdk
// openapi/administration.json: operation usersPagedUsingPOST, schemas
// SearchParms, UsersPage, Paging; permission USERS:VIEW). limit is 1-100;
// the next page is asked for with the previous paging.nextCursor alone
// ("if present, search by / order by attributes are ignored"); there is no
// next page when nextCursor is absent.
const (
	listPath        = "/api/web/v4/userspaged"
	maxListPageSize = 100
)

var _ backend.Lister = (*Backend)(nil)

// ListFilters implements backend.Lister. Server-side: the name prefix as
// searchByAttributes userId STARTS_WITH (which IDaaS matches against the
// login name and every alias of the user), and the status as state EQUALS
// ACTIVE (enabled) or INACTIVE (disabled) — a locked ACTIVE user counts as
// enabled for the filter, though it is listed with Enabled false, as
// ReadUser reports it. The search has no email attribute: an email prefix
// is applied here, client-side, to each page.
func (b *Backend) ListFilters() backend.ListFilters {
	return backend.ListFilters{Supported: true, NamePrefix: true, Status: true}
}

type searchAttribute struct {
	Name     string `json:"name"`
	Operator string `json:"operator"`
	Value    string `json:"value"`
}

type orderByAttribute struct {
	Name      string `json:"name"`
	Ascending bool   `json:"ascending"`
}

// searchParms is the SearchParms body.
type searchParms struct {
	Cursor             string            `json:"cursor,omitempty"`
	Limit              int               `json:"limit"`
	SearchByAttributes []searchAttribute `json:"searchByAttributes,omitempty"`
	OrderByAttribute   *orderByAttribute `json:"orderByAttribute,omitempty"`
}

// usersPage is the UsersPage answer, with the User members read.
type usersPage struct {
	Results *[]struct {
		ID     string `json:"id"`
		UserID string `json:"userId"`
		Email  string `json:"email"`
		State  string `json:"state"`
		Locked *bool  `json:"locked"`
	} `json:"results"`
	Paging struct {
		NextCursor string `json:"nextCursor"`
	} `json:"paging"`
}

// ListUsers implements backend.Lister, in login-name order.
func (b *Backend) ListUsers(ctx context.Context, in backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	if err := backend.CheckListInput(in); err != nil {
		return backend.ListError(err)
	}
	ctx = transport.MaskSecrets(ctx, b.cfg.SharedSecret)
	first := searchParms{
		Limit:            backend.PageSize(in.PageSize, maxListPageSize, maxListPageSize),
		OrderByAttribute: &orderByAttribute{Name: "userId", Ascending: true},
	}
	if in.NamePrefix != "" {
		first.SearchByAttributes = append(first.SearchByAttributes, searchAttribute{Name: "userId", Operator: "STARTS_WITH", Value: in.NamePrefix})
	}
	if in.Status != "" {
		state := "ACTIVE"
		if in.Status == backend.StatusDisabled {
			state = "INACTIVE"
		}
		first.SearchByAttributes = append(first.SearchByAttributes, searchAttribute{Name: "state", Operator: "EQUALS", Value: state})
	}
	const op = "list users"
	fetch := func(ctx context.Context, cursor string) ([]backend.ListedUser, string, bool, error) {
		req := first
		if cursor != "" {
			req = searchParms{Cursor: cursor, Limit: first.Limit}
		}
		body, err := json.Marshal(req)
		if err != nil {
			return nil, "", false, err
		}
		resp, err := b.call(ctx, op, opListUsers, http.MethodPost, listPath, body)
		if err != nil {
			return nil, "", false, err
		}
		var page usersPage
		if err := json.Unmarshal(resp.Body, &page); err != nil || page.Results == nil {
			return nil, "", false, unreadable(op, resp.StatusCode, "UsersPage")
		}
		users := make([]backend.ListedUser, 0, len(*page.Results))
		for _, u := range *page.Results {
			users = append(users, backend.ListedUser{ID: u.ID, Name: u.UserID, Email: u.Email, Enabled: enabledOf(u.State, u.Locked)})
		}
		next := page.Paging.NextCursor
		return users, next, next != "", nil
	}
	// An email prefix, which the search cannot express, is applied here.
	return backend.Pages(ctx, Name, op, "", fetch, backend.ClientSide(in, b.ListFilters()))
}
