package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server returns the provider's protocol 6 server, for
// tf6server.Serve: the framework's server with the per-resource RPCs
// wrapped so that a finished RPC's context can be collected (see
// releasingServer).
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return wrapProtocol6(providerserver.NewProtocol6(New(version)())())
	}
}

// frameworkServer is everything the framework's protocol 6 server serves.
// terraform-plugin-go's tf6server finds the optional parts with type
// assertions on the server it is given (tfprotov6.ProviderServerWithActions,
// ...WithListResource, ...WithStateStores in tf6server/server.go), so the
// wrapper embeds them all: without that, actions would silently stop working.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
	tfprotov6.ListResourceServer
	tfprotov6.StateStoreServer
}

// wrapProtocol6 wraps s, or returns it unchanged should a framework version
// no longer serve all of frameworkServer (TestProtocol6ServerIsWrapped then
// fails).
func wrapProtocol6(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	fs, ok := s.(frameworkServer)
	if !ok {
		return s
	}
	return &releasingServer{frameworkServer: fs}
}

// releasingServer works around a memory leak in terraform-plugin-framework,
// checked in v1.19.0 (the version in go.mod). Its protocol 6 server,
// internal/proto6server, begins every RPC method (server_*.go) with
// ctx = s.registerContext(ctx), and registerContext (serve.go) derives the
// RPC's context with context.WithCancel and appends the cancel function to
// Server.contextCancels, a slice that only cancelRegisteredContexts empties,
// and only StopProvider calls that. Each kept cancel function holds its
// context and, through its parent, everything the RPC's context chain holds:
// the gRPC stream and the per-RPC loggers that tf6server adds before it calls
// the provider, about 13 KB an RPC. A provider process lives for one
// Terraform command, and applying 1000 resources sends about 3000 RPCs to one
// process: `make bench` measured the live heap growing to 40 MB and the peak
// RSS to 113 MB, against 40 MB with the wrapper (docs/guides/performance.md).
//
// The wrapper hands the framework a context whose link to the RPC's own
// context is cut when the RPC returns, so that what the framework keeps is
// a few hundred bytes. Only the RPCs sent once per resource instance are
// wrapped; the others (schema, configure, actions) are sent a few times per
// process. The RPCs are wrapped one method each: tf6server calls them
// through the tfprotov6 interfaces, and a gRPC interceptor would sit below
// the loggers tf6server adds, which would still be kept.
//
// When it can go: TestFrameworkStillKeepsRPCContexts fails as soon as a
// framework version stops keeping what an RPC's context holds. Until then,
// on each framework upgrade, registerContext and contextCancels in
// internal/proto6server/serve.go tell the same.
type releasingServer struct {
	frameworkServer
}

func (s *releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s *releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s *releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ReadResource)
}

func (s *releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s *releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s *releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s *releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s *releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ReadDataSource)
}

// serveReleasing calls rpc with a releasable copy of ctx and releases it
// when rpc returns.
func serveReleasing[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasableContext(ctx)
	defer rc.release()
	return rpc(rc, req)
}

// releasableContext is ctx until release, and afterwards a cancelled
// context without values or deadline. The RPC's own context is cancelled
// by gRPC as the RPC returns anyway, so cancellation behaves the same. What
// changes is that a goroutine outliving the RPC (an authentication shared
// with other resources, say) no longer finds terraform-plugin-go's loggers
// in it: its log lines are dropped, nothing else.
type releasableContext struct {
	ctx atomic.Pointer[context.Context]
}

func newReleasableContext(ctx context.Context) *releasableContext {
	rc := &releasableContext{}
	rc.ctx.Store(&ctx)
	return rc
}

func (c *releasableContext) release() { c.ctx.Store(&releasedContext) }

func (c *releasableContext) current() context.Context { return *c.ctx.Load() }

func (c *releasableContext) Deadline() (time.Time, bool) { return c.current().Deadline() }

func (c *releasableContext) Done() <-chan struct{} { return c.current().Done() }

func (c *releasableContext) Err() error { return c.current().Err() }

func (c *releasableContext) Value(key any) any { return c.current().Value(key) }

// releasedContext is what a released context stands for.
var releasedContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()
