package emu

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Request is one request an emulator received, as received.
type Request struct {
	Time   time.Time
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	// Status is what the emulator answered (0 for a dropped connection).
	Status int
	// Response is the body answered (its first MiB), nil for a dropped
	// connection.
	Response []byte
}

// Recorder keeps every request, for tests to assert on what was sent.
type Recorder struct {
	mu   sync.Mutex
	reqs []*Request
}

func (r *Recorder) add(req *Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
}

// setAnswer records the answer's status and body under the lock: a dropped
// connection ends the handler while tests may be reading.
func (r *Recorder) setAnswer(req *Request, status int, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	req.Status = status
	if len(body) > 0 {
		req.Response = body
	}
}

// Requests returns a copy of the recorded requests, oldest first.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Request, len(r.reqs))
	for i, q := range r.reqs {
		out[i] = *q
	}
	return out
}

// Match returns the recorded requests with the method (empty: any) whose path
// contains pathPart.
func (r *Recorder) Match(method, pathPart string) []Request {
	var out []Request
	for _, q := range r.Requests() {
		if (method == "" || q.Method == method) && strings.Contains(q.Path, pathPart) {
			out = append(out, q)
		}
	}
	return out
}

// Count is len(Match(method, pathPart)).
func (r *Recorder) Count(method, pathPart string) int {
	return len(r.Match(method, pathPart))
}

// Clear forgets every recorded request.
func (r *Recorder) Clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = nil
}
