package idaas

// Conformance of the emulator to the Administration API's OpenAPI (v5.46,
// maccuaa/intellitrust-js-sdk openapi/administration.json at 517aae5d; line
// numbers of that pretty-printed file). Each row's status must be one the
// operation lists under "responses", and its body must hold only members of
// the schema the operation answers with (and each member of a nested object
// only those of its own schema). No error codes are published: the rows
// check the shape, not errorCode.

import (
	"maps"
	"slices"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Schema members, from #/components/schemas.
var (
	// ErrorInfo, l.25485; parameters is an array of objects.
	errorInfoMembers = []string{"errorCode", "errorMessage", "parameters"}
	// AdminApiAuthenticationResult, l.23285.
	authResultMembers = []string{"authToken", "creationTime", "expirationTime"}
	// UserPassword, l.33430.
	userPasswordMembers = []string{"compromised", "expiryNotificationDate", "expiryTime", "forceUpdate", "id",
		"lastChangedTime", "lastCompromisedCheckTime", "namedPasswordId", "newPassword", "present"}
	// User, l.32371 (the members the emulator models are among them).
	userMembers = []string{"id", "userId", "firstName", "lastName", "email", "state", "locked", "userAliases", "directoryId",
		"type", "lockoutExpiry", "passwordExpirationTime", "passwordCompromised"}
	// UserAlias, l.32772; type is one of CUSTOM, DERIVED, USERID.
	userAliasMembers = []string{"id", "type", "userId", "value"}
)

// listedStatuses is what every operation the provider uses lists under
// "responses": authenticate (l.636), the passwords GET, PUT and DELETE
// (l.15130), GET /api/web/v3/users/{id} (l.20976) and POST
// /api/web/v3/users/userid (l.20887).
var listedStatuses = []int{200, 400, 401, 403, 404, 409}

func TestOpenAPIConformance(t *testing.T) {
	h := newHarness(t)
	token := h.token()
	hash, err := bcrypt.GenerateFromPassword([]byte("Imported-Passw0rd-1"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	const nobody = "00000000-0000-4000-8000-0000000000ff"
	const erin = "e1e00000-0000-4000-8000-0000000000e1"
	h.e.AddUser(User{ID: erin, UserID: "erin", State: "ACTIVE", Aliases: []string{"erin@corp"}})
	rows := []struct {
		name         string
		method, path string
		auth         string
		body         any
		status       int
		members      []string // the answer's schema (nil: no body)
	}{
		// POST /api/web/v1/adminapi/authenticate (l.636): AdminApiAuthentication in, AdminApiAuthenticationResult out.
		{"authenticate", "POST", "/api/web/v1/adminapi/authenticate", "",
			map[string]any{"applicationId": TestApplicationID, "sharedSecret": TestSharedSecret}, 200, authResultMembers},
		{"authenticate, wrong secret", "POST", "/api/web/v1/adminapi/authenticate", "",
			map[string]any{"applicationId": TestApplicationID, "sharedSecret": "wrong"}, 401, errorInfoMembers},
		// PUT /api/web/v1/users/{userid}/passwords (l.15130): UserPasswordParms in, UserPassword out.
		{"set a password", "PUT", pwPath(UserBob), token,
			map[string]any{"password": "Chosen-Passw0rd-77", "emailPassword": false}, 200, userPasswordMembers},
		{"generate and return", "PUT", pwPath(UserBob), token,
			map[string]any{"generatePassword": true, "returnPassword": true, "emailPassword": false}, 200, userPasswordMembers},
		// passwordFormat: CLEARTEXT | BCRYPT | GETACCESS (UserPasswordParms, l.33510).
		{"bcrypt import", "PUT", pwPath(UserBob), token,
			map[string]any{"password": string(hash), "passwordFormat": "BCRYPT", "emailPassword": false}, 200, userPasswordMembers},
		{"getaccess import", "PUT", pwPath(UserBob), token,
			map[string]any{"password": "opaque-getaccess-hash", "passwordFormat": "GETACCESS", "emailPassword": false}, 200, userPasswordMembers},
		{"unknown format", "PUT", pwPath(UserBob), token,
			map[string]any{"password": "x", "passwordFormat": "MD5", "emailPassword": false}, 400, errorInfoMembers},
		{"unknown user", "PUT", pwPath(nobody), token, map[string]any{"password": "Chosen-Passw0rd-77", "emailPassword": false}, 404, errorInfoMembers},
		{"no token", "PUT", pwPath(UserBob), "", map[string]any{"password": "Chosen-Passw0rd-77"}, 401, errorInfoMembers},
		{"get a password", "GET", pwPath(UserAlice), token, nil, 200, userPasswordMembers},
		// DELETE answers 200 without a body.
		{"remove a password", "DELETE", pwPath(UserAlice), token, nil, 200, nil},
		// GET /api/web/v3/users/{id} (l.20976): User.
		{"read a user", "GET", "/api/web/v3/users/" + UserAlice, token, nil, 200, userMembers},
		{"read a user with an alias", "GET", "/api/web/v3/users/" + erin, token, nil, 200, userMembers},
		{"read an unknown user", "GET", "/api/web/v3/users/" + nobody, token, nil, 404, errorInfoMembers},
		// POST /api/web/v3/users/userid (l.20887): UserGetParms {userId*} in, User out.
		{"read a user by login", "POST", "/api/web/v3/users/userid", token, map[string]any{"userId": "alice"}, 200, userMembers},
		{"read by login without userId", "POST", "/api/web/v3/users/userid", token, map[string]any{}, 400, errorInfoMembers},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			code, out := h.do(r.method, r.path, r.auth, r.body)
			if code != r.status || !slices.Contains(listedStatuses, code) {
				t.Fatalf("HTTP %d, want %d (listed: %v): %v", code, r.status, listedStatuses, out)
			}
			if r.members == nil {
				if out != nil {
					t.Fatalf("a body where the operation answers none: %v", out)
				}
				return
			}
			onlyMembers(t, out, r.members)
			if params, ok := out["parameters"]; ok {
				for _, p := range params.([]any) {
					if _, ok := p.(map[string]any); !ok {
						t.Fatalf("ErrorInfo.parameters items are objects, not %T", p)
					}
				}
			}
			if aliases, ok := out["userAliases"].([]any); ok {
				if out["id"] == erin && len(aliases) != 1 {
					t.Fatalf("userAliases %v", aliases)
				}
				for _, a := range aliases {
					alias, _ := a.(map[string]any)
					onlyMembers(t, alias, userAliasMembers)
					if !slices.Contains([]any{"CUSTOM", "DERIVED", "USERID"}, alias["type"]) {
						t.Fatalf("UserAlias.type %v", alias["type"])
					}
				}
			}
		})
	}
}

// onlyMembers fails when out holds a member its schema does not have.
func onlyMembers(t *testing.T, out map[string]any, members []string) {
	t.Helper()
	if out == nil {
		t.Fatal("no body")
	}
	for _, k := range slices.Sorted(maps.Keys(out)) {
		if !slices.Contains(members, k) {
			t.Errorf("member %q is not in the schema %v", k, members)
		}
	}
}
