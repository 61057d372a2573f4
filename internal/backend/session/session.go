// Package session keeps the token a backend logs in for (an IDaaS
// Administration API token, an OCARIoT access token, a Zato SSO session),
// shared by every resource of one provider block.
package session

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Login obtains a new token. renewAt is when it should be replaced, on the
// clock given to New; zero means when the service refuses it.
type Login func(ctx context.Context) (token string, renewAt time.Time, err error)

// Cache holds one token and logs in when there is none or it is due for
// renewal. However many callers ask at once, one login is in flight
// (golang.org/x/sync/singleflight): a stampede of logins would be refused
// by a rate limit, and failed ones could lock the account out. It is safe
// for concurrent use.
type Cache struct {
	login Login
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	token   string
	renewAt time.Time
}

// New returns an empty Cache; nothing is sent until the first Token. now
// is the clock renewAt is read on; nil means time.Now.
func New(login Login, now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{login: login, now: now}
}

// Token returns the cached token, or logs in when there is none or it is
// due for renewal (callers meanwhile wait for the same login).
//
// The login outlives a caller that gives up: others may be waiting for it.
// It runs with the first caller's context without its cancellation (its
// values, the logger and its masks, are kept), bounded by the transport's
// timeouts and retry limit. A caller whose own context ends stops waiting
// and gets an error for which errors.Is(err, ctx.Err()) holds.
//
// A login error is shared by every caller waiting for that login: it must
// not be changed, and it knows nothing of each caller's own secrets (see
// backend.WithoutSecrets).
func (c *Cache) Token(ctx context.Context) (string, error) {
	if tok, ok := c.cached(); ok {
		return tok, nil
	}
	ch := c.group.DoChan("login", func() (any, error) {
		// A login that ended between cached() above and DoChan leaves a
		// fresh token: it is not replaced by another login.
		if tok, ok := c.cached(); ok {
			return tok, nil
		}
		tok, renewAt, err := c.login(context.WithoutCancel(ctx))
		if err != nil {
			return "", err
		}
		c.mu.Lock()
		c.token, c.renewAt = tok, renewAt
		c.mu.Unlock()
		return tok, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return "", res.Err
		}
		tok, _ := res.Val.(string)
		return tok, nil
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for the login in progress: %w", ctx.Err())
	}
}

// Invalidate drops token after the service refused it (an HTTP 401, an
// expired session), so that the next Token logs in again. A newer token
// that another caller has obtained meanwhile is kept: concurrent refusals
// of one token lead to one login.
func (c *Cache) Invalidate(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == token {
		c.token, c.renewAt = "", time.Time{}
	}
}

// Current is the token held now, or "" (for masking it in logs and
// removing it from error messages).
func (c *Cache) Current() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// cached returns the token held when it is not yet due for renewal.
func (c *Cache) cached() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == "" || (!c.renewAt.IsZero() && !c.now().Before(c.renewAt)) {
		return "", false
	}
	return c.token, true
}
