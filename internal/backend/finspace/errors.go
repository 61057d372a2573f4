package finspace

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// errorBody is FinSpace's error shape. Some AWS front ends spell the field
// "Message"; rest-json also allows the type in the body ("__type", "code").
type errorBody struct {
	Message      string `json:"message"`
	MessageUpper string `json:"Message"`
	Reason       string `json:"reason"`
	Type         string `json:"__type"`
	Code         string `json:"code"`
}

// mapError turns a non-2xx answer into an APIError: the code is the
// x-amzn-ErrorType header (without its ":suffix"), else the body's type.
// secrets (the credentials in use) are removed from everything taken from
// the answer, should the service or a proxy ever echo one.
func mapError(op string, resp *transport.Response, secrets ...string) *backend.APIError {
	// Secrets are removed before a header value, a code or the body is cut
	// to length, so that a cut leaves none in part.
	r := transport.NewRedactor(secrets...)
	e := &backend.APIError{
		Backend:    Name,
		Operation:  op,
		StatusCode: resp.StatusCode,
		RequestID:  requestID(resp.Header, secrets...),
	}
	var body errorBody
	shaped := len(resp.Body) > 0 && json.Unmarshal(resp.Body, &body) == nil
	e.Code = errorType(resp.Header.Get("X-Amzn-Errortype"))
	if e.Code == "" && shaped {
		e.Code = errorType(body.Type)
		if e.Code == "" {
			e.Code = errorType(body.Code)
		}
	}
	e.Code = r.Text(e.Code, 128)
	defer func() { e.Message = r.Redact(e.Message) }()
	switch {
	case shaped:
		e.Message = body.Message
		if e.Message == "" {
			e.Message = body.MessageUpper
		}
		if body.Reason != "" {
			if e.Message != "" {
				e.Message += " (reason: " + body.Reason + ")"
			} else {
				e.Message = "reason: " + body.Reason
			}
		}
	case len(strings.TrimSpace(string(resp.Body))) > 0:
		// Not the documented shape (a proxy, a load balancer): show the start.
		e.Message = r.Preview(resp.Body)
	}
	e.NotFound = e.Code == "ResourceNotFoundException"
	e.Hint, e.Retryable = hintFor(e.Code, resp.StatusCode)
	return e
}

// errorType strips what AWS may add to an error type: a ":suffix" in the
// header (x-amzn-ErrorType: Name:http://internal.amazon.com/...) and a
// "namespace#" prefix in a body's __type, as the AWS SDKs do: before the
// first ":", after the first "#" (aws-sdk-go
// private/protocol/restjson/unmarshal_error.go sanitizeCode).
func errorType(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[:i]
	}
	if i := strings.IndexByte(v, '#'); i >= 0 {
		v = v[i+1:]
	}
	return v
}

// hintFor says what to do about an error, and whether a later apply may not
// see it.
func hintFor(code string, status int) (hint string, retryable bool) {
	switch code {
	case "AccessDeniedException":
		return "Only a FinSpace superuser may reset another user's password or read users: map the AWS principal of the " +
			"credential chain to a FinSpace superuser with API access, and allow it the finspace-api actions in IAM", false
	case "ResourceNotFoundException":
		return "Check the user_id and that the region or endpoint is the FinSpace environment's: the service does not know this user", false
	case "ValidationException":
		return "Check the user_id (the FinSpace userId, 1 to 26 characters); the service refused the request as invalid", false
	case "ConflictException":
		return "Another change to this user was in progress; apply again", true
	case "ThrottlingException", "TooManyRequestsException":
		return backend.HintForStatus(http.StatusTooManyRequests), true
	case "LimitExceededException":
		return "A FinSpace service limit was reached; wait or raise the limit, then apply again", true
	case "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignatureException":
		return "AWS refused the request signature: check the secret access key of the AWS credentials in use " +
			"(AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the profile setting) and that this machine's clock is correct", false
	case "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredTokenException", "ExpiredToken":
		return "AWS did not accept the access key or session token: refresh the credentials (e.g. aws sso login) " +
			"or check which profile and region are in use", false
	case "MissingAuthenticationTokenException":
		return "The request reached no FinSpace Data operation: check the endpoint and region", false
	case "InternalServerException":
		return backend.HintForStatus(http.StatusInternalServerError), true
	}
	return backend.HintForStatus(status), status == http.StatusTooManyRequests || status >= 500
}

// requestID is the answer's request id without secrets, made fit for a
// diagnostic (a header value may be any bytes).
func requestID(h http.Header, secrets ...string) string {
	id := h.Get("X-Amzn-Requestid")
	if id == "" {
		id = h.Get("X-Amz-Request-Id")
	}
	return transport.NewRedactor(secrets...).Text(id, 128)
}
