package finspace

import (
	"testing"

	"github.com/aws/aws-sdk-go/aws"                  //nolint:staticcheck // SA1019: see conformance_test.go
	"github.com/aws/aws-sdk-go/service/finspacedata" //nolint:staticcheck // SA1019: see conformance_test.go
)

// TestSDKConformance_listUsers runs the SDK's own ListUsers paginator
// (paginators-1.json: nextToken in and out, limit key maxResults) over the
// emulator, and its typed errors for a refused page.
func TestSDKConformance_listUsers(t *testing.T) {
	e, srv := conformanceServer(t)
	seeded := e.SeedUsers(23)
	super := sdkClient(t, srv.URL, TestAccessKeyID, TestSecretAccessKey)
	var ids []string
	pages := 0
	err := super.ListUsersPages(&finspacedata.ListUsersInput{MaxResults: aws.Int64(10)}, func(out *finspacedata.ListUsersOutput, last bool) bool {
		pages++
		for _, u := range out.Users {
			ids = append(ids, aws.StringValue(u.UserId))
			if u.CreateTime == nil || aws.StringValue(u.Status) == "" {
				t.Errorf("user %v", u)
			}
		}
		if last != (out.NextToken == nil) {
			t.Errorf("page %d: last %v, nextToken %v", pages, last, out.NextToken)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 3 || len(ids) != len(seeded)+3 {
		t.Fatalf("%d pages, %d users", pages, len(ids))
	}
	// maxResults 101 passes the client (its Validate checks the minimum
	// only) and is the service's ValidationException.
	_, err = super.ListUsers(&finspacedata.ListUsersInput{MaxResults: aws.Int64(101)})
	if !isType[*finspacedata.ValidationException](err) {
		t.Errorf("maxResults 101: %T %v", err, err)
	}
	_, err = super.ListUsers(&finspacedata.ListUsersInput{MaxResults: aws.Int64(10), NextToken: aws.String("bogus")})
	if !isType[*finspacedata.ValidationException](err) {
		t.Errorf("bogus nextToken: %T %v", err, err)
	}
	app := sdkClient(t, srv.URL, TestAppUserAccessKeyID, TestAppUserSecretAccessKey)
	if _, err = app.ListUsers(&finspacedata.ListUsersInput{MaxResults: aws.Int64(10)}); !isType[*finspacedata.AccessDeniedException](err) {
		t.Errorf("app user: %T %v", err, err)
	}
}
