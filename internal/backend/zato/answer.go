package zato

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// envelope is the common part of every SSO answer, and of the channel's
// error wrapper.
type envelope struct {
	CID       string          `json:"cid"`
	Status    string          `json:"status"`
	SubStatus json.RawMessage `json:"sub_status"`
	// Result and Details are the channel's wrapper of a malformed request
	// (HTTP 400) or a failed service (HTTP 500): {"result": "Error",
	// "cid", "details"} (zato-server .../connection/http_soap/channel.py:122-140).
	// Raw: a search answer's "result" is its list of users, and "details"
	// may be a list (an exception's arguments).
	Result  json.RawMessage `json:"result"`
	Details json.RawMessage `json:"details"`
}

// wrapper reports the channel's error wrapper and its details.
func (env envelope) wrapper() (details string, ok bool) {
	if string(bytes.TrimSpace(env.Result)) != `"Error"` {
		return "", false
	}
	if json.Unmarshal(env.Details, &details) != nil {
		details = string(env.Details)
	}
	return details, true
}

// Statuses an SSO answer carries (zato-sso/src/zato/sso/__init__.py:37-39).
const (
	statusOK      = "ok"
	statusWarning = "warning"
	statusError   = "error"
)

// parseAnswer maps an SSO answer: the JSON object when its status is "ok"
// (or, with warningOK, "warning", as a login gives for a password about to
// expire), else an APIError. Zato's answer is judged by its status, not by
// the HTTP code alone: an unknown current_app is HTTP 200 with status
// "error" (zato-server .../service/internal/sso/__init__.py:99-103), and a
// 2xx without status "ok" is no success. A success body is never quoted (it
// may hold a session token). secrets (what the request carried: the
// session token, passwords) are removed from an error, should the server
// or a proxy ever echo one.
func parseAnswer(resp *transport.Response, op string, warningOK bool, secrets ...string) (json.RawMessage, *backend.APIError) {
	r := transport.NewRedactor(secrets...)
	raw, e := mapAnswer(resp, op, warningOK, r)
	if e != nil {
		e.Code, e.Message, e.RequestID = r.Redact(e.Code), r.Redact(e.Message), r.Redact(e.RequestID)
	}
	return raw, e
}

func mapAnswer(resp *transport.Response, op string, warningOK bool, r transport.Redactor) (json.RawMessage, *backend.APIError) {
	var env envelope
	jsonErr := json.Unmarshal(resp.Body, &env)
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	details, isWrapper := env.wrapper()
	switch {
	case success && jsonErr != nil:
		return nil, &backend.APIError{Backend: restName, Operation: op, StatusCode: resp.StatusCode,
			Message: "the answer is not a JSON object", Hint: "Check that url points at a Zato server's SSO channels; apply again to repeat the call"}
	case success && (env.Status == statusOK || warningOK && env.Status == statusWarning):
		return json.RawMessage(resp.Body), nil
	case jsonErr == nil && (env.Status == statusError || len(env.SubStatus) > 0):
		// Secrets are removed before newAPIError cuts codes and the cid to
		// length, so that a cut leaves none in part.
		codes := subStatusCodes(env.SubStatus)
		for i := range codes {
			codes[i] = r.Redact(codes[i])
		}
		e := newAPIError(restName, op, resp.StatusCode, codes, r.Redact(env.CID))
		if len(codes) == 0 {
			e.Message = "an error without a sub_status"
			if t := http.StatusText(resp.StatusCode); t != "" && !success {
				e.Message = strings.ToLower(t)
			}
		}
		e.Retryable = e.Retryable || retryable
		return nil, e
	case jsonErr == nil && isWrapper && !success:
		// The channel's wrapper: a malformed request (400, "Bad request":
		// SSO channels give no details, channel.py:474-485) or an
		// exception in the service (500, the server's default message,
		// channel.py:516-524).
		e := &backend.APIError{Backend: restName, Operation: op, StatusCode: resp.StatusCode,
			Message: transport.SafeText(r.Redact(details), 200), RequestID: transport.SafeText(r.Redact(env.CID), 128),
			Hint: "The Zato server refused the request as malformed; check that url points at Zato 3.x SSO, and report it if it persists", Retryable: retryable}
		if resp.StatusCode >= 500 {
			e.Hint = "The Zato server failed on the request: look up its cid in the server's logs (server.log), then apply again"
		}
		return nil, e
	case success && jsonErr == nil:
		// JSON in a 2xx, but not a Zato SSO answer: a proxy, a portal, another service.
		return nil, &backend.APIError{Backend: restName, Operation: op, StatusCode: resp.StatusCode,
			Message: fmt.Sprintf("the answer's status is %q, not %q", transport.SafeText(r.Redact(env.Status), 32), statusOK),
			Hint:    "Check that url points at a Zato server's SSO channels (/zato/sso on its port); apply again to repeat the call"}
	}
	// Not in the documented shape: a proxy, a wrong URL, a server error.
	e := &backend.APIError{Backend: restName, Operation: op, StatusCode: resp.StatusCode,
		Message: r.Preview(resp.Body), Hint: backend.HintForStatus(resp.StatusCode), Retryable: retryable}
	if resp.StatusCode == http.StatusNotFound {
		e.Hint = "Check url: the SSO REST channels answer under /zato/sso on the server's port (17010 by default), and SSO must be enabled"
	}
	return nil, e
}

// subStatusCodes reads sub_status: a list of codes, or (leniently) one code.
func subStatusCodes(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	return []string{"(unreadable sub_status)"}
}

// flexBool reads a JSON boolean, or a string Zato's asbool would accept.
type flexBool bool

func (f *flexBool) UnmarshalJSON(data []byte) error {
	var b bool
	if err := json.Unmarshal(data, &b); err == nil {
		*f = flexBool(b)
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("not a boolean: %s", data)
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on", "y", "t", "1":
		*f = true
	case "false", "no", "off", "n", "f", "0", "":
		*f = false
	default:
		return fmt.Errorf("not a boolean: %q", s)
	}
	return nil
}
