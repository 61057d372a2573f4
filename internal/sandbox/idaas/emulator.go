// Package idaas emulates the part of the Entrust Identity as a Service (IDaaS)
// Administration API that the provider speaks: authentication with an
// application id and shared secret, setting, generating, reading and removing
// a user's password, and reading users. It follows the Administration API's
// OpenAPI (v5.46, in maccuaa/intellitrust-js-sdk openapi/administration.json:
// paths, UserPasswordParms, UserPassword, User, UserAlias, ErrorInfo) and
// section 1 of /work/shared/spec/apis.md where the OpenAPI says nothing
// (the tenant's password policy), not the provider's client.
//
// The emulator keeps ground truth (each user's current password, every
// password issued, every email IDaaS would have sent) and exposes it to tests.
//
// Errors: the shape is ErrorInfo {"errorCode", "errorMessage", "parameters":
// [object]} (#/components/schemas/ErrorInfo) with the statuses each
// operation lists (400, 401, 403, 404, 409). No error codes are published,
// so the errorCode strings below are invented (plausible, upper snake
// case), as is what a parameter object holds ({"name": ...}): clients must
// not depend on them alone.
package idaas

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Accepted Administration API credentials.
const (
	TestApplicationID = "5e1f0c2a-sandbox-admin-api"
	TestSharedSecret  = "sandbox-idaas-shared-secret-0123456789abcdef"
)

// Seeded users (fixed UUIDs, documented for the demo).
const (
	// UserAlice (login "alice") is active and has a password.
	UserAlice = "a11ce000-0000-4000-8000-000000000001"
	// UserBob (login "bob") is active and has no password yet.
	UserBob = "b0b00000-0000-4000-8000-000000000002"
	// UserCarol (login "carol") is active but locked.
	UserCarol = "ca201000-0000-4000-8000-000000000003"
	// UserDave (login "dave") is inactive.
	UserDave = "da7e0000-0000-4000-8000-000000000004"
)

// TokenLifetime is how long an authToken is accepted, on the emulator clock.
const TokenLifetime = 15 * time.Minute

// Permissions the emulator checks. Every one is granted unless SetPermissions
// says otherwise.
const (
	PermPasswordsEdit   = "USERPASSWORDS:EDIT"
	PermPasswordsView   = "USERPASSWORDS:VIEW"
	PermPasswordsRemove = "USERPASSWORDS:REMOVE"
	PermUsersView       = "USERS:VIEW"
)

// Email kinds recorded by EmailsSent.
const (
	EmailPasswordSet       = "password_set"
	EmailPasswordGenerated = "password_generated"
)

// TimestampStyle is how the emulator writes timestamps.
type TimestampStyle int

const (
	// StyleAlternate alternates between StyleZulu and StyleOffset from one
	// response to the next (the default), so that clients meet both.
	StyleAlternate TimestampStyle = iota
	// StyleZulu writes 2025-01-02T03:04:05.000Z.
	StyleZulu
	// StyleOffset writes 2025-01-02T03:04:05.000+0000.
	StyleOffset
)

const (
	layoutZulu   = "2006-01-02T15:04:05.000Z07:00"
	layoutOffset = "2006-01-02T15:04:05.000-0700"
)

// User is a user of the emulated tenant.
type User struct {
	// ID is the user's UUID.
	ID string
	// UserID is the login name.
	UserID    string
	Aliases   []string
	Email     string
	FirstName string
	LastName  string
	// State is e.g. "ACTIVE" or "INACTIVE"; empty means "ACTIVE".
	State  string
	Locked bool
	// Synchronized marks a directory-synchronised (AD) user: setting its
	// password needs currentPassword, and a bcrypt import is refused.
	Synchronized bool
}

// Email is one email IDaaS would have sent.
type Email struct {
	// UserID is the user's UUID.
	UserID string
	// Kind is EmailPasswordSet or EmailPasswordGenerated.
	Kind string
	At   time.Time
}

// historyEntry is one password in a user's history: cleartext, or a bcrypt
// hash for an imported one.
type historyEntry struct {
	clear string
	hash  string
}

func (h historyEntry) matches(pw string) bool {
	if h.hash != "" {
		return bcrypt.CompareHashAndPassword([]byte(h.hash), []byte(pw)) == nil
	}
	return h.clear == pw
}

type userRecord struct {
	User
	present     bool
	current     historyEntry
	history     []historyEntry // newest first, the current password included
	issued      []string
	lastChanged time.Time
	expiry      *time.Time
	forceUpdate bool
}

// Emulator is an emulated IDaaS tenant. It is safe for concurrent use.
type Emulator struct {
	emu.Base

	mu          sync.Mutex
	users       map[string]*userRecord
	tokens      map[string]time.Time
	policy      Policy
	permissions map[string]bool // nil: every permission
	emails      []Email
	auths       int
	style       TimestampStyle
	stamps      int
}

// New returns an emulator with the seeded users (see the User* constants)
// and DefaultPolicy. Alice's initial password is issued at creation and can
// be read with CurrentPassword.
func New() *Emulator {
	e := &Emulator{
		Base:   emu.NewBase(),
		users:  map[string]*userRecord{},
		tokens: map[string]time.Time{},
		policy: DefaultPolicy(),
	}
	e.AddUser(User{ID: UserAlice, UserID: "alice", Email: "alice@example.com", FirstName: "Alice", LastName: "Archer", State: "ACTIVE"})
	e.AddUser(User{ID: UserBob, UserID: "bob", Email: "bob@example.com", FirstName: "Bob", LastName: "Baker", State: "ACTIVE"})
	e.AddUser(User{ID: UserCarol, UserID: "carol", Email: "carol@example.com", FirstName: "Carol", LastName: "Cole", State: "ACTIVE", Locked: true})
	e.AddUser(User{ID: UserDave, UserID: "dave", Email: "dave@example.com", FirstName: "Dave", LastName: "Dunn", State: "INACTIVE"})
	e.SetPasswordBehindBack(UserAlice, e.policy.generate())
	return e
}

// Handler serves the Administration API, wrapped by the Base (recorder,
// faults, throttle).
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/web/v1/adminapi/authenticate", e.authenticate)
	mux.HandleFunc("PUT /api/web/v1/users/{id}/passwords", e.authorized(PermPasswordsEdit, e.putPassword))
	mux.HandleFunc("GET /api/web/v1/users/{id}/passwords", e.authorized(PermPasswordsView, e.withUser(e.getPassword)))
	mux.HandleFunc("DELETE /api/web/v1/users/{id}/passwords", e.authorized(PermPasswordsRemove, e.withUser(e.deletePassword)))
	mux.HandleFunc("GET /api/web/v3/users/{id}", e.authorized(PermUsersView, e.withUser(e.getUser)))
	mux.HandleFunc("POST /api/web/v3/users/userid", e.authorized(PermUsersView, e.getUserByLogin))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "No resource matches "+r.Method+" "+r.URL.Path+".")
	})
	return e.Wrap(mux, func(w http.ResponseWriter) {
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Too many requests; try again later.")
	})
}

// AddUser adds (or replaces) a user, without a password.
func (e *Emulator) AddUser(u User) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u.State == "" {
		u.State = "ACTIVE"
	}
	u.ID = strings.ToLower(u.ID)
	u.Aliases = slices.Clone(u.Aliases)
	e.users[u.ID] = &userRecord{User: u}
}

// DeleteUser removes a user; later calls for it answer 404.
func (e *Emulator) DeleteUser(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.users, strings.ToLower(id))
}

// SetUserState changes a user's state and lock.
func (e *Emulator) SetUserState(id, state string, locked bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.users[strings.ToLower(id)]; u != nil {
		u.State, u.Locked = state, locked
	}
}

// CurrentPassword returns the user's current cleartext password. ok is false
// for an unknown user, a user without a password, and a bcrypt import (see
// CurrentPasswordHash).
func (e *Emulator) CurrentPassword(id string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(id)]
	if u == nil || !u.present || u.current.hash != "" {
		return "", false
	}
	return u.current.clear, true
}

// CurrentPasswordHash returns the bcrypt hash of an imported password.
func (e *Emulator) CurrentPasswordHash(id string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(id)]
	if u == nil || !u.present || u.current.hash == "" {
		return "", false
	}
	return u.current.hash, true
}

// PasswordMatches reports whether pw is the user's current password
// (cleartext or bcrypt import).
func (e *Emulator) PasswordMatches(id, pw string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(id)]
	return u != nil && u.present && u.current.matches(pw)
}

// IssuedPasswords returns every cleartext password ever set or generated for
// the user, oldest first (bcrypt imports are not included).
func (e *Emulator) IssuedPasswords(id string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.users[strings.ToLower(id)]; u != nil {
		return slices.Clone(u.issued)
	}
	return nil
}

// MustChange reports the user's forceUpdate flag.
func (e *Emulator) MustChange(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(id)]
	return u != nil && u.forceUpdate
}

// EmailsSent returns every email IDaaS would have sent, oldest first. One is
// recorded whenever emailPassword is true or absent (its default is true).
func (e *Emulator) EmailsSent() []Email {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.emails)
}

// SetPasswordBehindBack sets a password as an administrator in the portal
// would, bypassing policy and history: lastChangedTime moves to now, for
// drift tests. It does nothing for an unknown user.
func (e *Emulator) SetPasswordBehindBack(id, pw string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(id)]
	if u == nil {
		return
	}
	e.setLocked(u, historyEntry{clear: pw}, false, nil)
}

// Authentications is the number of successful authenticate calls.
func (e *Emulator) Authentications() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.auths
}

// SetTenantPolicy replaces the tenant's password policy.
func (e *Emulator) SetTenantPolicy(p Policy) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.policy = p
}

// SetPermissions limits the API application's permissions to perms (e.g.
// PermPasswordsView); nil grants every permission again.
func (e *Emulator) SetPermissions(perms []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if perms == nil {
		e.permissions = nil
		return
	}
	e.permissions = map[string]bool{}
	for _, p := range perms {
		e.permissions[p] = true
	}
}

// SetTimestampStyle chooses how timestamps are written (default StyleAlternate).
func (e *Emulator) SetTimestampStyle(s TimestampStyle) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.style = s
}

// RevokeTokens forgets every issued token, as if they had all expired.
func (e *Emulator) RevokeTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.tokens)
}

// setLocked makes pw the user's current password. e.mu must be held.
func (e *Emulator) setLocked(u *userRecord, pw historyEntry, force bool, expiry *time.Time) {
	now := e.Clock.Now()
	u.present = true
	u.current = pw
	u.history = append([]historyEntry{pw}, u.history...)
	if pw.clear != "" {
		u.issued = append(u.issued, pw.clear)
	}
	u.lastChanged = now
	u.forceUpdate = force
	switch {
	case expiry != nil:
		t := expiry.UTC()
		u.expiry = &t
	case e.policy.ExpiryDays > 0:
		t := now.AddDate(0, 0, e.policy.ExpiryDays)
		u.expiry = &t
	default:
		u.expiry = nil
	}
}

// formatTime writes t in the current timestamp style. e.mu must be held.
func (e *Emulator) formatTime(t time.Time) string {
	style := e.style
	if style == StyleAlternate {
		if e.stamps%2 == 0 {
			style = StyleOffset
		} else {
			style = StyleZulu
		}
	}
	if style == StyleOffset {
		return t.UTC().Format(layoutOffset)
	}
	return t.UTC().Format(layoutZulu)
}

// nextStyle moves the alternation on, once per response. e.mu must be held.
func (e *Emulator) nextStyle() { e.stamps++ }

func newToken() string { return emu.RandomHex(32) }

// apiError is the documented error body.
type apiError struct {
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	Parameters   []any  `json:"parameters"`
}

// writeError answers ErrorInfo; each parameter (a name) goes in as an
// object, as the schema types them (their members are not published:
// {"name"} is the emulator's own).
func writeError(w http.ResponseWriter, status int, code, msg string, params ...string) {
	objects := []any{}
	for _, p := range params {
		objects = append(objects, map[string]string{"name": p})
	}
	emu.WriteJSON(w, status, apiError{ErrorCode: code, ErrorMessage: msg, Parameters: objects})
}
