package finspace

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestListUsersWalk(t *testing.T) {
	e, srv := newServer(t)
	seeded := e.SeedUsers(12)
	var ids []string
	token, pages := "", 0
	for {
		q := url.Values{"maxResults": {"5"}}
		if token != "" {
			q.Set("nextToken", token)
		}
		a := call(t, srv, http.MethodGet, "/user?"+q.Encode(), "", "", signing{at: e.Clock.Now()})
		if a.status != http.StatusOK {
			t.Fatalf("%d %v", a.status, a.body)
		}
		pages++
		for _, u := range a.body["users"].([]any) {
			m := u.(map[string]any)
			ids = append(ids, m["userId"].(string))
			if _, ok := m["createTime"].(float64); !ok || m["status"] == nil {
				t.Errorf("user %v", m)
			}
		}
		next, ok := a.body["nextToken"].(string)
		if !ok {
			break
		}
		token = next
	}
	if pages != 3 || len(ids) != 15 {
		t.Fatalf("%d pages, %d users", pages, len(ids))
	}
	if strings.Join(ids[3:], ",") != strings.Join(seeded, ",") {
		t.Errorf("users %v", ids)
	}
}

func TestListUsersValidation(t *testing.T) {
	e, srv := newServer(t)
	tests := []struct {
		query, errType, message string
		status                  int
	}{
		{"", "ValidationException", "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null", 400},
		{"maxResults=0", "ValidationException", "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1", 400},
		{"maxResults=101", "ValidationException", "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100", 400},
		{"maxResults=ten", "SerializationException", "Value 'ten' at 'maxResults' is not an integer.", 400},
		{"maxResults=10&nextToken=bogus", "ValidationException", "Invalid nextToken.", 400},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			a := call(t, srv, http.MethodGet, "/user?"+tc.query, "", "", signing{at: e.Clock.Now()})
			if a.status != tc.status || !strings.HasPrefix(a.errorType, tc.errType) || a.body["message"] != tc.message {
				t.Errorf("%d %s %v", a.status, a.errorType, a.body)
			}
		})
	}
}

func TestListUsersAuth(t *testing.T) {
	e, srv := newServer(t)
	if a := call(t, srv, http.MethodGet, "/user?maxResults=5", "", "", signing{unsigned: true}); a.status != http.StatusForbidden {
		t.Errorf("unsigned: %d %v", a.status, a.body)
	}
	app := aws.Credentials{AccessKeyID: TestAppUserAccessKeyID, SecretAccessKey: TestAppUserSecretAccessKey}
	if a := call(t, srv, http.MethodGet, "/user?maxResults=5", "", "", signing{creds: app, at: e.Clock.Now()}); a.status != http.StatusForbidden || !strings.HasPrefix(a.errorType, "AccessDeniedException") {
		t.Errorf("app user: %d %s %v", a.status, a.errorType, a.body)
	}
	if a := call(t, srv, http.MethodPost, "/user", "", "", signing{at: e.Clock.Now()}); a.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /user: %d", a.status)
	}
}
