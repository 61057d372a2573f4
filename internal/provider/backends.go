package provider

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// backendBlock is one backend block of the provider configuration: its schema
// and how to build the backend from it. Each lives in backend_<system>.go.
type backendBlock struct {
	name   string
	schema schema.SingleNestedBlock
	// configure reads the block from config (with environment fallbacks),
	// reports attribute-scoped errors, and builds the backend.
	configure func(ctx context.Context, cfg tfsdk.Config, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend
}

// backendBlocks lists every identity system the provider speaks to.
var backendBlocks = []backendBlock{
	idaasBlock(),
	finspaceBlock(),
	huaweiBlock(),
	ocariotBlock(),
	zatoBlock(),
}

func backendBlockNames() string {
	names := make([]string, len(backendBlocks))
	for i, b := range backendBlocks {
		names[i] = b.name
	}
	return strings.Join(names, ", ")
}

// fromEnv returns the configured value, else the environment variable's:
// an attribute set in HCL wins over the variable.
func fromEnv(v types.String, env string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// requireSetting adds an attribute error when a required setting is empty
// after the environment fallback. It never prints the value.
func requireSetting(diags *diag.Diagnostics, p path.Path, value, env, what string) {
	if strings.TrimSpace(value) != "" {
		return
	}
	msg := "The provider needs " + what + ". Set " + p.String()
	if env != "" {
		msg += " or the environment variable " + env
	}
	diags.AddAttributeError(p, "Missing Provider Setting", msg+".")
}

// checkURL validates a base URL attribute (https, or http on loopback).
func checkURL(diags *diag.Diagnostics, p path.Path, raw string) string {
	u, err := transport.CheckBaseURL(raw)
	if err != nil {
		diags.AddAttributeError(p, "Invalid URL", err.Error())
		return ""
	}
	return u.String()
}
