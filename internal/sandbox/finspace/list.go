package finspace

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// ListUsers, GET /user?maxResults=&nextToken= (botocore
// data/finspace-data/2020-07-13/service-2.json: operation ListUsers, shapes
// ListUsersRequest, ListUsersResponse, ResultLimit; paginators-1.json).
// maxResults is required, 1-100 (ResultLimit); nextToken is the previous
// answer's; the answer is {"users": [User], "nextToken"} with no nextToken
// on the last page; errors InternalServer, Validation, Throttling,
// AccessDenied; no filters. Not in the model, so chosen here (inferred):
// users in userId order; only a superuser may list; the validation
// messages in AWS's usual form; a nextToken the emulator did not issue is
// a ValidationException.
const (
	// MaxListResults is ResultLimit's maximum.
	MaxListResults = 100
)

func (e *Emulator) listUsers(w http.ResponseWriter, r *http.Request, caller principal) {
	if caller.userID != "" {
		writeError(w, http.StatusForbidden, "AccessDeniedException",
			"User is not authorized to perform this operation: only a superuser can list users.", "", true)
		return
	}
	q := r.URL.Query()
	raw, given := q["maxResults"]
	if !given {
		writeError(w, http.StatusBadRequest, "ValidationException",
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null", "INVALID_PARAMETER", true)
		return
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", "Value '"+raw[0]+"' at 'maxResults' is not an integer.", "", false)
		return
	}
	if n < 1 || n > MaxListResults {
		bound := "greater than or equal to 1"
		if n > MaxListResults {
			bound = fmt.Sprintf("less than or equal to %d", MaxListResults)
		}
		writeError(w, http.StatusBadRequest, "ValidationException",
			fmt.Sprintf("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value %s", n, bound),
			"INVALID_PARAMETER", true)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	offset := 0
	if tok, ok := q["nextToken"]; ok {
		if offset, ok = e.pages[tok[0]]; !ok {
			writeError(w, http.StatusBadRequest, "ValidationException", "Invalid nextToken.", "INVALID_PARAMETER", true)
			return
		}
	}
	ids := slices.Sorted(maps.Keys(e.users))
	users := []map[string]any{}
	for _, id := range ids[min(offset, len(ids)):min(offset+n, len(ids))] {
		users = append(users, userAnswer(e.users[id].User))
	}
	out := map[string]any{"users": users}
	if offset+n < len(ids) {
		tok := emu.RandomHex(32)
		e.pages[tok] = offset + n
		out["nextToken"] = tok
	}
	emu.WriteJSON(w, http.StatusOK, out)
}

// SeedUsers adds n ENABLED APP_USERs for listing tests, user0001 to
// userNNNN (emails userNNNN@example.com), every third DISABLED. It
// returns their userIds in order.
func (e *Emulator) SeedUsers(n int) []string {
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		name := emu.SeedName(i)
		u := User{ID: name, FirstName: "Seed", LastName: strings.TrimPrefix(name, "user"), EmailAddress: name + "@example.com",
			Type: "APP_USER", Status: "ENABLED", APIAccess: "DISABLED"}
		if i%3 == 0 {
			u.Status = "DISABLED"
		}
		e.AddUser(u)
		ids = append(ids, u.ID)
	}
	return ids
}

// ForgetPageTokens forgets every nextToken issued, as expired ones.
func (e *Emulator) ForgetPageTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.pages)
}
