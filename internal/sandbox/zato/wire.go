package zato

// The SSO channels' wire format: what a request carries (a JSON body, or
// the query string) and the two shapes of an answer.

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// ssoError is an answer in Zato's error shape: HTTP 403 with sub_status.
type ssoError struct{ codes []string }

func fail(codes ...string) *ssoError { return &ssoError{codes: codes} }

// badRequest is a malformed request: HTTP 400 with a text body.
type badRequest struct{ msg string }

func writeErr(w http.ResponseWriter, err any) {
	switch v := err.(type) {
	case *ssoError:
		emu.WriteJSON(w, http.StatusForbidden, map[string]any{"cid": newCID(), "status": "error", "sub_status": v.codes})
	case *badRequest:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintln(w, v.msg)
	}
}

func writeOK(w http.ResponseWriter, extra map[string]any) {
	out := map[string]any{"cid": newCID(), "status": "ok"}
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

func (in input) require(keys ...string) *badRequest {
	for _, k := range keys {
		if in.str(k) == "" {
			return &badRequest{msg: "Missing input: " + k}
		}
	}
	return nil
}

// boolean reads a flag the way Zato's asbool does.
func (in input) boolean(k string) (bool, *badRequest) {
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
	return false, &badRequest{msg: "Invalid boolean: " + k}
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
