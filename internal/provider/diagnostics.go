package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// addBackendError adds an error diagnostic for a failed backend call. The
// detail says what was attempted, what the service answered and what to do.
// Backends guarantee that their errors hold no secret.
func addBackendError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, backendErrorDetail(err))
}

func backendErrorDetail(err error) string {
	var apiErr *backend.APIError
	var reqErr *transport.RequestError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.Error() + "."
	case errors.As(err, &reqErr):
		return reqErr.Error() + ".\n\nThe identity system could not be reached or kept failing. Check the " +
			"backend URL or endpoint, the network path and ca_certificate_pem; raise request_timeout or " +
			"max_retries for a slow or busy service, then apply again."
	case errors.Is(err, backend.ErrNotSupported):
		return err.Error() + ". This is a bug in the provider: the capability check at plan time should have " +
			"refused the configuration. Please report it."
	}
	return err.Error()
}

// refusedAt is the attribute a backend error concerns, or an empty path:
// user_id for a user the identity system does not have, and for the
// password or expiry it refused, the attribute they came from (password
// and expiry; empty where the resource did not take them from one).
func refusedAt(err error, password, expiry path.Path) path.Path {
	var apiErr *backend.APIError
	switch {
	case errors.Is(err, backend.ErrNotFound):
		return path.Root("user_id")
	case !errors.As(err, &apiErr):
	case apiErr.Refused == backend.FieldPassword:
		return password
	case apiErr.Refused == backend.FieldExpiry:
		return expiry
	}
	return path.Empty()
}

// addErrorAt adds an error on the attribute at, or on the resource when at
// is empty.
func addErrorAt(diags *diag.Diagnostics, at path.Path, summary, detail string) {
	if len(at.Steps()) == 0 {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(at, summary, detail)
}

// addUnsupported adds the plan-time error for an attribute the backend
// cannot honour: it names the attribute and the backend, and says what to do.
func addUnsupported(diags *diag.Diagnostics, p path.Path, backendName, cannot, instead string) {
	detail := fmt.Sprintf("%s cannot %s, so %s cannot be used with this provider block.", backendName, cannot, p.String())
	if instead != "" {
		detail += " " + instead
	}
	diags.AddAttributeError(p, "Not Supported By "+backendName, detail)
}

// noExpiryAdvice is what to do about a requested expiry the backend does
// not take: its own reason and advice where it gives one
// (Capabilities.NoExpiryWhy), then instead.
func noExpiryAdvice(caps backend.Capabilities, instead string) string {
	if caps.NoExpiryWhy == "" {
		return instead
	}
	return caps.NoExpiryWhy + " " + instead
}

// addChangeError adds the error of a failed set or reset, on the attribute
// at (empty: on the resource), and reports whether the identity system may
// have changed the password all the same (errors.Is(err,
// backend.ErrPasswordMayHaveChanged): the backend says so). Then the detail
// says so too, followed by what, which says what became of the resource
// and what the next apply does.
func addChangeError(diags *diag.Diagnostics, at path.Path, summary string, err error, backendName, what string) (mayHaveChanged bool) {
	if !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
		addErrorAt(diags, at, summary, backendErrorDetail(err))
		return false
	}
	addErrorAt(diags, at, summary, backendErrorDetail(err)+"\n\nThe password may have been changed all the same: "+backendName+
		" may have acted on the request before its answer was lost or cut short, so Terraform cannot tell which "+
		"password the user has now. "+what)
	return true
}
