package huawei

import (
	"context"
	"iter"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/backendtest"
)

// FuzzHuaweiListUsers lists through a server that answers every page with
// the fuzz input, through the signing transport.
func FuzzHuaweiListUsers(f *testing.F) {
	f.Add(200, "", []byte(`{"users":[{"user_id":"`+fzUser+`","user_name":"u","emails":[{"primary":true,"value":"u@x"}],"enabled":true}],"page_info":{"next_marker":"m1","current_count":1}}`))
	f.Add(200, "", []byte(`{"users":[],"page_info":{"next_marker":null,"current_count":0}}`))
	f.Add(200, "", []byte(`{"users":[{"user_id":"`+fzSecretKey+`","emails":"x"}]}`))
	for _, s := range fzSeeds {
		f.Add(s.status, s.requestID, []byte(s.body))
	}
	srv := backendtest.NewFuzzServer(f, nil)
	b := fuzzBackend(f, srv.URL)
	f.Fuzz(func(t *testing.T, status int, requestID string, body []byte) {
		srv.Set(map[string]backendtest.Answer{"": {Status: backendtest.FuzzStatus(status), Header: backendtest.RequestID(requestID), Body: body}})
		backendtest.CheckFuzzedListing(t, func(ctx context.Context) iter.Seq2[backend.ListedUser, error] {
			return b.ListUsers(ctx, backend.ListInput{NamePrefix: "u", PageSize: 3})
		}, backendName, fzSecretKey, fzSecurityToken)
	})
}
