package finspace

import (
	"context"
	"iter"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
)

// FuzzFinSpaceListUsers lists through a server that answers every page
// with the fuzz input, through the signing transport.
func FuzzFinSpaceListUsers(f *testing.F) {
	f.Add(200, "", []byte(`{"users":[{"userId":"`+fzUser+`","status":"ENABLED","emailAddress":"a@x","createTime":1700000000000}],"nextToken":"t1"}`))
	f.Add(200, "", []byte(`{"users":[]}`))
	f.Add(200, "", []byte(`{"users":null,"nextToken":null}`))
	f.Add(200, "", []byte(`{"users":[{"userId":"`+fzSecretKey+`","createTime":"x"}]}`))
	for _, s := range fzSeeds {
		f.Add(s.status, s.errorType, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, nil)
	b := fuzzBackend(f, srv.URL)
	f.Fuzz(func(t *testing.T, status int, errorType string, body []byte) {
		srv.Set(map[string]backendtest.Answer{"": {Status: backendtest.FuzzStatus(status), Header: fuzzHeader(errorType, ""), Body: body}})
		backendtest.CheckFuzzedListing(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
			return b.ListUsers(ctx, backend.ListInput{Status: backend.StatusEnabled, PageSize: 3})
		}, Name, fzSecretKey, fzSessionToken)
	})
}
