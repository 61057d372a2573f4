// Package ocariot emulates the part of the OCARIoT API (gateway + account
// service) the provider speaks: POST /v1/auth, which issues an RS256 access
// token, and POST /v1/users/{user_id}/reset-password, which sets a user's
// password. It follows the vendors' own source: ocariot/account (release
// 2.8.0) for the account service's messages and checks, ocariot/api-gateway
// and nutes-uepb/express-apigw-base-plugin for the gateway in front of it
// (which checks the token and its scope first); each behaviour cites its
// file in handlers.go. Where section 4 of the API spec disagrees, the
// source wins. It keeps ground truth (each user's current password, every
// password set through the API) for tests. Its throttle (429) is a test
// fault: the gateway's configuration has no rate limit on these routes
// (gateway.config.yml:1285-1293 limits only the Fitbit sync).
package ocariot

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Test credentials of the seeded login users.
const (
	// TestUsername and TestPassword log in as an admin whose token's scope
	// includes users:resetPassword.
	TestUsername = "admin"
	TestPassword = "sandbox-admin-Passw0rd!"

	// TestNoScopeUsername and TestNoScopePassword log in as a user whose
	// token's scope lacks users:resetPassword: setting a password answers 403.
	TestNoScopeUsername = "auditor"
	TestNoScopePassword = "sandbox-auditor-Passw0rd!"
)

// Fixed ids of the users New seeds (24 lowercase hex characters, like the
// MongoDB ObjectIds OCARIoT uses).
const (
	// AdminUserID is the TestUsername login user.
	AdminUserID = "5a62be07d6f33400146c9b61"
	// NoScopeUserID is the TestNoScopeUsername login user.
	NoScopeUserID = "5a62be07d6f33400146c9b62"
	// ChildUserID, EducatorUserID and FamilyUserID are ordinary users whose
	// passwords a demo can manage. They start with no password set.
	ChildUserID    = "5a62be07de34500146d9c544"
	EducatorUserID = "5a62be07de34500146d9c545"
	FamilyUserID   = "5a62be07de34500146d9c546"
)

// ScopeResetPassword is the scope POST /v1/users/{user_id}/reset-password needs.
const ScopeResetPassword = "users:resetPassword"

// adminScope is what an admin's token carries (a subset of OCARIoT's admin
// scope list, with the one that matters here).
var adminScope = []string{
	"users:delete", ScopeResetPassword,
	"children:create", "children:read", "children:readAll", "children:update",
	"educators:create", "educators:read", "educators:readAll", "educators:update",
	"families:create", "families:read", "families:readAll", "families:update",
	"institutions:create", "institutions:read", "institutions:readAll",
}

// auditorScope lacks users:resetPassword.
var auditorScope = []string{"children:readAll", "educators:readAll", "families:readAll", "institutions:readAll"}

type user struct {
	// username is set for users that can log in.
	username string
	password string
	scope    []string
	// subType is the token's sub_type claim (admin, child, educator, ...).
	subType string
	// issued is every password set through the API, oldest first.
	issued []string
}

// Emulator is an OCARIoT gateway and account service in memory. Build it
// with New; it is safe for concurrent use.
type Emulator struct {
	emu.Base

	key     *rsa.PrivateKey
	handler http.Handler

	mu     sync.Mutex
	users  map[string]*user // by lowercase id
	logins int
	// revoked holds tokens refused as expired before their exp (RevokeToken).
	revoked map[string]bool
}

// New returns an emulator with a fresh RSA signing key, a real-time clock
// (Base.Clock, injectable) and the seeded users: the two login users
// (AdminUserID, NoScopeUserID) and ChildUserID, EducatorUserID, FamilyUserID.
func New() *Emulator {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		// Only a broken system random source gets here.
		panic(fmt.Sprintf("ocariot emulator: generating the token signing key: %v", err))
	}
	e := &Emulator{Base: emu.NewBase(), key: key, users: map[string]*user{}}
	e.AddLoginUser(AdminUserID, TestUsername, TestPassword, "admin", adminScope...)
	e.AddLoginUser(NoScopeUserID, TestNoScopeUsername, TestNoScopePassword, "educator", auditorScope...)
	for _, id := range []string{ChildUserID, EducatorUserID, FamilyUserID} {
		e.AddUser(id)
	}
	e.handler = e.Wrap(e.routes(), writeTooMany)
	return e
}

// Handler serves the API, with the Base's recorder, faults and throttle.
func (e *Emulator) Handler() http.Handler { return e.handler }

// AddUser adds (or empties) a user with no password and no login.
func (e *Emulator) AddUser(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users[strings.ToLower(id)] = &user{subType: "child"}
}

// AddLoginUser adds a user that can log in with username and password and
// whose tokens carry the given scope.
func (e *Emulator) AddLoginUser(id, username, password, subType string, scope ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users[strings.ToLower(id)] = &user{username: username, password: password, subType: subType, scope: slices.Clone(scope)}
}

// DeleteUser removes a user; setting its password then answers 404, and its
// tokens are refused (the gateway no longer knows the consumer).
func (e *Emulator) DeleteUser(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.users, strings.ToLower(id))
}

// CurrentPassword returns the user's current password ("" when none was ever
// set) and whether the user exists.
func (e *Emulator) CurrentPassword(id string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[strings.ToLower(id)]
	if !ok {
		return "", false
	}
	return u.password, true
}

// IssuedPasswords returns every password set for the user through the API,
// oldest first (SetPasswordBehindBack does not add to it).
func (e *Emulator) IssuedPasswords(id string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[strings.ToLower(id)]
	if !ok {
		return nil
	}
	return slices.Clone(u.issued)
}

// SetPasswordBehindBack changes the user's password outside the API, as an
// operator would behind Terraform's back. It reports whether the user exists.
func (e *Emulator) SetPasswordBehindBack(id, password string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[strings.ToLower(id)]
	if ok {
		u.password = password
	}
	return ok
}

// Logins is the number of access tokens issued by POST /v1/auth.
func (e *Emulator) Logins() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.logins
}

// IssueToken returns a valid access token for a login user without a login
// request (not counted by Logins), e.g. for OCARIOT_ACCESS_TOKEN in a demo.
func (e *Emulator) IssueToken(username string) (string, error) {
	e.mu.Lock()
	id, u := e.findLogin(username)
	var c claims
	if u != nil {
		c = e.claimsFor(id, u)
	}
	e.mu.Unlock()
	if u == nil {
		return "", fmt.Errorf("no login user %q", username)
	}
	return signToken(e.key, c)
}

// findLogin returns the login user with the username; e.mu must be held.
func (e *Emulator) findLogin(username string) (string, *user) {
	for id, u := range e.users {
		if u.username != "" && u.username == username {
			return id, u
		}
	}
	return "", nil
}

// claimsFor returns the claims of a new token for the user, valid one day
// from now on the emulator's clock; e.mu must be held.
func (e *Emulator) claimsFor(id string, u *user) claims {
	now := e.Clock.Now()
	return claims{
		Sub:     id,
		SubType: u.subType,
		Iss:     tokenIssuer,
		Iat:     now.Unix(),
		Exp:     now.Add(tokenLifetime).Unix(),
		Scope:   strings.Join(u.scope, " "),
	}
}
