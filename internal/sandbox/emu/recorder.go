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

// setStatus records the answer's status under the lock: a dropped
// connection ends the handler while tests may be reading.
func (r *Recorder) setStatus(req *Request, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	req.Status = status
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
