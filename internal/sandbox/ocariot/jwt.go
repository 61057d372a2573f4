package ocariot

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// The emulator signs and verifies its RS256 JWTs with the standard library
// instead of a JWT library: the module has none among its dependencies (and
// the team does not add modules for the sandbox), and the subset needed here —
// one fixed algorithm, one key, three claims checked — is a few lines of
// crypto/rsa and base64url. Anything it does not produce (another alg, a JWK
// header, "none") is refused, which is what the gateway does too.

// tokenIssuer is the gateway's expected "iss" (the OCARIoT default, ISSUER=ocariot).
const tokenIssuer = "ocariot"

// tokenLifetime is how long an access token is valid: one day, per the spec.
const tokenLifetime = 24 * time.Hour

// claims is the payload of an OCARIoT access token.
type claims struct {
	Sub     string `json:"sub"`
	SubType string `json:"sub_type"`
	Iss     string `json:"iss"`
	Iat     int64  `json:"iat"`
	Exp     int64  `json:"exp"`
	// Scope is space-separated, e.g. "users:delete users:resetPassword".
	Scope string `json:"scope"`
}

func (c claims) hasScope(want string) bool {
	for _, s := range strings.Fields(c.Scope) {
		if s == want {
			return true
		}
	}
	return false
}

var b64 = base64.RawURLEncoding

// signToken returns the compact RS256 JWT of c.
func signToken(key *rsa.PrivateKey, c claims) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signingInput := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	sum := sha256.Sum256([]byte(signingInput))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signingInput + "." + b64.EncodeToString(sig), nil
}

// Why a token was refused; each maps to the gateway's own 401 description.
var (
	errTokenInvalid = errors.New("invalid token")
	errTokenExpired = errors.New("token expired")
	errTokenIssuer  = errors.New("token issuer invalid")
)

// verifyToken checks the token's algorithm, signature, issuer and expiry
// (against now, the emulator's clock) and returns its claims.
func verifyToken(pub *rsa.PublicKey, token string, now time.Time) (claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims{}, errTokenInvalid
	}
	headerJSON, err := b64.DecodeString(parts[0])
	if err != nil {
		return claims{}, errTokenInvalid
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(headerJSON, &header) != nil || header.Alg != "RS256" {
		return claims{}, errTokenInvalid
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return claims{}, errTokenInvalid
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
		return claims{}, errTokenInvalid
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return claims{}, errTokenInvalid
	}
	var c claims
	if json.Unmarshal(payload, &c) != nil {
		return claims{}, errTokenInvalid
	}
	if c.Iss != tokenIssuer {
		return claims{}, errTokenIssuer
	}
	// jsonwebtoken (the gateway's library) treats a token as expired once
	// now >= exp, in whole seconds.
	if now.Unix() >= c.Exp {
		return claims{}, errTokenExpired
	}
	return c, nil
}
