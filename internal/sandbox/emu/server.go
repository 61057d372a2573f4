package emu

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Base is embedded by every emulator: clock, recorder, faults and an
// optional throttle that answers 429 like a rate-limited service.
type Base struct {
	Clock    *Clock
	Recorder *Recorder
	Faults   *Faults

	mu       sync.Mutex
	throttle *rate.Limiter
	// Throttled counts requests answered 429 by the throttle.
	throttled int
}

// NewBase returns a Base with a real-time clock.
func NewBase() Base {
	return Base{Clock: &Clock{}, Recorder: &Recorder{}, Faults: &Faults{}}
}

// SetThrottle limits the emulator to rps requests per second (0: no limit);
// requests over it are answered by tooMany (a 429 in the API's own shape).
func (b *Base) SetThrottle(rps float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if rps <= 0 {
		b.throttle = nil
		return
	}
	b.throttle = rate.NewLimiter(rate.Limit(rps), max(1, int(rps)))
	b.throttled = 0
}

// Throttled is the number of requests answered 429 by the throttle.
func (b *Base) Throttled() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.throttled
}

// Wrap records every request, applies faults and the throttle, and then
// calls next. tooMany writes the API's own 429 answer.
func (b *Base) Wrap(next http.Handler, tooMany func(w http.ResponseWriter)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &Request{Time: b.Clock.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
		b.Recorder.add(rec)
		sw := &statusWriter{ResponseWriter: w}
		defer func() { b.Recorder.setAnswer(rec, sw.status, sw.body.Bytes()) }()

		b.mu.Lock()
		limited := b.throttle != nil && !b.throttle.Allow()
		if limited {
			b.throttled++
		}
		b.mu.Unlock()
		if limited {
			sw.Header().Set("Retry-After", "1")
			tooMany(sw)
			return
		}

		fault := b.Faults.take(r, body)
		if fault == nil {
			next.ServeHTTP(sw, r)
			return
		}
		switch fault.Kind {
		case FaultStatus:
			if fault.RetryAfter != "" {
				sw.Header().Set("Retry-After", fault.RetryAfter)
			}
			sw.WriteHeader(fault.Status)
			_, _ = io.WriteString(sw, fault.Body)
		case FaultResetBefore:
			dropConnection(w)
		case FaultResetAfter:
			next.ServeHTTP(httptest.NewRecorder(), r)
			dropConnection(w)
		case FaultDelay:
			select {
			case <-time.After(fault.Delay):
			case <-r.Context().Done():
				return
			}
			next.ServeHTTP(sw, r)
		case FaultHook:
			if fault.Hook != nil {
				fault.Hook(r, body)
			}
			next.ServeHTTP(sw, r)
		case FaultMalformed:
			out := httptest.NewRecorder()
			next.ServeHTTP(out, r)
			full := out.Body.Bytes()
			sw.Header().Set("Content-Type", "application/json")
			sw.WriteHeader(http.StatusOK)
			_, _ = sw.Write(full[:len(full)/2])
		}
	})
}

// dropConnection closes the client's connection without an HTTP answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // a reset, not a clean close
	}
	_ = conn.Close()
}

// statusWriter remembers the status and the first maxRecordedBody bytes of
// the body answered (the recorder keeps them: the secret scan of the
// acceptance tests reads the passwords and tokens the emulators issued).
type statusWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

// maxRecordedBody caps how much of an answer the recorder keeps.
const maxRecordedBody = 1 << 20

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	if room := maxRecordedBody - s.body.Len(); room > 0 {
		s.body.Write(p[:min(len(p), room)])
	}
	return s.ResponseWriter.Write(p)
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
