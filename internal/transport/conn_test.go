package transport

import (
	"context"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// tlsServer starts a TLS server that counts the connections (and so the
// TLS handshakes) it accepts, and a client that trusts it.
func tlsServer(t *testing.T, http2 bool, handler http.HandlerFunc) (*httptest.Server, *Client, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(handler)
	srv.EnableHTTP2 = http2
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cfg := fastConfig()
	cfg.CACertificatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, &conns
}

// TestOneTLSHandshakePerHost sends as many requests at once as Terraform's
// default -parallelism, many times over: over HTTP/2 they share one
// connection, so the client pays for one TLS handshake, not one a request.
func TestOneTLSHandshakePerHost(t *testing.T) {
	srv, c, conns := tlsServer(t, true, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"ok":true}`))
	})
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for range 20 {
				if _, err := c.Do(context.Background(), http.MethodGet, srv.URL, nil, nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n != 1 {
		t.Errorf("200 requests opened %d connections, want 1", n)
	}
}

// TestConnectionReusedOverHTTP1 checks that answers are read to the end
// and closed, so that a server without HTTP/2 sees its connection reused
// (with a body left unread, each request would need a new one).
func TestConnectionReusedOverHTTP1(t *testing.T) {
	body := strings.Repeat("x", 64<<10)
	srv, c, conns := tlsServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/error" {
			w.WriteHeader(http.StatusNotFound)
		}
		_, _ = w.Write([]byte(body))
	})
	for i := range 20 {
		path := "/ok"
		if i%2 == 1 {
			path = "/error"
		}
		if _, err := c.Do(context.Background(), http.MethodGet, srv.URL+path, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("20 sequential requests opened %d connections, want 1", n)
	}
}

// fakeConnector fails its first dial and connects afterwards, reporting the
// connection through the request's trace as net/http does.
type fakeConnector struct {
	dials atomic.Int32
}

func (f *fakeConnector) RoundTrip(req *http.Request) (*http.Response, error) {
	if f.dials.Add(1) == 1 {
		return nil, errors.New("connection refused")
	}
	if tr := httptrace.ContextClientTrace(req.Context()); tr != nil && tr.GotConn != nil {
		tr.GotConn(httptrace.GotConnInfo{})
	}
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
}

func TestFirstConnNextTriesAfterAFailedDial(t *testing.T) {
	f := &fakeConnector{}
	ft := newFirstConnTransport(f)
	req := httptest.NewRequest(http.MethodGet, "https://example.test/", nil)
	if resp, err := ft.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Fatal("the failed dial did not fail")
	}
	resp, err := ft.RoundTrip(req)
	if err != nil {
		t.Fatalf("the next request did not get its turn: %v", err)
	}
	resp.Body.Close()
	select {
	case <-ft.ready:
	default:
		t.Fatal("a connection was made but the others are still held")
	}
}

func TestFirstConnWaiterLeavesWithItsContext(t *testing.T) {
	ft := newFirstConnTransport(&fakeConnector{})
	ft.turn <- struct{}{} // another request is connecting
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "https://example.test/", nil).WithContext(ctx)
	resp, err := ft.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
