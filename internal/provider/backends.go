package provider

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// backendBlock is one backend block of the provider configuration: its
// settings and how to build the backend from them. Each lives in
// backend_<system>.go.
type backendBlock struct {
	name        string
	description string
	settings    []blockSetting
	// configure reads the block (with environment fallbacks), reports
	// attribute-scoped errors, and builds the backend.
	configure func(ctx context.Context, b blockConfig, tc transport.Config, now func() time.Time, diags *diag.Diagnostics) backend.Backend
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

// blockSetting is one attribute of a backend block. Every one is an
// optional string, and most fall back to an environment variable, which
// the description then names.
type blockSetting struct {
	name        string
	description string
	env         string // the environment variable standing in for it, if any
	sensitive   bool
}

// schema is the block's schema.
func (b backendBlock) schema() schema.SingleNestedBlock {
	attrs := make(map[string]schema.Attribute, len(b.settings))
	for _, s := range b.settings {
		desc := s.description
		if s.env != "" {
			desc += " Environment: `" + s.env + "`."
		}
		attrs[s.name] = schema.StringAttribute{MarkdownDescription: desc, Optional: true, Sensitive: s.sensitive}
	}
	return schema.SingleNestedBlock{MarkdownDescription: b.description, Attributes: attrs}
}

// config is the block as configured in obj, a known object.
func (b backendBlock) config(obj types.Object) blockConfig {
	c := blockConfig{root: path.Root(b.name), values: map[string]types.String{}, env: map[string]string{}}
	for name, v := range obj.Attributes() {
		if s, ok := v.(types.String); ok {
			c.values[name] = s
		}
	}
	for _, s := range b.settings {
		c.env[s.name] = s.env
	}
	return c
}

// blockConfig is one configured backend block.
type blockConfig struct {
	root   path.Path
	values map[string]types.String
	env    map[string]string
}

// hcl is the setting as configured: null when unset.
func (c blockConfig) hcl(name string) types.String {
	if v, ok := c.values[name]; ok {
		return v
	}
	return types.StringNull()
}

// inHCL says whether the setting is configured with a known value.
func (c blockConfig) inHCL(name string) bool {
	v := c.hcl(name)
	return !v.IsNull() && !v.IsUnknown()
}

// value is the configured value, else its environment variable's: an
// attribute set in HCL wins over the variable.
func (c blockConfig) value(name string) string {
	if c.inHCL(name) {
		return c.hcl(name).ValueString()
	}
	if env := c.env[name]; env != "" {
		return os.Getenv(env)
	}
	return ""
}

// path is the setting's attribute path.
func (c blockConfig) path(name string) path.Path { return c.root.AtName(name) }

// require adds an attribute error when a required setting is empty after
// the environment fallback. It never prints the value.
func (c blockConfig) require(diags *diag.Diagnostics, name, value, what string) {
	if strings.TrimSpace(value) != "" {
		return
	}
	msg := "The provider needs " + what + ". Set " + c.path(name).String()
	if env := c.env[name]; env != "" {
		msg += " or the environment variable " + env
	}
	diags.AddAttributeError(c.path(name), "Missing Provider Setting", msg+".")
}

// checkURL validates a base URL setting (https, or http on loopback) and
// returns it normalised.
func (c blockConfig) checkURL(diags *diag.Diagnostics, name, raw string) string {
	u, err := transport.CheckBaseURL(raw)
	if err != nil {
		diags.AddAttributeError(c.path(name), "Invalid URL", err.Error())
		return ""
	}
	return u.String()
}

// build builds the backend with newBackend, unless an error has been
// reported on the way. When urlSetting is set, it first checks that setting
// as a base URL and normalises *url, which newBackend (a closure over the
// backend's configuration) then sees. A constructor's error is reported on
// the whole block.
func (c blockConfig) build(diags *diag.Diagnostics, system, urlSetting string, url *string, newBackend func() (backend.Backend, error)) backend.Backend {
	if diags.HasError() {
		return nil
	}
	if urlSetting != "" {
		if *url = c.checkURL(diags, urlSetting, *url); diags.HasError() {
			return nil
		}
	}
	be, err := newBackend()
	if err != nil {
		diags.AddAttributeError(c.root, "Invalid "+system+" Configuration", err.Error())
		return nil
	}
	return be
}
