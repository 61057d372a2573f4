package transport

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckBaseURL accepts https URLs, and plain http only for loopback hosts
// (the sandbox, a local tunnel). It returns a user-facing error.
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not an absolute URL with a host, such as https://example.com", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("the URL must not carry credentials; use the provider's credential attributes")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("plain http:// is refused for %q: use https://, or http:// only for a loopback host", u.Hostname())
		}
	default:
		return nil, fmt.Errorf("scheme %q is not supported: use https://", u.Scheme)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// PathEscape escapes one path segment, so that a user id can never add path
// segments ("../", "/", "%2F") to a request.
func PathEscape(segment string) string {
	return url.PathEscape(segment)
}
