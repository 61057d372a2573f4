package zato

import (
	"context"
	"iter"
	"net/http"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// FuzzZatoListUsers lists through a server that answers every search
// with the fuzz input (the login as documented).
func FuzzZatoListUsers(f *testing.F) {
	f.Add(200, []byte(`{"status":"ok","cid":"c","sub_status":[],"total":3,"num_pages":2,"page_size":2,"cur_page":1,"has_next_page":true,"next_page":2,"prev_page":0,"result":[{"user_id":"`+fzUser+`","username":"a","email":null,"is_active":true,"is_locked":false}]}`))
	f.Add(200, []byte(`{"status":"ok","cid":"c","total":0,"has_next_page":false,"next_page":null,"result":[]}`))
	f.Add(200, []byte(`{"status":"ok","cid":"c","has_next_page":"yes","next_page":1,"result":[]}`))
	f.Add(200, []byte(`{"status":"ok","cid":"c","result":"`+fzUST+`"}`))
	f.Add(500, []byte(`{"result":"Error","cid":"c","details":"Internal server error"}`))
	for _, s := range fzSeeds {
		f.Add(s.status, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, func(r *http.Request) string {
		if r.URL.Path == "/zato/sso/user/login" {
			return "login"
		}
		return ""
	})
	b, err := NewREST(RESTConfig{URL: srv.URL, Username: "admin1", Password: fzSuperPassword, CurrentApp: "CRM"},
		transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		srv.Set(map[string]backendtest.Answer{
			"login": {Status: 200, Body: []byte(`{"status":"ok","cid":"c","ust":"` + fzUST + `"}`)},
			"":      {Status: backendtest.FuzzStatus(status), Body: body},
		})
		backendtest.CheckFuzzedListing(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
			return b.ListUsers(ctx, backend.ListInput{Status: backend.StatusDisabled, PageSize: 2})
		}, restName, fzSuperPassword, fzUST)
	})
}
