package zato

// The SSO channels' wire format: what a request carries (a JSON body, or
// the query string) and the two shapes of an answer.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// ssoError is an answer in Zato's error shape, {"cid", "status": "error",
// "sub_status": [codes]}: HTTP 403 from a call the SSO API refused
// (zato-server .../service/internal/sso/__init__.py:56-65), or HTTP 200
// for an unknown current_app (ok200, __init__.py:99-103, which sets no
// status code).
type ssoError struct {
	codes []string
	ok200 bool
}

func fail(codes ...string) *ssoError { return &ssoError{codes: codes} }

// badRequest is what Zato's channel answers for a malformed request (a
// required input missing, a body it cannot parse): HTTP 400 with
// {"result": "Error", "cid", "details": "Bad request"}; SSO channels never
// say more (zato-server .../connection/http_soap/channel.py:474-485,
// wrapper client_json_error :122-140). msg is for the emulator's tests
// only: it is not sent.
type badRequest struct{ msg string }

// serverError is any other exception in a service (asbool of a word that
// is no boolean, say): HTTP 500 in the same wrapper, with the server's
// default error message (channel.py:516-524).
type serverError struct{ msg string }

// defaultErrorMessage stands for the server's configured
// default_error_message (its text is deployment-specific).
const defaultErrorMessage = "An error occurred, please consult the server logs"

func writeErr(w http.ResponseWriter, err any) {
	switch v := err.(type) {
	case *ssoError:
		status := http.StatusForbidden
		if v.ok200 {
			status = http.StatusOK
		}
		emu.WriteJSON(w, status, map[string]any{"cid": newCID(), "status": "error", "sub_status": v.codes})
	case *badRequest:
		emu.WriteJSON(w, http.StatusBadRequest, map[string]any{"result": "Error", "cid": newCID(), "details": "Bad request"})
	case *serverError:
		emu.WriteJSON(w, http.StatusInternalServerError, map[string]any{"result": "Error", "cid": newCID(), "details": defaultErrorMessage})
	}
}

// writeOK answers a call that succeeded: status "ok" and an empty
// sub_status, which Zato 3.2 sends as is (its SimpleIO output does not skip
// empty values), with extra's keys beside them.
func writeOK(w http.ResponseWriter, extra map[string]any) {
	writeStatus(w, "ok", []string{}, extra)
}

func writeStatus(w http.ResponseWriter, status string, subStatus []string, extra map[string]any) {
	out := map[string]any{"cid": newCID(), "status": status, "sub_status": subStatus}
	for k, v := range extra {
		out[k] = v
	}
	emu.WriteJSON(w, http.StatusOK, out)
}

// input is a request's parameters: the JSON body, plus the query string.
type input map[string]any

func readInput(r *http.Request) (input, *badRequest) {
	in := input{}
	// The Base has already read the body into memory.
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil && !errors.Is(err, io.EOF) {
		return nil, &badRequest{msg: "Invalid JSON in request body"}
	}
	for k, vs := range r.URL.Query() {
		if _, set := in[k]; !set && len(vs) > 0 {
			in[k] = vs[0]
		}
	}
	return in, nil
}

func (in input) has(k string) bool { _, ok := in[k]; return ok }

func (in input) str(k string) string {
	switch v := in[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// require checks SimpleIO's input_required: each key present and not null.
func (in input) require(keys ...string) *badRequest {
	for _, k := range keys {
		if in[k] == nil {
			return &badRequest{msg: "Missing input: " + k}
		}
	}
	return nil
}

// boolean reads a flag the way Zato's asbool does.
func (in input) boolean(k string) (bool, *serverError) {
	switch v := in[k].(type) {
	case bool:
		return v, nil
	case json.Number:
		return v.String() != "0", nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "yes", "on", "y", "t", "1":
			return true, nil
		case "false", "no", "off", "n", "f", "0", "":
			return false, nil
		}
	}
	// asbool raises ValueError: an unexpected exception, HTTP 500.
	return false, &serverError{msg: "Invalid boolean: " + k}
}

// integer reads an Int() SimpleIO element: a JSON integer or its string.
func (in input) integer(k string) (int64, *badRequest) {
	s := in.str(k)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &badRequest{msg: "Invalid integer: " + k}
	}
	return n, nil
}

func newCID() string { return emu.RandomHex(12) }

// newUST makes an opaque session token (Zato's are Fernet tokens: "gAAAAA...").
func newUST() string {
	return "gAAAAA" + base64.RawURLEncoding.EncodeToString(emu.RandomBytes(48))
}
