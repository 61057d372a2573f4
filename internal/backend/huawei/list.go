package huawei

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// Listing uses ListUsers, GET /v1/identity-stores/{identity_store_id}/users
// (huaweicloud-sdk-go-v3 v0.1.207 services/identitycenterstore/v1:
// identityCenterStore_meta.go GenReqDefForListUsers; model_list_users_request.go
// marker, limit, user_name; model_list_users_response.go users and
// page_info; model_page_info_dto.go next_marker, current_count). The API
// reference ("IAM Identity Center - ListUsers") gives limit 1-100, default
// 100. The next page is asked for with marker = page_info.next_marker, until
// next_marker is absent or empty.
const maxListLimit = 100

var _ backend.Lister = (*Backend)(nil)

// ListFilters implements backend.Lister. ListUsers's one filter, user_name,
// is the whole user name, not a prefix: every ListInput filter is applied
// here, client-side, to each page.
func (b *Backend) ListFilters() backend.ListFilters {
	return backend.ListFilters{Supported: true}
}

// listResponse is ListUsersResponse, with the UserDto members read.
type listResponse struct {
	Users *[]struct {
		UserID   string `json:"user_id"`
		UserName string `json:"user_name"`
		Emails   []struct {
			Primary bool   `json:"primary"`
			Value   string `json:"value"`
		} `json:"emails"`
		Enabled *bool `json:"enabled"`
	} `json:"users"`
	PageInfo *struct {
		NextMarker *string `json:"next_marker"`
	} `json:"page_info"`
}

// ListUsers implements backend.Lister, signed like every other call. A
// user's Email is its primary email (the first one when none is primary).
func (b *Backend) ListUsers(ctx context.Context, in backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	if err := backend.CheckListInput(in); err != nil {
		return backend.ListError(err)
	}
	ctx = b.mask(ctx)
	const op = "list users"
	limit := strconv.Itoa(backend.PageSize(in.PageSize, maxListLimit, maxListLimit))
	fetch := func(ctx context.Context, marker string) ([]backend.ListedUser, string, bool, error) {
		q := url.Values{"limit": {limit}}
		if marker != "" {
			q.Set("marker", marker)
		}
		resp, err := b.do(ctx, op, http.MethodGet, b.storePath()+"/users?"+q.Encode(), "")
		if err != nil {
			var ae *backend.APIError
			if errors.As(err, &ae) {
				// IIC.404 here is the identity store, not a user.
				ae.NotFound = false
				if ae.StatusCode == http.StatusBadRequest {
					ae.Hint = "Identity Center refused the page request (limit must be 1 to 100; a marker may have expired); list again"
				}
			}
			return nil, "", false, err
		}
		var out listResponse
		if err := json.Unmarshal(resp.Body, &out); err != nil || out.Users == nil {
			return nil, "", false, &backend.APIError{
				Backend: backendName, Operation: op, StatusCode: resp.StatusCode, RequestID: transport.NewRedactor(b.cfg.SecretKey, b.cfg.SecurityToken).Text(resp.Header.Get("X-Request-Id"), 128), // any bytes
				Message: "the answer is not the documented JSON object with users",
				Hint:    "Check endpoint (or region): the answer does not come from the identity store API",
			}
		}
		users := make([]backend.ListedUser, 0, len(*out.Users))
		for _, u := range *out.Users {
			lu := backend.ListedUser{ID: u.UserID, Name: u.UserName, Enabled: u.Enabled}
			for i, e := range u.Emails {
				if e.Primary || i == 0 {
					lu.Email = e.Value
				}
			}
			users = append(users, lu)
		}
		next := ""
		if out.PageInfo != nil && out.PageInfo.NextMarker != nil {
			next = *out.PageInfo.NextMarker
		}
		return users, next, next != "", nil
	}
	return backend.Pages(ctx, backendName, op, "", fetch, backend.ClientSide(in, b.ListFilters()))
}
