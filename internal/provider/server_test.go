package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// keepingServer keeps every context it is given, as the framework's
// protocol server does (its registerContext).
type keepingServer struct {
	frameworkServer
	kept    []context.Context
	cancels []context.CancelFunc
	// during is called inside the RPC.
	during func(ctx context.Context)
}

func (s *keepingServer) ValidateResourceConfig(ctx context.Context, _ *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	s.kept = append(s.kept, ctx)
	s.cancels = append(s.cancels, cancel) // never called, like the framework's

	s.during(ctx)
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

type testKey struct{}

type payload struct{ _ [4096]byte }

func TestReleasingServerLetsTheRPCContextGo(t *testing.T) {
	inner := &keepingServer{}
	s := &releasingServer{frameworkServer: inner}

	deadline := time.Now().Add(time.Hour)
	var ref weak.Pointer[payload]
	func() {
		p := &payload{}
		ref = weak.Make(p)
		ctx, cancel := context.WithDeadline(context.WithValue(context.Background(), testKey{}, p), deadline)
		defer cancel()
		inner.during = func(ctx context.Context) {
			if ctx.Value(testKey{}) != p {
				t.Error("the RPC does not see the values of its context")
			}
			if d, ok := ctx.Deadline(); !ok || !d.Equal(deadline) {
				t.Errorf("Deadline = %v, %v", d, ok)
			}
			if ctx.Err() != nil {
				t.Errorf("Err = %v during the RPC", ctx.Err())
			}
		}
		if _, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{}); err != nil {
			t.Fatal(err)
		}
		cancel() // gRPC cancels the stream's context as the RPC ends
		inner.during = nil
	}()

	kept := inner.kept[0]
	if kept.Value(testKey{}) != nil {
		t.Error("a released context still answers its values")
	}
	if !errors.Is(kept.Err(), context.Canceled) {
		t.Errorf("Err = %v after the RPC, want Canceled", kept.Err())
	}
	select {
	case <-kept.Done():
	default:
		t.Error("Done is open after the RPC")
	}
	// A stopped timer (the deadline's) lets go of its context one GC later;
	// with the rest of the package's tests running alongside, a few more
	// may be needed. A context that is really kept is never collected, so
	// this still fails then.
	for i := 0; i < 200 && ref.Value() != nil; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if ref.Value() != nil {
		t.Error("the RPC's context is still reachable through the context the server kept")
	}
	runtime.KeepAlive(inner) // as the framework keeps its server
}

func TestReleasingServerCancellation(t *testing.T) {
	inner := &keepingServer{}
	s := &releasingServer{frameworkServer: inner}
	ctx, cancel := context.WithCancel(context.Background())
	inner.during = func(rpcCtx context.Context) {
		cancel() // Terraform stops the provider mid-RPC
		select {
		case <-rpcCtx.Done():
		case <-time.After(5 * time.Second):
			t.Error("the cancellation of the RPC's context did not reach the framework's")
		}
	}
	if _, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{}); err != nil {
		t.Fatal(err)
	}
}

// TestProtocol6ServerIsWrapped makes sure the framework's server still
// serves everything the wrapper passes on (a framework upgrade that breaks
// this would silently bring the leak back).
func TestProtocol6ServerIsWrapped(t *testing.T) {
	s := NewProtocol6Server("test")()
	if _, ok := s.(*releasingServer); !ok {
		t.Fatalf("server is %T, not wrapped", s)
	}
	if _, ok := s.(tfprotov6.ActionServer); !ok {
		t.Error("the wrapped server does not serve actions")
	}
}

// TestFrameworkStillKeepsRPCContexts is the condition for releasingServer:
// the framework's own server, unwrapped, still keeps what an RPC's context
// holds after the RPC has returned and gRPC has cancelled the context (its
// registerContext, see releasingServer). When a framework upgrade makes this
// test fail, the leak is fixed upstream: remove releasingServer,
// NewProtocol6Server and this file, and serve providerserver.NewProtocol6 in
// main.go again.
func TestFrameworkStillKeepsRPCContexts(t *testing.T) {
	s := providerserver.NewProtocol6(New("test")())()
	var ref weak.Pointer[payload]
	func() {
		p := &payload{}
		ref = weak.Make(p)
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), testKey{}, p))
		// Any RPC will do: registerContext is the first thing each one does.
		if _, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "identity_no_such_resource"}); err != nil {
			t.Fatal(err)
		}
		cancel() // gRPC cancels the stream's context as the RPC ends
	}()
	for i := 0; i < 20 && ref.Value() != nil; i++ {
		runtime.GC()
	}
	if ref.Value() == nil {
		t.Error("terraform-plugin-framework no longer keeps the contexts of finished RPCs: releasingServer " +
			"(internal/provider/server.go) is no longer needed; remove it (see its comment)")
	}
	runtime.KeepAlive(s)
}
