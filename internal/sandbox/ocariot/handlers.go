package ocariot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
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

// The error bodies of POST /v1/users/{user_id}/reset-password and POST
// /v1/auth, word for word from ocariot/account (src/utils/strings.ts line
// numbers given) and the gateway's plugins (ocariot/api-gateway,
// nutes-uepb/express-apigw-base-plugin).
var (
	errBadID = apiError{400, "Parameter {user_id} is not in valid format!",
		"A 24-byte hex ID similar to this: 507f191e810c19729de860ea is expected.", ""}
	errMissingPassword = apiError{400, "Required field not provided...", "new_password is required!", ""}
	// The account's error handler for a body-parser failure (src/app.ts:143-154, strings.ts:85-86).
	errBadJSON = apiError{400, "Unable to process request body!",
		"Please verify that the JSON provided in the request body has a valid format and try again.", ""}
	errUserNotFound = apiError{404, "User not found!",
		"User not found or already removed. A new operation for the same resource is not required.", ""}
	// The gateway's jwtScopes-policy (express-apigw-base-plugin policies/authorization/jwt-scopes.js:27-33).
	errForbidden = apiError{403, "FORBIDDEN", "Authorization failed due to insufficient permissions.", ""}
	// errBadLogin is exactly {"code": 401, "message": "Invalid username or password!"}
	// (account src/ui/controller/auth.controller.ts:35-47; no description).
	errBadLogin = apiError{401, "Invalid username or password!", "", ""}
)

// unauthorized is the gateway's 401 (express-apigw-base-plugin
// policies/authentication/jwt.js:65-98), one description per reason.
func unauthorized(description string) apiError {
	return apiError{401, "UNAUTHORIZED", description, "/auth"}
}

const (
	descNoToken    = "Authentication failed for lack of authentication credentials." // jwt.js:65-70
	descExpired    = "Authentication failed because access token is expired."        // jwt.js:79-84
	descNoConsumer = "The token user is not properly registered as a consumer at the gateway."
	// descTokenIssues is every other token problem, a wrong issuer too:
	// jwt.js:86 compares the error with 'jwt issuer invalid.', which
	// jsonwebtoken's message never equals, so its "contains invalid
	// parameters" answer is unreachable (jwt.js:86-98).
	descTokenIssues = "Authentication failed due to access token issues."
)

// The account's validation messages (strings.ts:96-100; auth.validator.ts,
// string.validator.ts).
const (
	msgRequired   = "Required fields were not provided..."
	msgInvalid    = "One or more request fields are invalid..."
	descRequired  = "%s are required!"
	descNotString = "%s must be a string!"
	descEmpty     = "%s must have at least one character!"
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
	// A path the account service has no route for (src/app.ts:135-141,
	// strings.ts:87). (A path no gateway endpoint matches gets the
	// gateway's own 404, which the emulator does not model.)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, apiError{Code: http.StatusNotFound, Message: "Endpoint " + r.URL.RequestURI() + " does not found!"})
	})
	return mux
}

// handleAuth is POST /v1/auth {"username", "password"} → 200 {"access_token"}.
// The gateway's body parser drops a JSON error (express-apigw-base-plugin
// policies/body-parser/body-parser.js:14) and its auth-policy re-posts the
// parsed body (api-gateway's policies/auth/auth.js:18-53): a body that is not
// JSON reaches the account service as {}. There, AuthValidator
// (src/application/domain/validator/auth.validator.ts:6-19) checks
// username, then password: a missing one is listed as required, a present
// one that is not a string (null too) or is empty fails at once.
func (e *Emulator) handleAuth(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // already in memory: Base.Wrap read it
	fields, ok := parseBody(r.Header.Get("Content-Type"), body)
	if !ok {
		fields = map[string]json.RawMessage{}
	}
	var missing []string
	values := map[string]string{}
	for _, f := range []string{"username", "password"} {
		raw, present := fields[f]
		if !present {
			missing = append(missing, f)
			continue
		}
		v, bad := stringField(raw, f)
		if bad != nil {
			writeError(w, *bad)
			return
		}
		values[f] = v
	}
	if len(missing) > 0 {
		writeError(w, apiError{Code: 400, Message: msgRequired, Description: fmt.Sprintf(descRequired, strings.Join(missing, ", "))})
		return
	}

	e.mu.Lock()
	id, u := e.findLogin(values["username"])
	if u == nil || u.password == "" || u.password != values["password"] {
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

// stringField is StringValidator (string.validator.ts:5-13): a JSON string
// that is not empty.
func stringField(raw json.RawMessage, name string) (string, *apiError) {
	var s string
	// null is no string either (Go would read it as "").
	if string(bytes.TrimSpace(raw)) == "null" || json.Unmarshal(raw, &s) != nil {
		return "", &apiError{Code: 400, Message: msgInvalid, Description: fmt.Sprintf(descNotString, name)}
	}
	if s == "" {
		return "", &apiError{Code: 400, Message: msgInvalid, Description: fmt.Sprintf(descEmpty, name)}
	}
	return s, nil
}

// handleResetPassword is POST /v1/users/{user_id}/reset-password
// {"new_password"} → 204, its checks in the order the real services make
// them: the gateway's pipeline checks the token (401), then its scope (403)
// before the account service sees anything (api-gateway
// config/gateway.config.yml:1215-1222); the account service parses the body
// for every route, a parse error going to its error handler (400 "Unable to
// process request body!", src/app.ts:96-100, :143-154); then the id (400),
// new_password (400) and the user (404), in that order
// (src/application/service/user.service.ts:53-62,
// src/ui/controller/user.controller.ts:58-71).
func (e *Emulator) handleResetPassword(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, authErr := e.authenticate(r)
	if authErr != nil {
		writeError(w, *authErr)
		return
	}
	if !c.hasScope(ScopeResetPassword) {
		writeError(w, errForbidden)
		return
	}
	body, _ := io.ReadAll(r.Body) // already in memory: Base.Wrap read it
	fields, ok := parseBody(r.Header.Get("Content-Type"), body)
	if !ok {
		writeError(w, errBadJSON)
		return
	}
	id := r.PathValue("user_id")
	if !isObjectID(id) {
		writeError(w, errBadID) // object.id.validator.ts:19-24, strings.ts:21, :90
		return
	}
	raw, present := fields["new_password"]
	if !present {
		writeError(w, errMissingPassword) // reset.password.validator.ts:8-10: undefined only
		return
	}
	newPassword, bad := stringField(raw, "new_password") // null is no string
	if bad != nil {
		writeError(w, *bad)
		return
	}
	u, ok := e.users[strings.ToLower(id)]
	if !ok {
		writeError(w, errUserNotFound) // user.controller.ts:62-64, strings.ts:17-18
		return
	}
	u.password = newPassword
	u.issued = append(u.issued, newPassword)
	w.WriteHeader(http.StatusNoContent)
}

// parseBody reads a request body as the account service's body-parser does
// (src/app.ts:96-100): JSON for application/json, strict (the first
// character, after white space, must be "{" or "["; an empty body is {}),
// form fields for application/x-www-form-urlencoded, and {} for any other
// type. A JSON array gives no fields. ok is false for a JSON body that does
// not parse.
func parseBody(contentType string, body []byte) (map[string]json.RawMessage, bool) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/json":
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, false
		}
		out := map[string]json.RawMessage{}
		for k, vs := range form {
			out[k], _ = json.Marshal(vs[0])
		}
		return out, true
	default:
		return map[string]json.RawMessage{}, true
	}
	if len(body) == 0 {
		return map[string]json.RawMessage{}, true
	}
	switch t := bytes.TrimLeft(body, " \t\r\n"); {
	case len(t) > 0 && t[0] == '[':
		var list []json.RawMessage
		return map[string]json.RawMessage{}, json.Unmarshal(body, &list) == nil
	case len(t) > 0 && t[0] == '{':
		var m map[string]json.RawMessage
		return m, json.Unmarshal(body, &m) == nil
	}
	return nil, false
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
		if errors.Is(err, errTokenExpired) {
			desc = descExpired
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
