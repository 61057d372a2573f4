package ocariot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// apiError is OCARIoT's error body. Keys appear in this order, and
// description and redirect_link only where the spec shows them.
type apiError struct {
	Code         int    `json:"code"`
	Message      string `json:"message"`
	Description  string `json:"description,omitempty"`
	RedirectLink string `json:"redirect_link,omitempty"`
}

// The documented error bodies of POST /v1/users/{user_id}/reset-password,
// word for word from the spec.
var (
	errBadID = apiError{400, "Parameter {user_id} is not in valid format!",
		"A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected.", ""}
	errMissingPassword = apiError{400, "Required field not provided...", "new_password is required!", ""}
	errEmptyPassword   = apiError{400, "One or more request fields are invalid...",
		"new_password must have at least one character!", ""}
	errPasswordNotString = apiError{400, "One or more request fields are invalid...", "new_password must be a string!", ""}
	// The spec gives only the message of the bad-JSON error; the
	// description is the one the OCARIoT team's services send with it (unconfirmed).
	errBadJSON = apiError{400, "Unable to process request body!",
		"Please verify that the JSON provided in the request body has a valid format and try again.", ""}
	errUserNotFound = apiError{404, "User not found!",
		"User not found or already removed. A new operation for the same resource is not required.", ""}
	errForbidden = apiError{403, "FORBIDDEN", "Authorization failed due to insufficient permissions.", ""}
	// errBadLogin is exactly {"code": 401, "message": "Invalid username or password!"}.
	errBadLogin = apiError{401, "Invalid username or password!", "", ""}
)

// unauthorized is the gateway's 401. The spec elides the description; these
// are the OCARIoT gateway's own, one per reason (unconfirmed by the spec).
func unauthorized(description string) apiError {
	return apiError{401, "UNAUTHORIZED", description, "/auth"}
}

const (
	descNoToken     = "Authentication failed for lack of authentication credentials."
	descExpired     = "Authentication failed because access token is expired."
	descBadParams   = "Authentication failed because the access token contains invalid parameters."
	descNoConsumer  = "The token user is not properly registered as a consumer at the gateway."
	descTokenIssues = "Authentication failed due to access token issues."
)

// writeTooMany is the throttle's answer, in the API's own error shape.
func writeTooMany(w http.ResponseWriter) {
	emu.WriteJSON(w, http.StatusTooManyRequests, apiError{Code: http.StatusTooManyRequests,
		Message: "Too Many Requests", Description: "Too many requests, please try again later."})
}

func writeError(w http.ResponseWriter, e apiError) {
	emu.WriteJSON(w, e.Code, e)
}

func (e *Emulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/auth", e.handleAuth)
	mux.HandleFunc("POST /v1/users/{user_id}/reset-password", e.handleResetPassword)
	return mux
}

// handleAuth is POST /v1/auth {"username", "password"} → 200 {"access_token"}.
func (e *Emulator) handleAuth(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // already in memory: Base.Wrap read it
	fields, ok := parseObject(body)
	if !ok {
		writeError(w, errBadJSON)
		return
	}
	// Missing fields: the account service's wording (the spec documents
	// only the 401 of this endpoint).
	var missing []string
	for _, f := range []string{"username", "password"} {
		if v, ok := fields[f]; !ok || isNull(v) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		writeError(w, apiError{Code: 400, Message: "Required fields were not provided...",
			Description: "Authentication validation: " + strings.Join(missing, ", ") + " is required!"})
		return
	}
	var username, password string
	if json.Unmarshal(fields["username"], &username) != nil || json.Unmarshal(fields["password"], &password) != nil {
		writeError(w, errBadLogin)
		return
	}

	e.mu.Lock()
	id, u := e.findLogin(username)
	if u == nil || u.password == "" || u.password != password {
		e.mu.Unlock()
		writeError(w, errBadLogin)
		return
	}
	c := e.claimsFor(id, u)
	e.logins++
	e.mu.Unlock()

	token, err := signToken(e.key, c)
	if err != nil {
		writeError(w, apiError{Code: 500, Message: "An internal server error has occurred."})
		return
	}
	// A token is a function of its claims (whole seconds): a login in the
	// second of a revoked token's issue gets the same string, and it is new.
	e.mu.Lock()
	delete(e.revoked, token)
	e.mu.Unlock()
	emu.WriteJSON(w, http.StatusOK, map[string]string{"access_token": token})
}

// handleResetPassword is POST /v1/users/{user_id}/reset-password
// {"new_password"} → 204.
//
// The checks run in the order the spec lists them: the id, then the body
// (missing field, empty, not a string, bad JSON), then the user, then the
// token (401) and its scope (403). (The real gateway authenticates before
// forwarding to the account service; the spec's order is followed here, and
// the provider's client does not depend on either.) Within the body checks,
// a body that is empty or whitespace provides no field at all, so it is a
// "missing field" (listed before bad JSON), as is "new_password": null; a
// body that is not a JSON object cannot be checked for fields and answers
// "bad JSON".
func (e *Emulator) handleResetPassword(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("user_id")
	if !isObjectID(id) {
		writeError(w, errBadID)
		return
	}
	body, _ := io.ReadAll(r.Body) // already in memory: Base.Wrap read it
	newPassword, bodyErr := parseNewPassword(body)
	if bodyErr != nil {
		writeError(w, *bodyErr)
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.users[strings.ToLower(id)]
	if !ok {
		writeError(w, errUserNotFound)
		return
	}
	c, authErr := e.authenticate(r)
	if authErr != nil {
		writeError(w, *authErr)
		return
	}
	if !c.hasScope(ScopeResetPassword) {
		writeError(w, errForbidden)
		return
	}
	u.password = newPassword
	u.issued = append(u.issued, newPassword)
	w.WriteHeader(http.StatusNoContent)
}

// parseNewPassword applies the body checks in the spec's order.
func parseNewPassword(body []byte) (string, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return "", &errMissingPassword
	}
	fields, ok := parseObject(body)
	if !ok {
		return "", &errBadJSON
	}
	raw, present := fields["new_password"]
	if !present || isNull(raw) {
		return "", &errMissingPassword
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", &errPasswordNotString
	}
	if s == "" {
		return "", &errEmptyPassword
	}
	return s, nil
}

// parseObject parses a JSON object; an empty body is an empty object.
func parseObject(body []byte) (map[string]json.RawMessage, bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]json.RawMessage{}, true
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil { // m == nil: the body was null
		return nil, false
	}
	return m, true
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// authenticate checks the bearer token as the gateway does: present, RS256
// signed by this emulator's key, issued by "ocariot", not expired on the
// emulator's clock, and for a user the gateway still knows. e.mu must be held.
func (e *Emulator) authenticate(r *http.Request) (claims, *apiError) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		ae := unauthorized(descNoToken)
		return claims{}, &ae
	}
	c, err := verifyToken(&e.key.PublicKey, token, e.Clock.Now())
	if err == nil && e.revoked[token] {
		err = errTokenExpired
	}
	if err != nil {
		desc := descTokenIssues
		switch {
		case errors.Is(err, errTokenExpired):
			desc = descExpired
		case errors.Is(err, errTokenIssuer):
			desc = descBadParams
		}
		ae := unauthorized(desc)
		return claims{}, &ae
	}
	if _, ok := e.users[strings.ToLower(c.Sub)]; !ok {
		ae := unauthorized(descNoConsumer)
		return claims{}, &ae
	}
	return c, nil
}

// bearerToken extracts the token of "Authorization: Bearer <token>"; the
// scheme is case-insensitive, as in passport-jwt.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// isObjectID reports whether id is 24 hexadecimal characters (a MongoDB
// ObjectId, either case).
func isObjectID(id string) bool {
	if len(id) != 24 {
		return false
	}
	for _, c := range []byte(id) {
		isHex := '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
		if !isHex {
			return false
		}
	}
	return true
}
