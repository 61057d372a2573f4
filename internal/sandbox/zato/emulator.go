// Package zato emulates Zato SSO (Zato 3.x) as the provider speaks to it: the
// REST channels under /zato/sso (super-user login, password change, the
// must-change flag, reading a user) and, through a fake `zato` command built
// from ./fakezato, the `zato sso reset-user-password` and
// `zato sso change-user-password` CLI. It is written from section 5 of
// /work/shared/spec/apis.md, not from the provider's client.
//
// The emulator keeps ground truth (each user's current password and every
// password issued) and exposes it to tests, as does the fake CLI's state file.
//
// Unconfirmed behaviour, chosen as a careful client would survive it:
//   - a failed login (wrong credentials, unknown current_app, locked or
//     inactive user) answers E005001, the generic code Zato masks errors as;
//   - `must_change` sent to PATCH /zato/sso/user/password answers E005001;
//   - a regular (non-super) user acting on another user answers E005005;
//   - a malformed request (bad JSON, a required field missing, a
//     non-integer password_expiry) answers HTTP 400 with a text body;
//   - the throttle answers HTTP 429 in the documented error shape with an
//     empty sub_status (Zato documents no 429);
//   - login does not enforce must-change or password expiry, and a session
//     is not tied to the current_app it logged in with;
//   - GET /zato/sso/user answers the user's fields at the top level, beside
//     status and cid (as Zato's SimpleIO output does).
package zato

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Apps are the server's configured apps (sso.conf [apps] all); current_app
// must be one of them.
var Apps = []string{TestCurrentApp, "Portal"}

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
	// SuperUser may act on other users.
	SuperUser bool
	// Inactive and Locked users cannot log in; GET reports is_active and is_locked.
	Inactive bool
	Locked   bool
	// MustChange is password_must_change.
	MustChange bool
	// PasswordLastSet and PasswordExpiry are password_last_set and
	// password_expiry; AddUser sets them from the clock when zero.
	PasswordLastSet time.Time
	PasswordExpiry  time.Time
}

type user struct {
	User
	issued []string
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
	nu := &user{User: u}
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

// Handler serves the SSO channels, wrapped by the Base (recording, faults,
// throttle).
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /zato/sso/user/login", e.handle(e.login, "username", "password", "current_app"))
	mux.HandleFunc("PATCH /zato/sso/user/password", e.withSession(e.changePassword, "new_password"))
	mux.HandleFunc("GET /zato/sso/user", e.withSession(e.getUser))
	mux.HandleFunc("PATCH /zato/sso/user", e.withSession(e.updateUser))
	return e.Wrap(mux, func(w http.ResponseWriter) {
		// Zato documents no 429; this keeps the documented error shape with
		// no sub_status (unconfirmed).
		emu.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"cid": newCID(), "status": "error", "sub_status": []string{}})
	})
}

// authorise checks ust and current_app and returns the session's user.
func (e *Emulator) authorise(in input, now time.Time) (*user, *ssoError) {
	s, found := e.sessions[in.str("ust")]
	if !found {
		return nil, fail(CodeNoSuchSession)
	}
	if !now.Before(s.expires) {
		return nil, fail(CodeSessionExpired)
	}
	if !slices.Contains(Apps, in.str("current_app")) {
		return nil, fail(CodeNotAllowed)
	}
	u, found := e.users[s.userID]
	if !found || u.Locked || u.Inactive {
		return nil, fail(CodeNotAllowed)
	}
	return u, nil
}

// target resolves user_id (default: the session's user), checking that only
// a super-user acts on someone else.
func (e *Emulator) target(in input, caller *user) (*user, *ssoError) {
	id := in.str("user_id")
	if id == "" || id == caller.ID {
		return caller, nil
	}
	if !caller.SuperUser {
		return nil, fail(CodeSuperUserRequired)
	}
	u, found := e.users[id]
	if !found {
		return nil, fail(CodeInvalidUserID)
	}
	return u, nil
}

func (e *Emulator) login(w http.ResponseWriter, in input, now time.Time) {
	var found *user
	for _, u := range e.users {
		if u.Username == in.str("username") {
			found = u
			break
		}
	}
	if found == nil || found.Password != in.str("password") || found.Locked || found.Inactive ||
		!slices.Contains(Apps, in.str("current_app")) {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	ust := newUST()
	e.sessions[ust] = &session{userID: found.ID, expires: now.Add(SessionLifetime)}
	e.usts = append(e.usts, ust)
	e.logins++
	writeOK(w, map[string]any{"ust": ust})
}

// handle serves a call: it reads the input, which must have the required
// keys, and calls serve with e.mu held and the clock's now. A malformed
// request is answered as Zato does.
func (e *Emulator) handle(serve func(w http.ResponseWriter, in input, now time.Time), required ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in, bad := readInput(r)
		if bad == nil {
			bad = in.require(required...)
		}
		if bad != nil {
			writeErr(w, bad)
			return
		}
		now := e.Clock.Now()
		e.mu.Lock()
		defer e.mu.Unlock()
		serve(w, in, now)
	}
}

// withSession serves a call made with a session (ust and current_app, then
// the required keys): it checks the session (authorise) and resolves
// user_id (target) before serve; what it refuses is answered.
func (e *Emulator) withSession(serve func(w http.ResponseWriter, in input, caller, tgt *user), required ...string) http.HandlerFunc {
	return e.handle(func(w http.ResponseWriter, in input, now time.Time) {
		caller, fault := e.authorise(in, now)
		var tgt *user
		if fault == nil {
			tgt, fault = e.target(in, caller)
		}
		if fault != nil {
			writeErr(w, fault)
			return
		}
		serve(w, in, caller, tgt)
	}, append([]string{"ust", "current_app"}, required...)...)
}

func (e *Emulator) changePassword(w http.ResponseWriter, in input, caller, tgt *user) {
	now := zatoTime(e.Clock.Now())
	// Zato 3.x rejects must_change on this endpoint, whatever its docs say;
	// the flag is set with PATCH /zato/sso/user.
	if in.has("must_change") {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	// Changing one's own password needs the old one.
	if tgt == caller && !caller.SuperUser && in.str("old_password") != caller.Password {
		writeErr(w, fail(CodeNotAllowed))
		return
	}
	days := int64(DefaultPasswordExpiryDays)
	if in.has("password_expiry") && in.str("password_expiry") != "" {
		n, bad := in.integer("password_expiry")
		if bad != nil {
			writeErr(w, bad)
			return
		}
		// Zato logs a negative value and uses the default; Python's datetime
		// cannot go past year 9999.
		if n > 2_000_000 {
			writeErr(w, &badRequest{msg: "Invalid password_expiry"})
			return
		}
		if n >= 0 {
			days = n
		}
	}
	pw := in.str("new_password")
	if codes := CheckPassword(pw); len(codes) > 0 {
		writeErr(w, fail(codes...))
		return
	}
	tgt.Password = pw
	tgt.PasswordLastSet = now
	tgt.PasswordExpiry = now.AddDate(0, 0, int(days))
	tgt.issued = append(tgt.issued, pw)
	writeOK(w, nil)
}

func (e *Emulator) getUser(w http.ResponseWriter, _ input, _, u *user) {
	writeOK(w, map[string]any{
		"user_id":              u.ID,
		"username":             u.Username,
		"email":                u.Username + "@sandbox.example",
		"display_name":         u.Username,
		"is_active":            !u.Inactive,
		"is_internal":          false,
		"is_super_user":        u.SuperUser,
		"is_approval_needed":   false,
		"approval_status":      "approved",
		"is_locked":            u.Locked,
		"locked_time":          nil,
		"password_is_set":      u.Password != "",
		"password_must_change": u.MustChange,
		"password_last_set":    pyISO(u.PasswordLastSet),
		"password_expiry":      pyISO(u.PasswordExpiry),
		"sign_up_status":       "final",
		"is_totp_enabled":      false,
	})
}

func (e *Emulator) updateUser(w http.ResponseWriter, in input, caller, u *user) {
	// Only a super-user may change these flags, even on itself.
	if (in.has("password_must_change") || in.has("is_locked")) && !caller.SuperUser {
		writeErr(w, fail(CodeSuperUserRequired))
		return
	}
	mustChange, lock := u.MustChange, u.Locked
	var bad *badRequest
	if in.has("password_must_change") {
		if mustChange, bad = in.boolean("password_must_change"); bad != nil {
			writeErr(w, bad)
			return
		}
	}
	if in.has("is_locked") {
		if lock, bad = in.boolean("is_locked"); bad != nil {
			writeErr(w, bad)
			return
		}
	}
	u.MustChange, u.Locked = mustChange, lock
	writeOK(w, nil)
}
