package provider

// Resource identity (Terraform 1.12+) of identity_user_password and
// identity_password_reset, and of the results of the identity_user_password
// list resource: which backend block, which instance of the identity system
// it talks to (the tenant), and which user.

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/finspace"
)

// userIdentityModel is the identity of a user's password: the backend
// block's name, the tenant and the user id.
type userIdentityModel struct {
	Backend types.String `tfsdk:"backend"`
	Tenant  types.String `tfsdk:"tenant"`
	UserID  types.String `tfsdk:"user_id"`
}

// userIdentitySchema is the identity schema of both resources.
func userIdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"backend": identityschema.StringAttribute{
				Description: "The backend block of the provider configuration: entrust_idaas, aws_finspace, " +
					"huawei_identity_center, ocariot or zato_sso. Optional on import; when given, it must be the provider block's.",
				OptionalForImport: true,
			},
			"tenant": identityschema.StringAttribute{
				Description: "The instance of the identity system: " + tenantDescription + " Optional on import; " +
					"when given, it must be the provider block's.",
				OptionalForImport: true,
			},
			"user_id": identityschema.StringAttribute{
				Description:       "The user id, as the resource's user_id.",
				RequiredForImport: true,
			},
		},
	}
}

// tenantDescription says what the tenant is per backend (docs and schema).
const tenantDescription = "the IDaaS tenant's host (from url), the FinSpace region, the Huawei identity store id, " +
	"the OCARIoT gateway's host and path, the Zato server's host and port (REST) or its server_path (CLI)."

// blockTenants computes the tenant of each backend block: what tells two
// provider blocks of one backend apart, stable (no token, no port chosen
// per run by anything but the configuration) and never secret.
var blockTenants = map[string]func(c blockConfig, be backend.Backend) string{
	"entrust_idaas": func(c blockConfig, _ backend.Backend) string { return urlTenant(c.value("url")) },
	// The FinSpace Data API has one host per region, and the environment
	// follows from the credentials: the region is what the configuration
	// says of it (FinSpace user ids are random, 22 characters).
	"aws_finspace": func(_ blockConfig, be backend.Backend) string {
		if f, ok := be.(*finspace.Backend); ok {
			return f.Region()
		}
		return ""
	},
	"huawei_identity_center": func(c blockConfig, _ backend.Backend) string {
		return strings.TrimSpace(c.value("identity_store_id"))
	},
	"ocariot": func(c blockConfig, _ backend.Backend) string { return urlTenant(c.value("url")) },
	"zato_sso": func(c blockConfig, _ backend.Backend) string {
		if c.inHCL("server_path") {
			return filepath.Clean(c.value("server_path"))
		}
		return urlTenant(c.value("url"))
	},
}

// urlTenant is a base URL's host (lower-cased, with a port if any) and
// path, without scheme or trailing slash: the same for every spelling of
// one address.
func urlTenant(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/")
}

// identityOf is the identity of a user's password reached through the
// configured provider.
func (d *providerData) identityOf(userID types.String) userIdentityModel {
	return userIdentityModel{Backend: types.StringValue(d.kind), Tenant: types.StringValue(d.tenant), UserID: userID}
}

// setIdentity sets a resource's identity after Create, Read or Update. In
// a Read without a configured provider it keeps the prior identity, or sets
// the user id alone. Read must set it on every path, a removal included
// (the framework refuses a Read that returns none: Terraform 1.11 sends no
// prior identity).
func (c *configured) setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, userID types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	if c.data != nil {
		return identity.Set(ctx, c.data.identityOf(userID))
	}
	var prior userIdentityModel
	diags := identity.Get(ctx, &prior)
	if diags.HasError() || !prior.UserID.IsNull() {
		return diags
	}
	return identity.Set(ctx, userIdentityModel{Backend: types.StringNull(), Tenant: types.StringNull(), UserID: userID})
}

// checkIdentity refuses a Read whose prior identity names another backend
// block or tenant than the provider block's: the resource was created or
// imported through another identity system (or another address of it).
func (c *configured) checkIdentity(ctx context.Context, prior *tfsdk.ResourceIdentity, resourceType string, diags *diag.Diagnostics) {
	if prior == nil || c.data == nil || prior.Raw.IsNull() {
		return
	}
	var id userIdentityModel
	if diags.Append(prior.Get(ctx, &id)...); diags.HasError() {
		return
	}
	if msg := c.data.mismatch(id); msg != "" {
		diags.AddError("Resource Of Another Identity System",
			fmt.Sprintf("This %s was created or imported %s. A resource keeps the identity system it was "+
				"made with. If this is the same system reached at a new address, remove the resource from state "+
				"(a removed block, or terraform state rm) and import it again with an import block by user_id: "+
				"import adopts the user without changing the password. Otherwise point the resource at a provider "+
				"block for that system (provider = identity.<alias>).", resourceType, msg))
	}
}

// mismatch says how an identity's backend or tenant differs from the
// provider block's ("" when it does not; a null attribute never differs).
func (d *providerData) mismatch(id userIdentityModel) string {
	switch {
	case !id.Backend.IsNull() && id.Backend.ValueString() != d.kind:
		return fmt.Sprintf("through a %s block, but this provider block has a %s block", id.Backend.ValueString(), d.kind)
	case !id.Tenant.IsNull() && id.Tenant.ValueString() != d.tenant:
		return fmt.Sprintf("in %s tenant %q, but this provider block reaches %q", d.kind, id.Tenant.ValueString(), d.tenant)
	}
	return ""
}

// importUserID is the user id an import asks for: the import id (terraform
// import, or an import block with id), or the user_id of an import block's
// identity, whose backend and tenant, when given, must be the provider
// block's; the backend must accept its form. ok is false after an error.
func (c *configured) importUserID(ctx context.Context, req resource.ImportStateRequest, resourceType string, diags *diag.Diagnostics) (userID string, ok bool) {
	if c.data == nil {
		diags.AddError("Provider Not Configured", "The provider must be configured to import "+resourceType+".")
		return "", false
	}
	userID = req.ID
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var id userIdentityModel
		if diags.Append(req.Identity.Get(ctx, &id)...); diags.HasError() {
			return "", false
		}
		if msg := c.data.mismatch(id); msg != "" {
			diags.AddError("Import Identity Of Another Identity System",
				fmt.Sprintf("The import block's identity names a user %s. Import it with a provider block "+
					"configured for that system (provider = identity.<alias>), or drop backend and tenant from the identity.", msg))
			return "", false
		}
		userID = id.UserID.ValueString()
	}
	if err := c.data.backend.ValidateUserID(userID); err != nil {
		diags.AddError("Invalid Import ID", "The import id must be the user id: "+userIDProblem(c.data.backend, err))
		return "", false
	}
	return userID, true
}
