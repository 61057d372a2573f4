package finspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// sign is the transport's per-attempt Signer: every attempt, retries
// included, gets a fresh X-Amz-Date and signature over the exact body bytes
// it carries. Credentials come from the cache, not from the chain per request.
func (b *Backend) sign(req *http.Request) error {
	ctx := req.Context()
	creds, err := b.creds.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("no usable AWS credentials: %w", err)
	}
	hash, err := payloadHash(req)
	if err != nil {
		return err
	}
	// Drop what a previous attempt's signature left behind (the signer
	// ignores Authorization and replaces X-Amz-Date, but a token the
	// credentials no longer carry would otherwise stay).
	req.Header.Del("Authorization")
	req.Header.Del("X-Amz-Security-Token")
	return b.signer.SignHTTP(ctx, creds, req, hash, SigningName, b.region, b.signingTime())
}

func (b *Backend) signingTime() time.Time {
	return b.now().UTC().Add(time.Duration(b.skew.Load()))
}

// payloadHash is the hex SHA-256 of the request body, read from a fresh copy
// (GetBody) so that the body sent is untouched.
func payloadHash(req *http.Request) (string, error) {
	h := sha256.New()
	switch {
	case req.GetBody != nil:
		body, err := req.GetBody()
		if err != nil {
			return "", fmt.Errorf("reading the request body to sign it: %w", err)
		}
		defer body.Close()
		if _, err := io.Copy(h, body); err != nil {
			return "", fmt.Errorf("reading the request body to sign it: %w", err)
		}
	case req.Body != nil && req.Body != http.NoBody:
		return "", errors.New("the request body cannot be read twice, so it cannot be signed")
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// do sends one call. When AWS refuses the signature as dated too far from
// its own clock, do learns the skew from the answer's Date header and sends
// the call once more (same body, so the same clientToken: the refused
// attempt did nothing). The SDK's own middleware does the same; this client
// does not run the SDK's middleware stack, so it is repeated here.
func (b *Backend) do(ctx context.Context, method, url string, header http.Header, body []byte) (*transport.Response, error) {
	resp, err := b.http.Do(ctx, method, url, header, body)
	if err != nil || !isClockSkewError(resp) {
		return resp, err
	}
	serverTime, perr := http.ParseTime(resp.Header.Get("Date"))
	if perr != nil {
		// No usable Date header: return the service's answer as it is.
		return resp, nil //nolint:nilerr // the 403 answer itself is the result
	}
	skew := serverTime.Sub(b.now())
	b.skew.Store(int64(skew))
	tflog.Warn(ctx, "this machine's clock differs from AWS's; signing with AWS's time", map[string]any{
		"backend": Name, "skew": skew.Round(time.Second).String(),
	})
	return b.http.Do(ctx, method, url, header, body)
}

// isClockSkewError: a 403 saying the signature's date is out of range.
func isClockSkewError(resp *transport.Response) bool {
	if resp.StatusCode != http.StatusForbidden {
		return false
	}
	switch errorType(resp.Header.Get("X-Amzn-Errortype")) {
	case "RequestTimeTooSkewed":
		return true
	case "InvalidSignatureException", "SignatureDoesNotMatch":
		msg := string(resp.Body)
		return strings.Contains(msg, "Signature expired") || strings.Contains(msg, "Signature not yet current")
	}
	return false
}
