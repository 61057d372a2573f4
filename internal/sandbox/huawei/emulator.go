// Package huawei emulates the part of Huawei Cloud IAM Identity Center's
// identity store API that the provider speaks: AK/SK request signing
// (SDK-HMAC-SHA256, verified for real), the reset-password call in its OTP
// and EMAIL modes, and reading a user. It is written from section 3 of
// /work/shared/spec/apis.md, not from the provider's client, and checked
// against Huawei Cloud's own typed client (huaweicloud-sdk-go-v3
// services/identitycenterstore/v1: paths and bodies from
// identityCenterStore_meta.go, answers read into its models, errors into
// core/sdkerr ServiceResponseError with the request id from X-Request-Id)
// in conformance_test.go.
//
// The emulator keeps ground truth (each user's current password, every
// one-time password issued, every reset email Identity Center would have
// sent) and exposes it to tests.
//
// Unconfirmed details, chosen to be plausible: the API Gateway's answer to a
// bad signature (401, APIGW.0301 "Incorrect IAM authentication information:
// ...", as Huawei's gateway is known to send; the exact texts are invented),
// its answer when throttling (429, APIGW.0308), its answer to an unknown API
// (404, APIGW.0101); IIC.404 for an unknown identity store and IIC.1002 for
// an unknown user (the spec lists both codes for 404 without saying which is
// which); IIC.1000 for credentials that are not the management account's or
// a delegated administrator's; an EMAIL reset answering 200 with "{}".
package huawei

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Accepted credentials and the one identity store of the emulator.
const (
	// TestAccessKey and TestSecretKey are permanent credentials of the
	// management account.
	TestAccessKey = "HPUASANDBOXAK0000001"
	TestSecretKey = "sandboxHuaweiSecretKey0123456789abcdefXYZ"
	// TestIdentityStoreID is the emulated identity store.
	TestIdentityStoreID = "d-5a1dbc0e42"
)

// Seeded users (fixed ids, documented for the demo).
const (
	// UserAlice (user_name "alice") is enabled.
	UserAlice = "a11ce000-7c1d-4e4f-9a01-000000000001"
	// UserBob (user_name "bob") is enabled.
	UserBob = "b0b00000-7c1d-4e4f-9a01-000000000002"
	// UserCarol (user_name "carol") is disabled.
	UserCarol = "ca201000-7c1d-4e4f-9a01-000000000003"
)

// User is a user of the emulated identity store.
type User struct {
	// ID is the user_id.
	ID          string
	UserName    string
	DisplayName string
	Email       string
	Enabled     bool
}

type credential struct {
	secretKey string
	// token is required as X-Security-Token when set (temporary credentials).
	token string
	// member marks credentials of an account that is neither the management
	// account nor a delegated administrator: signed correctly, refused 403.
	member bool
}

type userRecord struct {
	User
	createdAt time.Time
	updatedAt time.Time
	password  string
	hasPwd    bool
	issued    []string
}

// Emulator is an emulated identity store. It is safe for concurrent use.
type Emulator struct {
	emu.Base

	mu     sync.Mutex
	creds  map[string]credential
	users  map[string]*userRecord
	emails []string
}

// New returns an emulator that accepts TestAccessKey/TestSecretKey and holds
// TestIdentityStoreID with the seeded users (see the User* constants), none
// of which has a password yet.
func New() *Emulator {
	e := &Emulator{
		Base:  emu.NewBase(),
		creds: map[string]credential{TestAccessKey: {secretKey: TestSecretKey}},
		users: map[string]*userRecord{},
	}
	e.AddUser(User{ID: UserAlice, UserName: "alice", DisplayName: "Alice Archer", Email: "alice@example.com", Enabled: true})
	e.AddUser(User{ID: UserBob, UserName: "bob", DisplayName: "Bob Baker", Email: "bob@example.com", Enabled: true})
	e.AddUser(User{ID: UserCarol, UserName: "carol", DisplayName: "Carol Cole", Email: "carol@example.com", Enabled: false})
	return e
}

// Handler serves the identity store API, wrapped by the Base (recorder,
// faults, throttle). Every answer carries an X-Request-Id header, and every
// error body a request_id.
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/identity-stores/{store}/users/{user}/reset-password", e.authenticated(e.resetPassword))
	mux.HandleFunc("GET /v1/identity-stores/{store}/users/{user}", e.authenticated(e.getUser))
	mux.HandleFunc("/", e.authenticated(func(w http.ResponseWriter, r *http.Request, _ credential) {
		writeError(w, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment")
	}))
	return e.Wrap(mux, func(w http.ResponseWriter) {
		writeError(w, http.StatusTooManyRequests, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit")
	})
}

// AddCredentials accepts another pair of permanent credentials.
func (e *Emulator) AddCredentials(ak, sk string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.creds[ak] = credential{secretKey: sk}
}

// AddTemporaryCredentials accepts temporary credentials: requests signed
// with them are accepted only with X-Security-Token equal to token (and
// signed).
func (e *Emulator) AddTemporaryCredentials(ak, sk, token string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.creds[ak] = credential{secretKey: sk, token: token}
}

// AddMemberAccountCredentials accepts credentials of an account that is
// neither the management account nor a delegated administrator: their
// signature is verified, then every call is refused with 403 IIC.1000 and an
// encoded authorization message.
func (e *Emulator) AddMemberAccountCredentials(ak, sk string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.creds[ak] = credential{secretKey: sk, member: true}
}

// AddUser adds (or replaces) a user, without a password.
func (e *Emulator) AddUser(u User) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.Clock.Now()
	e.users[u.ID] = &userRecord{User: u, createdAt: now, updatedAt: now}
}

// DeleteUser removes a user; later calls for it answer 404 IIC.1002.
func (e *Emulator) DeleteUser(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.users, id)
}

// SetEnabled enables or disables a user.
func (e *Emulator) SetEnabled(id string, enabled bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.users[id]; u != nil {
		u.Enabled = enabled
		u.updatedAt = e.Clock.Now()
	}
}

// SetPasswordBehindBack sets a password as the user would after signing in
// with a one-time password (for drift tests). It does nothing for an unknown
// user. Identity Center does not report password changes, and neither does
// the emulator: updated_at does not move.
func (e *Emulator) SetPasswordBehindBack(id, pw string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.users[id]; u != nil {
		u.password, u.hasPwd = pw, true
	}
}

// CurrentPassword returns the user's current password: the last one-time
// password issued, or what SetPasswordBehindBack set. ok is false for an
// unknown user and a user without a password.
func (e *Emulator) CurrentPassword(id string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[id]
	if u == nil || !u.hasPwd {
		return "", false
	}
	return u.password, true
}

// IssuedPasswords returns every one-time password issued for the user,
// oldest first.
func (e *Emulator) IssuedPasswords(id string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.users[id]; u != nil {
		return slices.Clone(u.issued)
	}
	return nil
}

// EmailsSent returns the user ids of every reset email Identity Center would
// have sent (mode EMAIL), oldest first.
func (e *Emulator) EmailsSent() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.emails)
}

// newRequestID is a 32-hex-digit request id, as Huawei Cloud sends.
func newRequestID() string { return emu.RandomHex(16) }

// otpRule is how Identity Center issues a one-time password: 16 characters
// with upper and lower case letters, digits and a special character.
var otpRule = emu.PasswordRule{Length: 16, Classes: []string{emu.Upper, emu.Lower, emu.Digits, "!@#$%^&*-_=+"}}
