package emu

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"
)

// FaultKind is what an injected fault does.
type FaultKind int

const (
	// FaultStatus answers Status (with Retry-After when set) without acting.
	FaultStatus FaultKind = iota
	// FaultResetBefore drops the connection before the emulator acts.
	FaultResetBefore
	// FaultResetAfter lets the emulator act, then drops the connection
	// instead of answering (the response is lost).
	FaultResetAfter
	// FaultDelay waits Delay before handling the request normally.
	FaultDelay
	// FaultMalformed lets the emulator act, then answers 200 with a truncated body.
	FaultMalformed
	// FaultHook calls Hook, then handles the request normally: a test's way
	// to change the emulator at the moment a request arrives (e.g. to expire
	// the token or session the request carries).
	FaultHook
)

// Fault is one injected fault, applied to the next Times matching requests.
type Fault struct {
	Kind FaultKind
	// Method, PathContains, QueryContains and BodyContains select
	// requests; empty matches any. BodyContains is for APIs that name the
	// user in the body rather than the path (Zato SSO's PATCH
	// /zato/sso/user/password); QueryContains (the raw query) for a later
	// page of a listing (nextToken=, marker=, page=2).
	Method        string
	PathContains  string
	QueryContains string
	BodyContains  string
	Status        int
	RetryAfter    string
	Body          string
	Delay         time.Duration
	// Hook is called by FaultHook with the request and its body.
	Hook func(r *http.Request, body []byte)
	// Times is how many matching requests it applies to; 0 means forever.
	Times int
}

// Faults is a list of pending faults.
type Faults struct {
	mu     sync.Mutex
	faults []*Fault
}

// Inject adds a fault. The returned function removes it if it is still
// pending, so that a test can end a fault of its own (one with Times 0)
// without Clear, which would end those of tests running alongside.
func (f *Faults) Inject(fault Fault) (remove func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fc := &fault
	f.faults = append(f.faults, fc)
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, ft := range f.faults {
			if ft == fc {
				f.faults = append(f.faults[:i], f.faults[i+1:]...)
				return
			}
		}
	}
}

// Clear removes every pending fault.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// take returns the first fault matching r (whose body is body), consuming
// one of its uses.
func (f *Faults) take(r *http.Request, body []byte) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ft := range f.faults {
		if ft.Method != "" && ft.Method != r.Method {
			continue
		}
		if ft.PathContains != "" && !strings.Contains(r.URL.Path, ft.PathContains) {
			continue
		}
		if ft.QueryContains != "" && !strings.Contains(r.URL.RawQuery, ft.QueryContains) {
			continue
		}
		if ft.BodyContains != "" && !bytes.Contains(body, []byte(ft.BodyContains)) {
			continue
		}
		got := *ft
		if ft.Times > 0 {
			ft.Times--
			if ft.Times == 0 {
				f.faults = append(f.faults[:i], f.faults[i+1:]...)
			}
		}
		return &got
	}
	return nil
}
