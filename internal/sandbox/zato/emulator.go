// Package zato emulates Zato SSO (Zato 3.x) as the provider speaks to it: the
// REST channels under /zato/sso (super-user login, password change, the
// must-change flag, reading a user, the super-user search) and, through a
// fake `zato` command built from ./fakezato, the `zato sso
// reset-user-password` and `zato sso change-user-password` CLI.
//
// It follows Zato 3.2's own source (zatosource/zato, branch support/3.2,
// paths under code/; 3.3 is the same in every file cited), each behaviour
// citing the file it follows. Where that source and section 5 of
// /work/shared/spec/apis.md disagree, the source wins. In short:
//   - every answer is {"cid", "status", "sub_status", ...}; a refusal is
//     HTTP 403 with the real code where the service discloses it, an
//     unknown current_app HTTP 200 with status "error" and E004001, a
//     malformed request HTTP 400 {"result": "Error", "cid", "details": "Bad
//     request"} (wire.go);
//   - a user that does not exist is E005001 to GET /zato/sso/user, and a
//     password PATCH for one succeeds without changing anything;
//   - password validation answers the first failing rule's one code.
//
// Still unconfirmed by source: the throttle's 429 (Zato documents none).
//
// The emulator keeps ground truth (each user's current password and every
// password issued) and exposes it to tests, as does the fake CLI's state file.
package zato

import (
	"slices"
	"sync"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Apps are the server's configured apps (sso.conf [apps] all,
// create_server.py:417): every call's current_app must be one of them
// (zato-server .../service/internal/sso/__init__.py:99-103).
var Apps = []string{TestCurrentApp, "Portal", NoLoginApp}

// LoginAllowedApps are sso.conf [apps] login_allowed (create_server.py:421):
// logging in also needs current_app among them (zato-sso util.py:311-318).
var LoginAllowedApps = []string{TestCurrentApp, "Portal"}

// NoLoginApp is an app of Apps that is not in LoginAllowedApps: a login
// naming it answers 403 E004001.
const NoLoginApp = "Reports"

// The super-user the provider logs in as, and the current_app it names.
const (
	TestUsername   = "admin1"
	TestPassword   = "Sandbox-Super-User-Pass-7431"
	TestCurrentApp = "CRM"
)

// Seeded users: fixed user_ids and usernames, documented for the demo.
const (
	// AdminUserID is the super-user TestUsername.
	AdminUserID = "zusr0admin1sandbox0000000000"

	// AliceUserID (username "alice") is an active regular user whose
	// password is AlicePassword; she can log in (a non-super-user session).
	AliceUserID   = "zusr1alice0sandbox0000000000"
	AliceUsername = "alice"
	AlicePassword = "Alice-Initial-Pass-2291"

	// BobUserID (username "bob") is active and must change his password.
	BobUserID   = "zusr2bob000sandbox0000000000"
	BobUsername = "bob"
	BobPassword = "Bob-Initial-Pass-5580"

	// CarolUserID (username "carol") is locked.
	CarolUserID   = "zusr3carol0sandbox0000000000"
	CarolUsername = "carol"
	CarolPassword = "Carol-Initial-Pass-9902"
)

// User is a Zato SSO user as tests seed and inspect it.
type User struct {
	// ID is the user_id (zusr...); AddUser makes one up when empty.
	ID       string
	Username string
	Password string
	// Email is the user's email address, null in answers when empty.
	Email string
	// SuperUser may act on other users.
	SuperUser bool
	// Inactive is is_active false, which Zato does not check anywhere
	// ("Currently unused and always set to True", zato-common
	// .../odb/model/sso.py _SSOUser.is_active): such a user still logs in.
	Inactive bool
	// Locked users cannot log in (E005002); GET reports is_locked.
	Locked bool
	// MustChange is password_must_change.
	MustChange bool
	// PasswordLastSet and PasswordExpiry are password_last_set and
	// password_expiry; AddUser sets them from the clock when zero.
	PasswordLastSet time.Time
	PasswordExpiry  time.Time
}

type user struct {
	User
	// created is when AddUser added it: sign_up_time and the like.
	created time.Time
	issued  []string
}

type session struct {
	userID  string
	expires time.Time
}

// Emulator is an emulated Zato server's SSO REST channels.
type Emulator struct {
	emu.Base

	mu       sync.Mutex
	users    map[string]*user // by user_id
	sessions map[string]*session
	usts     []string
	logins   int
}

// New returns an emulator with the seeded users: the super-user
// TestUsername, and alice, bob and carol (see the constants).
func New() *Emulator {
	return newEmulator(nil)
}

// NewAt is New with the clock fixed at now before the users are seeded, so
// that their password_last_set is now.
func NewAt(now time.Time) *Emulator {
	return newEmulator(&now)
}

func newEmulator(now *time.Time) *Emulator {
	e := &Emulator{Base: emu.NewBase(), users: map[string]*user{}, sessions: map[string]*session{}}
	if now != nil {
		e.Clock.Set(*now)
	}
	e.AddUser(User{ID: AdminUserID, Username: TestUsername, Password: TestPassword, SuperUser: true})
	e.AddUser(User{ID: AliceUserID, Username: AliceUsername, Password: AlicePassword})
	e.AddUser(User{ID: BobUserID, Username: BobUsername, Password: BobPassword, MustChange: true})
	e.AddUser(User{ID: CarolUserID, Username: CarolUsername, Password: CarolPassword, Locked: true})
	return e
}

// AddUser adds (or replaces) a user and returns its user_id.
func (e *Emulator) AddUser(u User) string {
	now := zatoTime(e.Clock.Now())
	if u.ID == "" {
		u.ID = "zusr" + emu.RandomHex(12)
	}
	if u.PasswordLastSet.IsZero() {
		u.PasswordLastSet = now
	}
	if u.PasswordExpiry.IsZero() {
		u.PasswordExpiry = u.PasswordLastSet.AddDate(0, 0, DefaultPasswordExpiryDays)
	}
	u.PasswordLastSet, u.PasswordExpiry = zatoTime(u.PasswordLastSet), zatoTime(u.PasswordExpiry)
	e.mu.Lock()
	defer e.mu.Unlock()
	nu := &user{User: u, created: now}
	if u.Password != "" {
		nu.issued = []string{u.Password}
	}
	e.users[u.ID] = nu
	return u.ID
}

// GetUser returns a copy of the user's state.
func (e *Emulator) GetUser(id string) (User, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.users[id]; ok {
		return u.User, true
	}
	return User{}, false
}

// CurrentPassword is the user's password now.
func (e *Emulator) CurrentPassword(userID string) (string, bool) {
	u, ok := e.GetUser(userID)
	return u.Password, ok
}

// IssuedPasswords lists every password the user has had, oldest first.
func (e *Emulator) IssuedPasswords(userID string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.users[userID]; ok {
		return slices.Clone(u.issued)
	}
	return nil
}

// DeleteUser removes a user (the provider's refresh must then drop it).
func (e *Emulator) DeleteUser(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.users, id)
}

// SetPasswordBehindBack changes a password the way an administrator would
// outside Terraform: password_last_set moves to now.
func (e *Emulator) SetPasswordBehindBack(userID, pw string) {
	now := zatoTime(e.Clock.Now())
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.users[userID]; ok {
		u.Password = pw
		u.PasswordLastSet = now
		u.issued = append(u.issued, pw)
	}
}

// SetMustChange sets password_must_change behind Terraform's back.
func (e *Emulator) SetMustChange(userID string, v bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.users[userID]; ok {
		u.MustChange = v
	}
}

// Logins counts successful logins.
func (e *Emulator) Logins() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.logins
}

// IssuedUSTs lists every session token handed out, for tests that check
// that none leaks into logs or errors.
func (e *Emulator) IssuedUSTs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.usts)
}
