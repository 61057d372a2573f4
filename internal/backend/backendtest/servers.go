package backendtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// ServeTLS serves handler (an emulator's) over TLS on loopback, with a CA
// of its own, until the test ends. Clients trust ca.CertPEM.
func ServeTLS(tb testing.TB, handler http.Handler) (url string, ca *emu.CA) {
	tb.Helper()
	ca, err := emu.NewCA()
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := ca.Serve("127.0.0.1:0", handler)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv.URL, ca
}

// FastTransport is the transport the backends' tests reach an emulator
// with: three retries, waiting 1 to 10 ms, trusting caPEM ("" for the
// system's roots).
func FastTransport(caPEM string) transport.Config {
	return transport.Config{MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond, CACertificatePEM: caPEM}
}

// Emulator is what Serve serves: a sandbox emulator.
type Emulator interface{ Handler() http.Handler }

// Served is an emulator served over TLS for a test (Serve): the emulator,
// where it is, and a transport that reaches it.
type Served[E Emulator] struct {
	Emu E
	URL string
	// Transport is a FastTransport that trusts the emulator's CA.
	Transport transport.Config
}

// Serve serves emulator e as ServeTLS does, until the test ends.
func Serve[E Emulator](tb testing.TB, e E) *Served[E] {
	tb.Helper()
	url, ca := ServeTLS(tb, e.Handler())
	return &Served[E]{Emu: e, URL: url, Transport: FastTransport(string(ca.CertPEM))}
}

// Answer is what a FuzzServer sends: a status, headers and a body.
type Answer struct {
	Status int
	// Header is sent as given: its keys are not canonicalised.
	Header http.Header
	Body   []byte
}

// RequestID is a header with X-Request-Id, or none for an empty id.
func RequestID(id string) http.Header {
	if id == "" {
		return nil
	}
	return http.Header{"X-Request-Id": {id}}
}

// FuzzServer answers every request with the Answer of the route its
// request falls in: a fuzz target sets the answers before each call.
type FuzzServer struct {
	URL     string
	mu      sync.Mutex
	answers map[string]Answer
}

// NewFuzzServer starts a FuzzServer, until the test ends. route names the
// answer a request gets (nil: "" for every request).
func NewFuzzServer(tb testing.TB, route func(*http.Request) string) *FuzzServer {
	s := &FuzzServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := ""
		if route != nil {
			name = route(r)
		}
		s.mu.Lock()
		a := s.answers[name]
		s.mu.Unlock()
		for k, v := range a.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(a.Status)
		_, _ = w.Write(a.Body)
	}))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// ByPath is a FuzzServer route by the request's path: a path of routes
// gets the answer it names, any other path the answer "".
func ByPath(routes map[string]string) func(*http.Request) string {
	return func(r *http.Request) string { return routes[r.URL.Path] }
}

// Set replaces the answers, by route.
func (s *FuzzServer) Set(answers map[string]Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = answers
}

// WireServer records the method and request URI (as sent, escaped) of each
// request it receives, and answers with what answer writes.
type WireServer struct {
	URL  string
	mu   sync.Mutex
	seen []string
}

// NewWireServer starts a WireServer, until the test ends.
func NewWireServer(tb testing.TB, answer func(w http.ResponseWriter, r *http.Request)) *WireServer {
	s := &WireServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, r.Method+" "+r.RequestURI)
		s.mu.Unlock()
		answer(w, r)
	}))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Seen returns the requests received so far, oldest first, and forgets them.
func (s *WireServer) Seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.seen
	s.seen = nil
	return out
}

// Last returns the last request received ("" for none), and forgets them all.
func (s *WireServer) Last() string {
	seen := s.Seen()
	if len(seen) == 0 {
		return ""
	}
	return seen[len(seen)-1]
}

// CheckOneSegment parses a request URL as the HTTP client will and checks
// that the id is exactly one path segment between prefix and suffix.
func CheckOneSegment(t *testing.T, raw, prefix, id, suffix string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("the request URL for an accepted id does not parse: %v", err)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.Path != prefix+id+suffix {
		t.Fatalf("an accepted id changes the request: path %q query %q fragment %q", u.Path, u.RawQuery, u.Fragment)
	}
	if seg := strings.TrimSuffix(strings.TrimPrefix(u.EscapedPath(), prefix), suffix); strings.Contains(seg, "/") || seg == "." || seg == ".." {
		t.Fatalf("an accepted id is not one path segment on the wire: %q", seg)
	}
}

// Check sends each id of wants straight to the request code (send, which
// skips ValidateUserID) and checks what reached the server: the method
// and request URI wants gives for the id.
func (s *WireServer) Check(t *testing.T, send func(id string) error, wants map[string]string) {
	t.Helper()
	for id, want := range wants {
		if err := send(id); err != nil {
			t.Fatalf("id %q: %v", id, err)
		}
		if got := s.Last(); got != want {
			t.Errorf("id %q reached the server as %q, want %q", id, got, want)
		}
	}
}
