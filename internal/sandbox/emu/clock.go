// Package emu holds what every emulator in the sandbox shares: an injectable
// clock, a request recorder, fault injection, rate limiting and a TLS server
// with its own CA.
package emu

import (
	"sync"
	"time"
)

// Clock is the emulator's notion of now. Tests move it instead of sleeping.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	fixed  *time.Time
}

// Now returns the real time plus any offset, or the fixed time when set.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed != nil {
		return *c.fixed
	}
	return time.Now().Add(c.offset).UTC()
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed != nil {
		t := c.fixed.Add(d)
		c.fixed = &t
		return
	}
	c.offset += d
}

// Set fixes the clock at t (until Advance or Reset).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t = t.UTC()
	c.fixed = &t
}

// Reset returns to real time.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed, c.offset = nil, 0
}
