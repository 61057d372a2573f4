package transport

import (
	"net/http"
	"net/http/httptrace"
	"sync"
)

// firstConnTransport makes a Client's first requests wait until one of them
// has a connection. Without it, the requests that Terraform's -parallelism
// starts together each dial the host and each pays a TLS handshake, since
// net/http merges them onto one HTTP/2 connection only once one exists
// (golang/go#13957, #27753); 10 resources at once meant 10 handshakes per
// provider process. With it, one request connects and the others then share
// its HTTP/2 connection: one handshake per host per process. (Over HTTP/1.1
// a connection carries one request at a time, so concurrent requests still
// open their own, each reused afterwards.)
//
// The others wait for the connection only, not for the first answer: a slow
// answer does not hold them up. Should the first request fail to connect,
// the next waiting one tries.
type firstConnTransport struct {
	next http.RoundTripper
	// ready is closed once a request has got a connection.
	ready chan struct{}
	once  sync.Once
	// turn is held by the request that is connecting.
	turn chan struct{}
}

func newFirstConnTransport(next http.RoundTripper) *firstConnTransport {
	return &firstConnTransport{next: next, ready: make(chan struct{}), turn: make(chan struct{}, 1)}
}

func (t *firstConnTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case <-t.ready:
		return t.next.RoundTrip(req)
	default:
	}
	select {
	case <-t.ready:
		return t.next.RoundTrip(req)
	case t.turn <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	defer func() { <-t.turn }()
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		t.once.Do(func() { close(t.ready) })
	}}
	return t.next.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
}
