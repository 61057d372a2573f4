package huawei

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const listPath = "/v1/identity-stores/" + TestIdentityStoreID + "/users"

func listPage(t *testing.T, h http.Handler, q url.Values) (listAnswer, int) {
	t.Helper()
	w := serve(h, newRequest(t, http.MethodGet, listPath+"?"+q.Encode(), ""))
	var out listAnswer
	if w.Code == http.StatusOK {
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
	}
	return out, w.Code
}

func TestListUsersWalk(t *testing.T) {
	e, h := newEmulator(t)
	seeded := e.SeedUsers(9)
	var ids []string
	q := url.Values{"limit": {"4"}}
	pages := 0
	for {
		out, code := listPage(t, h, q)
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		pages++
		if out.PageInfo.CurrentCount != len(out.Users) {
			t.Errorf("current_count %d for %d users", out.PageInfo.CurrentCount, len(out.Users))
		}
		for _, u := range out.Users {
			ids = append(ids, u.UserID)
		}
		if out.PageInfo.NextMarker == nil {
			break
		}
		if len(*out.PageInfo.NextMarker) != MarkerLength {
			t.Errorf("marker %q", *out.PageInfo.NextMarker)
		}
		q.Set("marker", *out.PageInfo.NextMarker)
	}
	if pages != 3 || len(ids) != 12 || strings.Join(ids[3:], ",") != strings.Join(seeded, ",") {
		t.Fatalf("%d pages: %v", pages, ids)
	}
	out, _ := listPage(t, h, url.Values{"user_name": {"user0003"}})
	if len(out.Users) != 1 || out.Users[0].UserName != "user0003" || out.Users[0].Enabled {
		t.Errorf("user_name=user0003: %+v", out.Users)
	}
	if out, _ := listPage(t, h, url.Values{"user_name": {"user000"}}); len(out.Users) != 0 {
		t.Errorf("user_name is exact, yet user000 found %d", len(out.Users))
	}
	if out, _ := listPage(t, h, url.Values{}); len(out.Users) != 12 || out.PageInfo.NextMarker != nil {
		t.Errorf("default limit: %d users, marker %v", len(out.Users), out.PageInfo.NextMarker)
	}
}

func TestListUsersValidation(t *testing.T) {
	_, h := newEmulator(t)
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "marker=short", "marker=" + strings.Repeat("0", MarkerLength)} {
		t.Run(q, func(t *testing.T) {
			checkError(t, serve(h, newRequest(t, http.MethodGet, listPath+"?"+q, "")), http.StatusBadRequest, "IIC.400")
		})
	}
	checkError(t, serve(h, newRequest(t, http.MethodGet, "/v1/identity-stores/d-0000000000/users", "")), http.StatusNotFound, "IIC.404")
	r := newRequest(t, http.MethodGet, listPath+"?limit=5", "")
	r.URL.RawQuery = "limit=6" // the signature covers the query
	checkError(t, serve(h, r), http.StatusUnauthorized, "APIGW.0301")
}
