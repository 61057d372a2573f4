package idaas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

type authRequest struct {
	ApplicationID string `json:"applicationId"`
	SharedSecret  string `json:"sharedSecret"`
}

type authResponse struct {
	AuthToken      string `json:"authToken"`
	ExpirationTime string `json:"expirationTime"`
	CreationTime   string `json:"creationTime"`
}

func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request) {
	var req authRequest
	if !decode(w, r, &req) {
		return
	}
	if req.ApplicationID != TestApplicationID || req.SharedSecret != TestSharedSecret {
		writeError(w, http.StatusUnauthorized, "INVALID_CREDENTIALS", "The application id or shared secret is not valid.")
		return
	}
	e.mu.Lock()
	now := e.Clock.Now()
	tok := newToken()
	e.tokens[tok] = now.Add(TokenLifetime)
	e.auths++
	resp := authResponse{AuthToken: tok, ExpirationTime: e.formatTime(now.Add(TokenLifetime)), CreationTime: e.formatTime(now)}
	e.nextStyle()
	e.mu.Unlock()
	emu.WriteJSON(w, http.StatusOK, resp)
}

// authorized checks the token (with or without "Bearer ") and the
// permission before calling next.
func (e *Emulator) authorized(perm string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := strings.TrimSpace(r.Header.Get("Authorization"))
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			h = strings.TrimSpace(h[7:])
		}
		if h == "" {
			writeError(w, http.StatusUnauthorized, "AUTHORIZATION_TOKEN_MISSING", "The Authorization header is missing.")
			return
		}
		e.mu.Lock()
		exp, known := e.tokens[h]
		expired := known && !e.Clock.Now().Before(exp)
		if expired {
			delete(e.tokens, h)
		}
		denied := e.permissions != nil && !e.permissions[perm]
		e.mu.Unlock()
		switch {
		case !known:
			writeError(w, http.StatusUnauthorized, "AUTHORIZATION_TOKEN_INVALID", "The authorization token is not valid.")
		case expired:
			writeError(w, http.StatusUnauthorized, "AUTHORIZATION_TOKEN_EXPIRED", "The authorization token has expired.")
		case denied:
			writeError(w, http.StatusForbidden, "ACCESS_DENIED", "The administrator does not have the permission "+perm+".", perm)
		default:
			next(w, r)
		}
	}
}

// passwordRequest is the body of PUT .../passwords. Pointers tell an absent
// field from false: emailPassword defaults to true.
type passwordRequest struct {
	Password             *string `json:"password"`
	GeneratePassword     *bool   `json:"generatePassword"`
	ReturnPassword       *bool   `json:"returnPassword"`
	EmailPassword        *bool   `json:"emailPassword"`
	ForceUpdate          *bool   `json:"forceUpdate"`
	ExpiryTime           *string `json:"expiryTime"`
	ClearPasswordHistory *bool   `json:"clearPasswordHistory"`
	CurrentPassword      *string `json:"currentPassword"`
	PasswordFormat       *string `json:"passwordFormat"`
}

// userPassword is the UserPassword response object
// (#/components/schemas/UserPassword).
type userPassword struct {
	Compromised              bool    `json:"compromised"`
	ExpiryNotificationDate   *string `json:"expiryNotificationDate"`
	ExpiryTime               *string `json:"expiryTime"`
	ForceUpdate              bool    `json:"forceUpdate"`
	ID                       *string `json:"id"`
	LastChangedTime          *string `json:"lastChangedTime"`
	LastCompromisedCheckTime *string `json:"lastCompromisedCheckTime"`
	NamedPasswordID          *string `json:"namedPasswordId"`
	NewPassword              *string `json:"newPassword,omitempty"`
	Present                  bool    `json:"present"`
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func (e *Emulator) putPassword(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	var req passwordRequest
	if !decode(w, r, &req) {
		return
	}
	generate := boolOr(req.GeneratePassword, false)
	returnPw := boolOr(req.ReturnPassword, false)
	email := boolOr(req.EmailPassword, true)
	clearHistory := boolOr(req.ClearPasswordHistory, false)
	format := "CLEARTEXT"
	if req.PasswordFormat != nil {
		format = strings.ToUpper(*req.PasswordFormat)
	}
	var expiry *time.Time
	if req.ExpiryTime != nil && *req.ExpiryTime != "" {
		t, err := parseTime(*req.ExpiryTime)
		if err != nil {
			writeError(w, http.StatusBadRequest, "INVALID_EXPIRY_TIME", "expiryTime is not a valid date-time.", "expiryTime")
			return
		}
		expiry = &t
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[id]
	if u == nil {
		writeError(w, http.StatusNotFound, "USER_NOT_FOUND", "The user does not exist.", r.PathValue("id"))
		return
	}
	now := e.Clock.Now()
	if expiry != nil && !expiry.After(now) {
		writeError(w, http.StatusBadRequest, "INVALID_EXPIRY_TIME", "expiryTime must be in the future.", "expiryTime")
		return
	}

	var entry historyEntry
	switch format {
	// UserPasswordParms.passwordFormat: CLEARTEXT, BCRYPT or GETACCESS, the
	// last two under the same rules; a GETACCESS hash's form is not
	// published, so any value is taken as one.
	case "BCRYPT", "GETACCESS":
		switch {
		case u.Synchronized:
			writeError(w, http.StatusBadRequest, "BCRYPT_NOT_ALLOWED", "A bcrypt password can only be imported for a local IDaaS user.")
			return
		case req.CurrentPassword != nil:
			writeError(w, http.StatusBadRequest, "BCRYPT_NOT_ALLOWED", "currentPassword must be null with passwordFormat BCRYPT.", "currentPassword")
			return
		case generate || email || returnPw:
			writeError(w, http.StatusBadRequest, "BCRYPT_NOT_ALLOWED", "generatePassword, emailPassword and returnPassword must all be false with passwordFormat BCRYPT.")
			return
		case req.Password == nil || format == "BCRYPT" && !validBcrypt(*req.Password) || *req.Password == "":
			writeError(w, http.StatusBadRequest, "INVALID_BCRYPT_HASH", "password is not a valid "+strings.ToLower(format)+" hash.", "password")
			return
		}
		entry = historyEntry{hash: *req.Password}
	case "CLEARTEXT":
		if u.Synchronized && (req.CurrentPassword == nil || !u.present || !u.current.matches(*req.CurrentPassword)) {
			writeError(w, http.StatusBadRequest, "CURRENT_PASSWORD_INVALID", "The user is synchronised from a directory; the correct currentPassword is required.", "currentPassword")
			return
		}
		switch {
		case generate:
			entry = historyEntry{clear: e.policy.generate()}
		case req.Password == nil || *req.Password == "":
			writeError(w, http.StatusBadRequest, "PASSWORD_REQUIRED", "A password is required unless generatePassword is true.", "password")
			return
		default:
			if v := e.policy.violations(*req.Password); len(v) > 0 {
				writeError(w, http.StatusBadRequest, "PASSWORD_POLICY_VIOLATION",
					"The password does not satisfy the password policy: it needs "+strings.Join(v, ", ")+".")
				return
			}
			entry = historyEntry{clear: *req.Password}
		}
	default:
		writeError(w, http.StatusBadRequest, "INVALID_PASSWORD_FORMAT", "passwordFormat must be CLEARTEXT, BCRYPT or GETACCESS.", "passwordFormat")
		return
	}

	if clearHistory {
		u.history = nil
	}
	if entry.clear != "" && !generate && e.inHistory(u, entry.clear) {
		writeError(w, http.StatusBadRequest, "PASSWORD_HISTORY_VIOLATION",
			fmt.Sprintf("The password was used recently; it must differ from the last %d passwords.", e.policy.HistoryDepth))
		return
	}

	e.setLocked(u, entry, boolOr(req.ForceUpdate, false), expiry)
	if email {
		kind := EmailPasswordSet
		if generate {
			kind = EmailPasswordGenerated
		}
		e.emails = append(e.emails, Email{UserID: u.ID, Kind: kind, At: now})
	}
	resp := e.userPasswordLocked(u)
	if generate && returnPw {
		resp.NewPassword = &entry.clear
	}
	e.nextStyle()
	emu.WriteJSON(w, http.StatusOK, resp)
}

// inHistory reports whether pw is one of the last HistoryDepth passwords.
// e.mu must be held.
func (e *Emulator) inHistory(u *userRecord, pw string) bool {
	for i, h := range u.history {
		if i >= e.policy.HistoryDepth {
			break
		}
		if h.matches(pw) {
			return true
		}
	}
	return false
}

// validBcrypt checks a bcrypt hash's format and cost.
func validBcrypt(h string) bool {
	cost, err := bcrypt.Cost([]byte(h))
	return err == nil && cost >= bcrypt.MinCost && cost <= bcrypt.MaxCost && len(h) == 60
}

// userPasswordLocked builds the UserPassword object. e.mu must be held.
func (e *Emulator) userPasswordLocked(u *userRecord) userPassword {
	out := userPassword{Present: u.present, ForceUpdate: u.forceUpdate}
	if !u.present {
		return out
	}
	lc := e.formatTime(u.lastChanged)
	out.LastChangedTime = &lc
	id := u.ID + "-password" // the password's own id (its form is not published)
	out.ID = &id
	if u.expiry != nil {
		exp := e.formatTime(*u.expiry)
		out.ExpiryTime = &exp
		n := u.expiry.AddDate(0, 0, -e.policy.NotificationDays)
		if n.Before(u.lastChanged) {
			n = u.lastChanged
		}
		ns := e.formatTime(n)
		out.ExpiryNotificationDate = &ns
	}
	return out
}

// withUser serves a call on the user of the path's {id}, with e.mu held;
// an unknown user is answered 404 USER_NOT_FOUND.
func (e *Emulator) withUser(serve func(w http.ResponseWriter, u *userRecord)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		u := e.users[strings.ToLower(r.PathValue("id"))]
		if u == nil {
			writeError(w, http.StatusNotFound, "USER_NOT_FOUND", "The user does not exist.", r.PathValue("id"))
			return
		}
		serve(w, u)
	}
}

func (e *Emulator) getPassword(w http.ResponseWriter, u *userRecord) {
	resp := e.userPasswordLocked(u)
	e.nextStyle()
	emu.WriteJSON(w, http.StatusOK, resp)
}

// deletePassword removes the password. The answer's body is not documented;
// the emulator answers 200 with no body.
func (e *Emulator) deletePassword(w http.ResponseWriter, u *userRecord) {
	u.present, u.current, u.expiry, u.forceUpdate = false, historyEntry{}, nil, false
	w.WriteHeader(http.StatusOK)
}

// userObject is the v3 User object (#/components/schemas/User; the
// members the emulator models).
type userObject struct {
	ID        string      `json:"id"`
	UserID    string      `json:"userId"`
	FirstName string      `json:"firstName"`
	LastName  string      `json:"lastName"`
	Email     string      `json:"email"`
	State     string      `json:"state"`
	Locked    bool        `json:"locked"`
	Aliases   []userAlias `json:"userAliases"`
	// DirectoryID is set for directory-synchronised users.
	DirectoryID *string `json:"directoryId"`
}

// userAlias is #/components/schemas/UserAlias.
type userAlias struct {
	ID     string `json:"id"`
	Type   string `json:"type"` // CUSTOM | DERIVED | USERID
	UserID string `json:"userId"`
	Value  string `json:"value"`
}

func toUserObject(u *userRecord) userObject {
	out := userObject{ID: u.ID, UserID: u.UserID, FirstName: u.FirstName, LastName: u.LastName,
		Email: u.Email, State: u.State, Locked: u.Locked, Aliases: []userAlias{}}
	for i, a := range u.Aliases {
		out.Aliases = append(out.Aliases, userAlias{ID: fmt.Sprintf("%s-alias-%d", u.ID[:8], i), Type: "CUSTOM", UserID: u.ID, Value: a})
	}
	if u.Synchronized {
		d := "sandbox-ad"
		out.DirectoryID = &d
	}
	return out
}

func (e *Emulator) getUser(w http.ResponseWriter, u *userRecord) {
	emu.WriteJSON(w, http.StatusOK, toUserObject(u))
}

func (e *Emulator) getUserByLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		UserID string `json:"userId"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.UserID == "" {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST", "userId is required.", "userId")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range e.users {
		if strings.EqualFold(u.UserID, req.UserID) || containsFold(u.Aliases, req.UserID) {
			emu.WriteJSON(w, http.StatusOK, toUserObject(u))
			return
		}
	}
	writeError(w, http.StatusNotFound, "USER_NOT_FOUND", "The user does not exist.", req.UserID)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// decode reads a JSON body, answering 400 when it is malformed.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(r.Body)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		err = dec.Decode(v)
		if err == nil && dec.More() {
			err = fmt.Errorf("trailing data")
		}
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_REQUEST", "The request body is not valid JSON for this operation.")
		return false
	}
	return true
}

// parseTime reads a date-time in RFC 3339 form or with a +0000 offset.
func parseTime(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700"} {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}
