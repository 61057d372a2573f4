package huawei

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

// Headers of the SDK-HMAC-SHA256 scheme.
const (
	headerDate          = signer.HeaderXDate // "X-Sdk-Date"
	headerAuthorization = signer.HeaderAuthorization
	headerSecurityToken = "X-Security-Token"
	// headerContentSHA256 is added by the SDK signer to a request whose body
	// is not JSON ("UNSIGNED-PAYLOAD"); ours always is, but it is handled.
	headerContentSHA256 = "X-Sdk-Content-Sha256"
)

// sign is the transport's per-attempt Signer: it signs the outgoing request
// with the Huawei Cloud Go SDK's core signer (SDK-HMAC-SHA256), so that each
// retry carries a fresh X-Sdk-Date and signature.
//
// The signature itself is the SDK's, not ours. The SDK signer works on a
// request.DefaultHttpRequest, so this builds one that mirrors the outgoing
// *http.Request (method, scheme and host, decoded path, query, headers, body)
// and copies the headers the signer adds back onto the real request. Two
// details matter:
//   - the SDK reads query parameters only when they are reflect.Values (a
//     plain string is silently left out of the signature), so each one is
//     added as reflect.ValueOf([]string);
//   - the body is handed over as a string, which the SDK hashes verbatim (a
//     []byte would be re-encoded as JSON, i.e. base64, and hashed wrongly).
//
// The Host header is signed too (the SDK's own typed clients do not, the
// API Gateway's signing guide does): it binds the signature to the endpoint.
func (b *Backend) sign(req *http.Request) error {
	body, err := requestBody(req)
	if err != nil {
		return err
	}
	// The transport reuses the request across attempts: drop what the
	// previous attempt's signature added before signing again.
	for _, h := range []string{headerAuthorization, headerDate, headerContentSHA256, headerSecurityToken} {
		req.Header.Del(h)
	}
	if b.cfg.SecurityToken != "" {
		req.Header.Set(headerSecurityToken, b.cfg.SecurityToken)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}

	builder := request.NewHttpRequestBuilder().
		WithMethod(req.Method).
		WithEndpoint(req.URL.Scheme + "://" + host).
		// The decoded path: the SDK escapes each segment itself, as its typed
		// clients do with the raw path parameters.
		WithPath(req.URL.Path).
		WithSigningAlgorithm(algorithm.HmacSHA256)
	if len(body) > 0 {
		builder.WithBody("json", string(body))
	}
	for k, vs := range req.URL.Query() {
		builder.AddQueryParam(k, reflect.ValueOf(vs))
	}
	for k, vs := range req.Header {
		// The SDK keeps one value per header; ours never repeat one.
		builder.AddHeaderParam(k, strings.Join(vs, ","))
	}
	builder.AddHeaderParam("Host", host)
	// The SDK signer takes the signing time from this header when present;
	// setting it makes the date come from the backend's clock (see Config.Now).
	builder.AddHeaderParam(headerDate, b.now().UTC().Format(signer.BasicDateFormat))
	signReq := builder.Build()

	s, err := signer.GetSigner(algorithm.HmacSHA256)
	if err != nil {
		return err
	}
	added, err := s.Sign(signReq, b.cfg.AccessKey, b.cfg.SecretKey)
	if err != nil {
		// The SDK's messages name the missing credential, never its value.
		return fmt.Errorf("the Huawei Cloud SDK signer refused the request: %w", err)
	}
	for k, v := range added {
		req.Header.Set(k, v)
	}
	// Sign may add X-Sdk-Content-Sha256 to the signing request itself (not to
	// what it returns); it is a signed header, so it must be sent too.
	if v, ok := signReq.GetHeaderParams()[headerContentSHA256]; ok {
		req.Header.Set(headerContentSHA256, v)
	}
	return nil
}

// requestBody returns the outgoing body without consuming it.
func requestBody(req *http.Request) ([]byte, error) {
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("reading the request body for signing: %w", err)
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the request body for signing: %w", err)
	}
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(data))
	return data, nil
}
