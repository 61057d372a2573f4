package ocariot

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

// FuzzOCARIoTListUsers lists through a server that answers every listing
// request, of every user type, with the fuzz input (the login as
// documented).
func FuzzOCARIoTListUsers(f *testing.F) {
	f.Add(200, "3", []byte(`[{"id":"`+fzUser+`","username":"kid"},{"id":"5a62be07d6f33400146c9b62","username":"kid2"}]`))
	f.Add(200, "", []byte(`[]`))
	f.Add(200, "x", []byte(`{"id":"`+fzUser+`"}`))
	f.Add(200, "-1", []byte(`[{"id":"`+fzLoginPassword+`","username":null}]`))
	for _, s := range fzSeeds {
		f.Add(s.status, "", []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, func(r *http.Request) string {
		if r.URL.Path == "/v1/auth" {
			return "login"
		}
		return ""
	})
	b, err := New(Config{URL: srv.URL, Username: "fz-admin", Password: fzLoginPassword}, transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, total string, body []byte) {
		srv.Set(map[string]backendtest.Answer{
			"login": {Status: 200, Body: []byte(`{"access_token":"` + fzToken + `"}`)},
			"":      {Status: backendtest.FuzzStatus(status), Header: http.Header{"X-Total-Count": {total}}, Body: body},
		})
		backendtest.CheckFuzzedListing(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
			return b.ListUsers(ctx, backend.ListInput{PageSize: 2})
		}, name, fzLoginPassword, fzToken)
	})
}
