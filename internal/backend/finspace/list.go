package finspace

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// Listing uses ListUsers, GET /user?maxResults=&nextToken= (botocore
// data/finspace-data/2020-07-13/service-2.json, ListUsersRequest:
// maxResults required, ResultLimit 1-100; paginators-1.json: nextToken in
// and out, result key users). It has no filters.
const maxListResults = 100

var _ backend.Lister = (*Backend)(nil)

// ListFilters implements backend.Lister: ListUsers filters by nothing, so
// every filter of ListInput is applied here, client-side, to each page.
func (b *Backend) ListFilters() backend.ListFilters {
	return backend.ListFilters{Supported: true}
}

// listResponse is ListUsersResponse; the users are GetUser's shape.
type listResponse struct {
	Users     *[]userResponse `json:"users"`
	NextToken *string         `json:"nextToken"`
}

// ListUsers implements backend.Lister, signed like every other call. A
// user's Name is its first and last name (FinSpace has no login name; the
// email address identifies a person).
func (b *Backend) ListUsers(ctx context.Context, in backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	if err := backend.CheckListInput(in); err != nil {
		return backend.ListError(err)
	}
	const op = "list users"
	size := strconv.Itoa(backend.PageSize(in.PageSize, maxListResults, maxListResults))
	fetch := func(ctx context.Context, token string) ([]backend.ListedUser, string, bool, error) {
		ctx, secrets, err := b.maskCredentials(ctx, op)
		if err != nil {
			return nil, "", false, err
		}
		q := url.Values{"maxResults": {size}}
		if token != "" {
			q.Set("nextToken", token)
		}
		resp, err := b.do(ctx, http.MethodGet, b.endpoint+"/user?"+q.Encode(), http.Header{"Accept": {"application/json"}}, nil)
		if err != nil {
			return nil, "", false, fmt.Errorf("%s: could not %s: %w", Name, op, err)
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			e := mapError(op, resp, secrets...)
			e.NotFound = false // a listing has no user to miss
			if e.Code == "ValidationException" {
				e.Hint = "FinSpace refused the page request (maxResults must be 1 to 100; a nextToken may have expired); list again"
			}
			return nil, "", false, e
		}
		var out listResponse
		if err := json.Unmarshal(resp.Body, &out); err != nil || out.Users == nil {
			return nil, "", false, &backend.APIError{
				Backend: Name, Operation: op, StatusCode: resp.StatusCode, RequestID: requestID(resp.Header),
				Message: fmt.Sprintf("the response (%d bytes) is not the documented ListUsers JSON", len(resp.Body)),
				Hint:    "Check that endpoint points at the FinSpace Data API",
			}
		}
		users := make([]backend.ListedUser, 0, len(*out.Users))
		for _, u := range *out.Users {
			users = append(users, backend.ListedUser{
				ID: u.UserID, Email: u.EmailAddress, Enabled: enabledOf(u.Status),
				Name: strings.TrimSpace(u.FirstName + " " + u.LastName),
			})
		}
		next := ""
		if out.NextToken != nil {
			next = *out.NextToken
		}
		return users, next, next != "", nil
	}
	return backend.Pages(ctx, Name, op, "", fetch, backend.ClientSide(in, b.ListFilters()))
}
