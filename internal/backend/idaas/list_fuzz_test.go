package idaas

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

// FuzzIDaaSListUsers lists through a server that answers every userspaged
// request with the fuzz input (authentication answers as documented).
func FuzzIDaaSListUsers(f *testing.F) {
	f.Add(200, []byte(`{"results":[{"id":"`+fzUser+`","userId":"jdoe","email":"j@x","state":"ACTIVE","locked":false}],"paging":{"limit":100,"nextCursor":"c1"}}`))
	f.Add(200, []byte(`{"results":[],"paging":{"limit":100}}`))
	f.Add(200, []byte(`{"paging":{"limit":100}}`))
	f.Add(200, []byte(`{"results":[{"userId":"`+fzSharedSecret+`"}],"paging":{"nextCursor":"`+fzToken+`"}}`))
	for _, s := range fzSeeds {
		f.Add(s.status, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, func(r *http.Request) string {
		if r.URL.Path == "/api/web/v1/adminapi/authenticate" {
			return "auth"
		}
		return ""
	})
	b, err := New(Config{URL: srv.URL, ApplicationID: "fuzz-app", SharedSecret: fzSharedSecret},
		transport.Config{MaxRetries: 0, RequestTimeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		srv.Set(map[string]backendtest.Answer{
			"auth": {Status: 200, Body: []byte(fzAuthOK)},
			"":     {Status: backendtest.FuzzStatus(status), Body: body},
		})
		backendtest.CheckFuzzedListing(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
			return b.ListUsers(ctx, backend.ListInput{NamePrefix: "j", PageSize: 5})
		}, Name, fzSharedSecret, fzToken)
	})
}
