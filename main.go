package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/identityops/terraform-provider-identity/internal/process"
	"github.com/identityops/terraform-provider-identity/internal/provider"
)

// version is set by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	// Log levels, GC settings and make bench's opt-in measurements.
	stop := process.Start(debug)
	// What providerserver.Serve does, with the framework's server wrapped
	// (provider.NewProtocol6Server says why).
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/identityops/identity", provider.NewProtocol6Server(version), opts...)
	stop()
	if err != nil {
		log.Fatal(err.Error())
	}
}
