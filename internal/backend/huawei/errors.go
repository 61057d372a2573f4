package huawei

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// errorBody is Huawei Cloud's error shape, shared by Identity Center (IIC.*)
// and the API Gateway in front of it (APIGW.*).
type errorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
	// EncodedAuthorizationMessage comes with some 403 answers: an encoded
	// account of why the call was denied, for Huawei Cloud STS
	// DecodeAuthorizationMessage. It can be kilobytes long.
	EncodedAuthorizationMessage string `json:"encoded_authorization_message"`
}

// Hints for Identity Center's own codes.
const (
	hintAdministrator = "Resetting passwords needs the credentials of the organization's management account or of a delegated administrator of IAM Identity Center; use such credentials, and check that identity_store_id belongs to that organization"
	hintConflict      = "Identity Center reported a concurrency conflict; apply again"
	hintNotFound      = "Check the user_id and the identity_store_id: the identity store does not know this user"
	hintWrongEndpoint = "Check endpoint (or region): the answer is a 404 without an Identity Center error code, so it does not come from the identity store API"
	hintSignature     = "Check access_key, secret_key and security_token (temporary credentials need all three and expire) and the system clock: Huawei Cloud refuses a signature dated more than 15 minutes off its own clock"
)

// apiError maps a non-2xx answer to a *backend.APIError. The request id is
// always kept: it is what Huawei Cloud support asks for.
func (b *Backend) apiError(ctx context.Context, op string, resp *transport.Response) error {
	e := &backend.APIError{Backend: backendName, Operation: op, StatusCode: resp.StatusCode}
	// Should the service or a proxy ever echo a credential, it is removed
	// from everything taken from the answer (before a preview is cut, so
	// that none is left in part); codes and ids are made fit for a
	// diagnostic (a header value may be any bytes).
	r := transport.NewRedactor(b.cfg.SecretKey, b.cfg.SecurityToken)
	var body errorBody
	if err := json.Unmarshal(resp.Body, &body); err == nil && (body.ErrorCode != "" || body.ErrorMsg != "") {
		e.Code, e.Message, e.RequestID = body.ErrorCode, r.Redact(body.ErrorMsg), body.RequestID
	} else {
		e.Message = r.Preview(resp.Body)
	}
	if e.RequestID == "" {
		// The API Gateway also returns the request id as a header.
		e.RequestID = resp.Header.Get("X-Request-Id")
	}
	e.Code, e.RequestID = r.Text(e.Code, 128), r.Text(e.RequestID, 128)

	switch {
	case e.Code == "IIC.404" || e.Code == "IIC.1002":
		e.NotFound = true
		e.Hint = hintNotFound
	case e.Code == "" && resp.StatusCode == http.StatusNotFound:
		// Not Identity Center's own answer (a wrong endpoint, a proxy): not a
		// missing user, which would make refresh drop every resource.
		e.Hint = hintWrongEndpoint
	case e.Code == "IIC.1006" || e.Code == "IIC.1007":
		e.Retryable = true
		e.Hint = hintConflict
	case e.Code == "IIC.1000" || e.Code == "IIC.1001" || e.Code == "IIC.1003" || e.Code == "IIC.1004":
		e.Hint = hintAdministrator
	case resp.StatusCode == http.StatusUnauthorized || e.Code == "APIGW.0301":
		e.Hint = hintSignature
	case resp.StatusCode == http.StatusTooManyRequests:
		e.Retryable = true
		e.Hint = backend.HintForStatus(resp.StatusCode)
	default:
		e.Retryable = resp.StatusCode == http.StatusConflict || resp.StatusCode >= 502 && resp.StatusCode <= 504
		e.Hint = backend.HintForStatus(resp.StatusCode)
	}

	if m := body.EncodedAuthorizationMessage; m != "" {
		// Not echoed in the error: it can be kilobytes long. It is no
		// secret, so it goes to the debug log for whoever needs to decode it.
		tflog.Debug(ctx, "Huawei Cloud denied the call; encoded authorization message", map[string]any{
			"operation":                     op,
			"request_id":                    e.RequestID,
			"encoded_authorization_message": m,
		})
		e.Hint = joinHints(e.Hint, fmt.Sprintf(
			"The answer carries an encoded authorization message (%d characters, not shown; logged with TF_LOG=DEBUG) that Huawei Cloud STS DecodeAuthorizationMessage turns into the reason for the denial",
			len(m)))
	}
	return e
}

func joinHints(a, b string) string {
	if a == "" {
		return b
	}
	return a + ". " + b
}
