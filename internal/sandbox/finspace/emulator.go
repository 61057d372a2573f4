// Package finspace emulates the two AWS FinSpace Data operations the provider
// uses, ResetUserPassword and GetUser, as the service model defines them
// (botocore data/finspace-data/2020-07-13/service-2.json; the same shapes in
// aws/aws-sdk-go models/apis/finspace-data/2020-07-13/api-2.json): SigV4
// verified for real, an optional clientToken (idempotencyToken: SDKs fill
// it) replaying its answer for 10 minutes, temporary passwords that expire
// after 7 days, AWS-style errors (x-amzn-ErrorType and the modelled
// members: {"message"} and, for ValidationException, ResourceNotFound and
// Conflict, "reason"). The AWS SDK for Go v1 client is run against it in
// conformance_test.go.
//
// Test credentials: TestAccessKeyID/TestSecretAccessKey (a FinSpace
// superuser), TestSessionAccessKeyID/TestSessionSecretAccessKey/
// TestSessionToken (temporary credentials of a superuser), and
// TestAppUserAccessKeyID/TestAppUserSecretAccessKey (mapped to the app user
// AppUserID, who may only reset and read itself). Requests are signed for
// TestRegion and the service "finspace-api".
package finspace

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// Test credentials and the region the emulator answers for. They are not
// secrets: they only open the emulator.
const (
	TestRegion = "us-east-1"

	TestAccessKeyID     = "AKIAFINSPACEEMULATOR"
	TestSecretAccessKey = "finspace/EMULATOR/secret+key/00000000001"

	TestSessionAccessKeyID     = "ASIAFINSPACEEMULATOR"
	TestSessionSecretAccessKey = "finspace/EMULATOR/session+key/0000000002"
	TestSessionToken           = "FwoGZXIvYXdzEFINSPACEEMULATORsessionTOKEN0000000000000000000003"

	TestAppUserAccessKeyID     = "AKIAFINSPACEAPPUSER1"
	TestAppUserSecretAccessKey = "finspace/EMULATOR/appuser+key/0000000004"
)

// Users seeded by New.
const (
	// SuperUserID is an enabled SUPER_USER with API access.
	SuperUserID = "fs-super-alice"
	// AppUserID is an enabled APP_USER (the identity of TestAppUserAccessKeyID).
	AppUserID = "fs-app-bob"
	// DisabledUserID is a DISABLED APP_USER.
	DisabledUserID = "fs-disabled-carol"
)

// Documented limits and lifetimes.
const (
	// PasswordLifetime is how long a temporary password stays valid.
	PasswordLifetime = 7 * 24 * time.Hour
	// TokenWindow is how long a clientToken replays the same answer.
	TokenWindow = 10 * time.Minute
	// MaxUserIDLength and MaxClientTokenLength are the API's limits:
	// shapes UserId {min 1, max 26} and ClientToken {min 1, max 128}, both
	// with the pattern .*\S.* (service-2.json).
	MaxUserIDLength      = 26
	MaxClientTokenLength = 128
	// PasswordLength is the length of an issued password (the API says 8–20).
	PasswordLength = 16
)

const signingName = "finspace-api"

// errorTypeSuffix is what AWS services may append to x-amzn-ErrorType;
// modelled errors carry it here so that clients must strip it.
const errorTypeSuffix = ":http://internal.amazon.com/coral/com.amazonaws.finspace/"

// User is a FinSpace user, as GetUser reports it.
type User struct {
	ID                    string
	FirstName             string
	LastName              string
	EmailAddress          string
	Type                  string // SUPER_USER | APP_USER
	Status                string // CREATING | ENABLED | DISABLED
	APIAccess             string // ENABLED | DISABLED
	APIAccessPrincipalARN string
	CreateTime            time.Time
	LastEnabledTime       time.Time
	LastDisabledTime      time.Time
	LastModifiedTime      time.Time
	LastLoginTime         time.Time
}

type tokenUse struct {
	password string
	at       time.Time
}

type userState struct {
	User
	password string
	issuedAt time.Time
	issued   []string
	tokens   map[string]tokenUse
}

// principal is what an access key stands for.
type principal struct {
	secret       string
	sessionToken string
	// userID is the FinSpace user the key acts as; empty for a superuser
	// that may act on anyone.
	userID string
}

// Emulator is an in-memory FinSpace Data API. Its Base gives the clock,
// recorder, faults and throttle.
type Emulator struct {
	emu.Base

	mu    sync.Mutex
	users map[string]*userState
	keys  map[string]principal
}

// New returns an emulator with the three seeded users (SuperUserID,
// AppUserID, DisabledUserID), none with a password yet.
func New() *Emulator {
	e := &Emulator{
		Base:  emu.NewBase(),
		users: map[string]*userState{},
		keys: map[string]principal{
			TestAccessKeyID:        {secret: TestSecretAccessKey},
			TestSessionAccessKeyID: {secret: TestSessionSecretAccessKey, sessionToken: TestSessionToken},
			TestAppUserAccessKeyID: {secret: TestAppUserSecretAccessKey, userID: AppUserID},
		},
	}
	e.AddUser(User{ID: SuperUserID, FirstName: "Alice", LastName: "Admin", EmailAddress: "alice@example.com",
		Type: "SUPER_USER", Status: "ENABLED", APIAccess: "ENABLED",
		APIAccessPrincipalARN: "arn:aws:iam::123456789012:role/FinSpaceAdmin"})
	e.AddUser(User{ID: AppUserID, FirstName: "Bob", LastName: "Analyst", EmailAddress: "bob@example.com",
		Type: "APP_USER", Status: "ENABLED", APIAccess: "DISABLED"})
	e.AddUser(User{ID: DisabledUserID, FirstName: "Carol", LastName: "Former", EmailAddress: "carol@example.com",
		Type: "APP_USER", Status: "DISABLED", APIAccess: "DISABLED"})
	return e
}

// AddUser adds or replaces a user (without a password). Zero times are set
// to the emulator's now; an empty Status is ENABLED, an empty Type APP_USER.
func (e *Emulator) AddUser(u User) {
	now := e.Clock.Now()
	if u.Status == "" {
		u.Status = "ENABLED"
	}
	if u.Type == "" {
		u.Type = "APP_USER"
	}
	if u.APIAccess == "" {
		u.APIAccess = "DISABLED"
	}
	if u.CreateTime.IsZero() {
		u.CreateTime = now
	}
	if u.LastModifiedTime.IsZero() {
		u.LastModifiedTime = u.CreateTime
	}
	if u.Status == "ENABLED" && u.LastEnabledTime.IsZero() {
		u.LastEnabledTime = u.CreateTime
	}
	if u.Status == "DISABLED" && u.LastDisabledTime.IsZero() {
		u.LastDisabledTime = u.CreateTime
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users[u.ID] = &userState{User: u, tokens: map[string]tokenUse{}}
}

// DeleteUser removes a user.
func (e *Emulator) DeleteUser(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.users, id)
}

// GetUser returns a user as stored.
func (e *Emulator) GetUser(id string) (User, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok {
		return User{}, false
	}
	return u.User, true
}

// SetStatus changes a user's status (CREATING, ENABLED, DISABLED) behind
// Terraform's back.
func (e *Emulator) SetStatus(id, status string) bool {
	now := e.Clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok {
		return false
	}
	u.Status, u.LastModifiedTime = status, now
	switch status {
	case "ENABLED":
		u.LastEnabledTime = now
	case "DISABLED":
		u.LastDisabledTime = now
	}
	return true
}

// CurrentPassword is the user's current temporary password, even if expired.
func (e *Emulator) CurrentPassword(id string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok || u.password == "" {
		return "", false
	}
	return u.password, true
}

// IssuedPasswords is every password issued to the user, oldest first.
func (e *Emulator) IssuedPasswords(id string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok {
		return nil
	}
	return slices.Clone(u.issued)
}

// PasswordValid says whether pw would log the user in now: it is the current
// password and was issued less than 7 days ago (emulator clock).
func (e *Emulator) PasswordValid(id, pw string) bool {
	now := e.Clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok || u.password == "" || pw != u.password {
		return false
	}
	return now.Before(u.issuedAt.Add(PasswordLifetime))
}

// PasswordExpiresAt is when the current password expires.
func (e *Emulator) PasswordExpiresAt(id string) (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok || u.password == "" {
		return time.Time{}, false
	}
	return u.issuedAt.Add(PasswordLifetime), true
}

// ResetOutOfBand resets the user's password as an administrator would in
// the FinSpace console, behind Terraform's back, and returns the new one.
func (e *Emulator) ResetOutOfBand(id string) (string, bool) {
	now := e.Clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[id]
	if !ok {
		return "", false
	}
	pw := passwordRule.Generate()
	e.issue(u, pw, now)
	return pw, true
}

// issue makes pw the user's password; the previous one stops working at once.
func (e *Emulator) issue(u *userState, pw string, now time.Time) {
	u.password, u.issuedAt = pw, now
	u.issued = append(u.issued, pw)
}

// Handler serves the API, wrapped by the Base (recorder, faults, throttle).
func (e *Emulator) Handler() http.Handler {
	return e.Wrap(http.HandlerFunc(e.serve), func(w http.ResponseWriter) {
		w.Header().Set("Date", e.Clock.Now().Format(http.TimeFormat))
		writeError(w, http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded", "", true)
	})
}

func (e *Emulator) serve(w http.ResponseWriter, r *http.Request) {
	// AWS dates its answers; clients correct their clock skew from it.
	w.Header().Set("Date", e.Clock.Now().Format(http.TimeFormat))
	w.Header().Set("X-Amzn-Requestid", requestID())
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", "Could not read the request body.", "", false)
		return
	}
	caller, aerr := e.authenticate(r, body)
	if aerr != nil {
		writeError(w, aerr.status, aerr.typ, aerr.msg, "", false)
		return
	}

	// Split the path as sent, so that an escaped "/" stays inside a segment.
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if len(segs) < 2 || len(segs) > 3 || segs[0] != "user" || (len(segs) == 3 && segs[2] != "password") {
		writeError(w, http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path, "", false)
		return
	}
	userID, err := url.PathUnescape(segs[1])
	if err != nil {
		writeError(w, http.StatusBadRequest, "ValidationException", "The userId path parameter is not a valid URI segment.", "INVALID_PARAMETER", true)
		return
	}
	switch {
	case len(segs) == 3 && r.Method == http.MethodPost:
		e.resetUserPassword(w, r, caller, userID, body)
	case len(segs) == 2 && r.Method == http.MethodGet:
		e.getUser(w, caller, userID)
	default:
		writeError(w, http.StatusMethodNotAllowed, "UnknownOperationException", "Method "+r.Method+" is not allowed on "+r.URL.Path, "", false)
	}
}

// authenticate checks the SigV4 signature and returns who signed.
func (e *Emulator) authenticate(r *http.Request, body []byte) (principal, *authError) {
	a, aerr := parseAuthorization(r.Header.Get("Authorization"))
	if aerr != nil {
		return principal{}, aerr
	}
	p, ok := e.keys[a.accessKeyID]
	if !ok {
		return principal{}, &authError{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}
	}
	if aerr := verifySignature(r, body, a, p.secret, TestRegion, e.Clock.Now()); aerr != nil {
		return principal{}, aerr
	}
	if r.Header.Get("X-Amz-Security-Token") != p.sessionToken {
		return principal{}, &authError{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}
	}
	return p, nil
}

// authorized: only a superuser acts on other users.
func authorized(w http.ResponseWriter, caller principal, userID string) bool {
	if caller.userID != "" && caller.userID != userID {
		writeError(w, http.StatusForbidden, "AccessDeniedException",
			"User is not authorized to perform this operation: only a superuser can act on other users.", "", true)
		return false
	}
	return true
}

func (e *Emulator) resetUserPassword(w http.ResponseWriter, r *http.Request, caller principal, userID string, body []byte) {
	if !validUserID(w, userID) {
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	// The Go SDK v1 sends application/x-amz-json-1.1 (aws-sdk-go
	// service/finspacedata/customizations.go:10-18), boto application/json.
	// What the service answers for other types is not modelled
	// (unconfirmed); this is what API Gateway-fronted AWS APIs answer.
	if err != nil || (mt != "application/x-amz-json-1.1" && mt != "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException", "Unsupported Media Type", "", false)
		return
	}
	var in struct {
		ClientToken *string `json:"clientToken"`
	}
	// An empty body is no members at all.
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			writeError(w, http.StatusBadRequest, "ValidationException", "Could not parse the request body as JSON.", "INVALID_PARAMETER", true)
			return
		}
	}
	// clientToken is optional (not in ResetUserPasswordRequest's required;
	// idempotencyToken: true, which SDKs fill in): without one, a reset is
	// not idempotent.
	if in.ClientToken != nil && !validMember(w, "clientToken", *in.ClientToken, MaxClientTokenLength) {
		return
	}
	if !authorized(w, caller, userID) {
		return
	}
	now := e.Clock.Now()
	e.mu.Lock()
	u, ok := e.users[userID]
	if !ok {
		e.mu.Unlock()
		writeError(w, http.StatusNotFound, "ResourceNotFoundException", "User "+userID+" does not exist.", "", true)
		return
	}
	token := ""
	if in.ClientToken != nil {
		token = *in.ClientToken
	}
	// A replay inside the window answers what the first call answered, even
	// if a later reset has replaced that password since.
	if prev, ok := u.tokens[token]; ok && token != "" && now.Sub(prev.at) < TokenWindow {
		e.mu.Unlock()
		emu.WriteJSON(w, http.StatusOK, map[string]string{"userId": userID, "temporaryPassword": prev.password})
		return
	}
	pw := passwordRule.Generate()
	e.issue(u, pw, now)
	if token != "" {
		u.tokens[token] = tokenUse{password: pw, at: now}
	}
	for t, use := range u.tokens {
		if now.Sub(use.at) >= TokenWindow {
			delete(u.tokens, t)
		}
	}
	e.mu.Unlock()
	emu.WriteJSON(w, http.StatusOK, map[string]string{"userId": userID, "temporaryPassword": pw})
}

// userAnswer is GetUser's answer: the user's fields, times in epoch
// milliseconds, without the empty ones.
func userAnswer(u User) map[string]any {
	out := map[string]any{"userId": u.ID, "status": u.Status, "type": u.Type}
	for k, v := range map[string]string{"firstName": u.FirstName, "lastName": u.LastName, "emailAddress": u.EmailAddress,
		"apiAccess": u.APIAccess, "apiAccessPrincipalArn": u.APIAccessPrincipalARN} {
		if v != "" {
			out[k] = v
		}
	}
	for k, t := range map[string]time.Time{"createTime": u.CreateTime, "lastEnabledTime": u.LastEnabledTime,
		"lastDisabledTime": u.LastDisabledTime, "lastModifiedTime": u.LastModifiedTime, "lastLoginTime": u.LastLoginTime} {
		if !t.IsZero() {
			out[k] = t.UnixMilli()
		}
	}
	return out
}

func (e *Emulator) getUser(w http.ResponseWriter, caller principal, userID string) {
	if !validUserID(w, userID) || !authorized(w, caller, userID) {
		return
	}
	e.mu.Lock()
	u, ok := e.users[userID]
	var out map[string]any
	if ok {
		out = userAnswer(u.User)
	}
	e.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "ResourceNotFoundException", "User "+userID+" does not exist.", "", true)
		return
	}
	emu.WriteJSON(w, http.StatusOK, out)
}

// passwordRule is how FinSpace issues a temporary password: PasswordLength
// characters with at least one upper-case letter, lower-case letter, digit
// and symbol.
var passwordRule = emu.PasswordRule{Length: PasswordLength, Classes: []string{emu.Upper, emu.Lower, emu.Digits, "!#$%&*+-=?@^_"}}
