package finspace

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	return b.signer.SignHTTP(ctx, creds, req, hash, SigningName, b.region, b.now().UTC())
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
