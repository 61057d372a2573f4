package emu

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Secret is one credential an emulator knows: a password it set, issued or
// received, a token or session it handed out, or a test credential. The
// acceptance tests' secret scan looks for every one of them in Terraform's
// and the provider's logs and output.
type Secret struct {
	// Kind says what the value is, e.g. "IDaaS password" or "Zato session
	// token"; it is what a report names instead of the value.
	Kind  string
	Value string
}

// Secrets collects secrets without duplicates (the first kind given for a
// value wins), in the order added. The zero value is ready to use; it is not
// safe for concurrent use.
type Secrets struct {
	list []Secret
	seen map[string]bool
}

// Add records each non-empty value as a secret of the kind.
func (s *Secrets) Add(kind string, values ...string) {
	for _, v := range values {
		if v == "" || s.seen[v] {
			continue
		}
		if s.seen == nil {
			s.seen = map[string]bool{}
		}
		s.seen[v] = true
		s.list = append(s.list, Secret{Kind: kind, Value: v})
	}
}

// List returns the secrets collected, in the order added.
func (s *Secrets) List() []Secret {
	return append([]Secret(nil), s.list...)
}

// Wire says where one kind of secret crosses the wire, for AddRecorded.
type Wire struct {
	Kind string
	// Body and Answer name JSON members (at any depth) of the request and of
	// the answer, Query names query parameters, and Header a request header
	// whose (bearer) token is taken.
	Body, Query, Answer []string
	Header              string
}

// AddRecorded adds what every request the recorder holds, and its answer,
// carry where the wires say: request by request, each in the wires' order.
func (s *Secrets) AddRecorded(rec *Recorder, wires ...Wire) {
	for _, r := range rec.Requests() {
		for _, w := range wires {
			s.Add(w.Kind, JSONStrings(r.Body, w.Body...)...)
			s.Add(w.Kind, QueryStrings(r.Query, w.Query...)...)
			if w.Header != "" {
				s.Add(w.Kind, BearerToken(r.Header.Get(w.Header)))
			}
			s.Add(w.Kind, JSONStrings(r.Response, w.Answer...)...)
		}
	}
}

// JSONStrings returns the string values of the named keys in a JSON body,
// at any depth (an emulator's secret fields are few and distinctly named).
// A body that is not JSON yields nothing.
func JSONStrings(body []byte, keys ...string) []string {
	var v any
	if len(keys) == 0 || len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if s, ok := x.(string); ok && want[k] {
					out = append(out, s)
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// QueryStrings returns the values of the named query parameters.
func QueryStrings(q url.Values, keys ...string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, q[k]...)
	}
	return out
}

// BearerToken returns the token of an "Authorization: Bearer <token>" value
// (the scheme in any case), or the whole value when it has no scheme.
func BearerToken(header string) string {
	h := strings.TrimSpace(header)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return h
}
