package finspace

import (
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// SigV4 verification, computed here from AWS's published algorithm
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
// rather than by re-signing with the SDK's signer: the client signs with that
// signer, and an emulator that shared its code could not catch a request the
// client signs wrongly. The tests check this implementation against the SDK.

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateForm  = "20060102T150405Z"
	// maxSkew is how far X-Amz-Date may be from the service's clock.
	maxSkew = 15 * time.Minute
)

// authError is a refused signature, answered the way AWS's front end does.
type authError struct {
	status int
	typ    string
	msg    string
}

// authorization is a parsed Authorization header.
type authorization struct {
	accessKeyID   string
	date          string
	region        string
	service       string
	signedHeaders []string
	signature     string
}

func parseAuthorization(v string) (*authorization, *authError) {
	if v == "" {
		return nil, &authError{http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token"}
	}
	alg, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || alg != sigAlgorithm {
		return nil, &authError{http.StatusBadRequest, "IncompleteSignatureException",
			"Authorization header requires the algorithm " + sigAlgorithm + "."}
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, &authError{http.StatusBadRequest, "IncompleteSignatureException", "Authorization header is not well formed."}
		}
		fields[k] = val
	}
	var missing []string
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[k] == "" {
			missing = append(missing, "'"+k+"'")
		}
	}
	if len(missing) > 0 {
		return nil, &authError{http.StatusBadRequest, "IncompleteSignatureException",
			"Authorization header requires " + strings.Join(missing, ", ") + " parameter(s)."}
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return nil, &authError{http.StatusBadRequest, "IncompleteSignatureException",
			"Credential should be scoped to a valid region, service and 'aws4_request' terminator: " + strconv.Quote(fields["Credential"])}
	}
	return &authorization{
		accessKeyID:   scope[0],
		date:          scope[1],
		region:        scope[2],
		service:       scope[3],
		signedHeaders: strings.Split(fields["SignedHeaders"], ";"),
		signature:     fields["Signature"],
	}, nil
}

// verifySignature checks r (whose body is body) against the secret, at the
// emulator's now.
func verifySignature(r *http.Request, body []byte, a *authorization, secret, region string, now time.Time) *authError {
	if a.region != region {
		return &authError{http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Credential should be scoped to a valid region, not '%s'.", a.region)}
	}
	if a.service != signingName {
		return &authError{http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Credential should be scoped to correct service: '%s'.", signingName)}
	}
	rawDate := r.Header.Get("X-Amz-Date")
	if rawDate == "" {
		return &authError{http.StatusBadRequest, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	signedAt, err := time.Parse(amzDateForm, rawDate)
	if err != nil {
		return &authError{http.StatusBadRequest, "IncompleteSignatureException", "X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'."}
	}
	if signedAt.Before(now.Add(-maxSkew)) {
		return &authError{http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
				rawDate, now.Add(-maxSkew).Format(amzDateForm), now.Format(amzDateForm))}
	}
	if signedAt.After(now.Add(maxSkew)) {
		return &authError{http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
				rawDate, now.Add(maxSkew).Format(amzDateForm), now.Format(amzDateForm))}
	}
	if a.date != signedAt.Format("20060102") {
		return &authError{http.StatusForbidden, "InvalidSignatureException",
			fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
				a.date, signedAt.Format("20060102"), rawDate)}
	}
	if !slices.Contains(a.signedHeaders, "host") || !slices.Contains(a.signedHeaders, "x-amz-date") {
		return &authError{http.StatusForbidden, "InvalidSignatureException", "'Host' and 'X-Amz-Date' must be signed headers."}
	}
	if !sort.StringsAreSorted(a.signedHeaders) {
		return &authError{http.StatusForbidden, "InvalidSignatureException", signatureMismatch}
	}

	canonical := strings.Join([]string{
		r.Method,
		canonicalURI(r.URL),
		emu.CanonicalQuery(r.URL.Query()),
		canonicalHeaders(r, a.signedHeaders),
		strings.Join(a.signedHeaders, ";"),
		emu.HexSHA256(body),
	}, "\n")
	scope := strings.Join([]string{a.date, a.region, a.service, "aws4_request"}, "/")
	toSign := strings.Join([]string{sigAlgorithm, rawDate, scope, emu.HexSHA256([]byte(canonical))}, "\n")
	key := emu.HMACSHA256([]byte("AWS4"+secret), a.date)
	key = emu.HMACSHA256(key, a.region)
	key = emu.HMACSHA256(key, a.service)
	key = emu.HMACSHA256(key, "aws4_request")
	want := hex.EncodeToString(emu.HMACSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(a.signature))) {
		return &authError{http.StatusForbidden, "InvalidSignatureException", signatureMismatch}
	}
	return nil
}

const signatureMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// canonicalURI URI-encodes the path as sent, a second time: every service but
// S3 signs the double-encoded path.
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return emu.URIEncode(p, true)
}

// canonicalHeaders renders the signed headers: lower-case names, values
// trimmed with inner runs of spaces collapsed, several values joined by ",".
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = r.Header.Values("Content-Length")
			if len(values) == 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			values = r.Header.Values(name)
		}
		for i, v := range values {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}
