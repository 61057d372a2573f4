package huawei

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// ListUsers, GET /v1/identity-stores/{identity_store_id}/users?marker=&limit=&user_name=
// (huaweicloud-sdk-go-v3 v0.1.207 services/identitycenterstore/v1:
// identityCenterStore_meta.go GenReqDefForListUsers, model_list_users_request.go,
// model_list_users_response.go, model_page_info_dto.go; the API reference
// "IAM Identity Center - ListUsers" gives limit 1-100, default 100, and a
// marker of exactly 24 characters). The answer is {"users": [UserDto],
// "page_info": {"next_marker", "current_count"}}, next_marker null on the
// last page. Not published, so chosen here (inferred): user_name is an
// exact match; users in user_name order; a marker the emulator did not
// issue, and an invalid limit, are 400 IIC.400 with the emulator's texts.
const (
	// DefaultListLimit and MaxListLimit are limit's default and maximum.
	DefaultListLimit = 100
	MaxListLimit     = 100
	// MarkerLength is the length of a page marker.
	MarkerLength = 24
)

// pageInfo is PageInfoDto: next_marker is null on the last page (its SDK
// doc: "repeat ... until next_marker returns null").
type pageInfo struct {
	NextMarker   *string `json:"next_marker"`
	CurrentCount int     `json:"current_count"`
}

type listAnswer struct {
	Users    []userJSON `json:"users"`
	PageInfo pageInfo   `json:"page_info"`
}

func (e *Emulator) listUsers(w http.ResponseWriter, r *http.Request, _ credential) {
	if r.PathValue("store") != TestIdentityStoreID {
		writeError(w, http.StatusNotFound, "IIC.404", "The identity store does not exist")
		return
	}
	q := r.URL.Query()
	limit := DefaultListLimit
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > MaxListLimit {
			writeError(w, http.StatusBadRequest, "IIC.400", fmt.Sprintf("limit must be an integer between 1 and %d", MaxListLimit))
			return
		}
		limit = n
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	offset := 0
	if v, ok := q["marker"]; ok {
		if len(v[0]) != MarkerLength {
			writeError(w, http.StatusBadRequest, "IIC.400", fmt.Sprintf("marker must be %d characters long", MarkerLength))
			return
		}
		if offset, ok = e.markers[v[0]]; !ok {
			writeError(w, http.StatusBadRequest, "IIC.400", "marker is not valid")
			return
		}
	}
	var found []*userRecord
	for _, u := range e.users {
		if name, ok := q["user_name"]; !ok || u.UserName == name[0] {
			found = append(found, u)
		}
	}
	slices.SortFunc(found, func(a, b *userRecord) int {
		return cmp.Or(strings.Compare(a.UserName, b.UserName), strings.Compare(a.ID, b.ID))
	})
	out := listAnswer{Users: []userJSON{}}
	for _, u := range found[min(offset, len(found)):min(offset+limit, len(found))] {
		out.Users = append(out.Users, toUserJSON(u))
	}
	out.PageInfo.CurrentCount = len(out.Users)
	if offset+limit < len(found) {
		m := emu.RandomHex(MarkerLength / 2)
		e.markers[m] = offset + limit
		out.PageInfo.NextMarker = &m
	}
	emu.WriteJSON(w, http.StatusOK, out)
}

// ForgetMarkers forgets every page marker issued, as expired ones.
func (e *Emulator) ForgetMarkers() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.markers)
}

// SeedUsers adds n users for listing tests, user0001 to userNNNN (ids
// 5eed0000-7c1d-4e4f-9a01-00000000NNNN, emails userNNNN@example.com),
// every third disabled. It returns their ids in user_name order.
func (e *Emulator) SeedUsers(n int) []string {
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		name := emu.SeedName(i)
		u := User{ID: fmt.Sprintf("5eed0000-7c1d-4e4f-9a01-%012d", i), UserName: name, DisplayName: "Seed " + name,
			Email: name + "@example.com", Enabled: i%3 != 0}
		e.AddUser(u)
		ids = append(ids, u.ID)
	}
	return ids
}
