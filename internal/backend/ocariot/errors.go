package ocariot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// msgUserNotFound is the account service's 404 for an unknown user
// (ocariot/account src/utils/strings.ts:17); its other 404 is "Endpoint
// <url> does not found!" for a path it has no route for (src/app.ts:135-141).
const msgUserNotFound = "User not found!"

const (
	hintLogin = "Check username and password in the ocariot provider block (or OCARIOT_USERNAME and OCARIOT_PASSWORD)"
	hintScope = "The access token's scope must include users:resetPassword: use the credentials of an OCARIoT admin " +
		"user whose tokens grant it"
	hintWrongURL = "The service does not know this path: check that url points at the OCARIoT API gateway, " +
		"e.g. https://api.ocariot.example"
)

// errorBody is OCARIoT's error shape: {"code", "message", "description"},
// plus "redirect_link" on the gateway's 401.
type errorBody struct {
	Code         any    `json:"code"`
	Message      string `json:"message"`
	Description  string `json:"description"`
	RedirectLink string `json:"redirect_link"`
}

// apiError maps a non-2xx answer to a *backend.APIError. login tells the
// login call (POST /v1/auth) from a call made with a token.
func (b *Backend) apiError(op string, resp *transport.Response, login bool, secrets ...string) error {
	// Secrets are removed before a header value, a code or the body is cut
	// to length, so that a cut leaves none in part.
	r := transport.NewRedactor(append(secrets, b.cfg.Password, b.cfg.AccessToken, b.currentToken())...)
	e := &backend.APIError{
		Backend:    name,
		Operation:  op,
		StatusCode: resp.StatusCode,
		RequestID:  r.Text(resp.Header.Get("X-Request-Id"), 128), // a header value may be any bytes
	}
	var body errorBody
	documented := json.Unmarshal(resp.Body, &body) == nil && body.Message != ""
	switch {
	case documented:
		e.Code = r.Text(codeString(body.Code), 128)
		e.Message = r.Redact(joinMessage(body.Message, body.Description))
	case len(bytes.TrimSpace(resp.Body)) > 0:
		e.Message = "unexpected answer: " + r.Preview(resp.Body)
	}

	if resp.StatusCode == http.StatusBadRequest && strings.Contains(body.Description, "new_password") {
		e.Refused = backend.FieldPassword
	}
	switch status := resp.StatusCode; {
	case status == http.StatusBadRequest && strings.Contains(body.Message, "{user_id}"):
		e.Hint = "Check the user_id: OCARIoT expects " + b.Capabilities().UserIDDescription
	case status == http.StatusUnauthorized && login:
		e.Hint = hintLogin
	case status == http.StatusUnauthorized && strings.Contains(body.Description, "consumer"):
		// The gateway registers a token's user as a consumer when it logs
		// in through the gateway (api-gateway policies/auth/auth.js:39-43);
		// a token issued by the account service directly is unknown to it
		// (express-apigw-base-plugin policies/authentication/jwt.js:72-77).
		e.Hint = "The gateway does not know the token's user as a consumer: log in through the gateway (POST /v1/auth on url), " +
			"or set username and password instead of access_token so that the provider does"
	case status == http.StatusUnauthorized && b.cfg.AccessToken != "":
		e.Hint = b.fixedTokenHint()
	case status == http.StatusUnauthorized:
		e.Hint = "The gateway refused a freshly issued access token"
		if body.RedirectLink != "" {
			e.Hint += " and asks to authenticate again at " + body.RedirectLink
		}
		e.Hint += ": check that username and password in the ocariot provider block (or OCARIOT_USERNAME and " +
			"OCARIOT_PASSWORD) belong to an active OCARIoT user"
	case status == http.StatusForbidden:
		e.Hint = hintScope
	case status == http.StatusNotFound && documented && !login && body.Message == msgUserNotFound:
		e.NotFound = true
		e.Hint = "Check the user_id: OCARIoT does not know this user, or it was removed"
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		e.Hint = hintWrongURL
	default:
		e.Hint = backend.HintForStatus(status)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		e.Retryable = true
	}
	return e
}

// fixedTokenHint explains a refused configured access token.
func (b *Backend) fixedTokenHint() string {
	h := "The access token was refused (expired?)"
	if exp, ok := tokenExpiry(b.cfg.AccessToken); ok && !b.now().Before(exp) {
		h += fmt.Sprintf("; it expired at %s", exp.Format(time.RFC3339))
	}
	return h + ". OCARIoT tokens are valid for one day: get a new one with POST /v1/auth and set access_token " +
		"(or OCARIOT_ACCESS_TOKEN), or set username and password instead so that the provider logs in and " +
		"renews the token itself"
}

// codeString renders the service's code (a number in every documented body).
func codeString(code any) string {
	switch c := code.(type) {
	case float64:
		return strconv.FormatFloat(c, 'f', -1, 64)
	case string:
		return c
	}
	return ""
}

// joinMessage puts the service's description after its message:
// "User not found! User not found or already removed. …",
// "FORBIDDEN: Authorization failed due to insufficient permissions."
func joinMessage(message, description string) string {
	message, description = strings.TrimSpace(message), strings.TrimSpace(description)
	switch {
	case description == "":
		return message
	case strings.HasSuffix(message, ".") || strings.HasSuffix(message, "!") || strings.HasSuffix(message, "?"):
		return message + " " + description
	}
	return message + ": " + description
}
