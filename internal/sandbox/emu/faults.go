package emu

import (
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
)

// Fault is one injected fault, applied to the next Times matching requests.
type Fault struct {
	Kind FaultKind
	// Method and PathContains select requests; empty matches any.
	Method       string
	PathContains string
	Status       int
	RetryAfter   string
	Body         string
	Delay        time.Duration
	// Times is how many matching requests it applies to; 0 means forever.
	Times int
}

// Faults is a list of pending faults.
type Faults struct {
	mu     sync.Mutex
	faults []*Fault
}

// Inject adds a fault.
func (f *Faults) Inject(fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fc := fault
	f.faults = append(f.faults, &fc)
}

// Clear removes every pending fault.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// take returns the first fault matching r, consuming one of its uses.
func (f *Faults) take(r *http.Request) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ft := range f.faults {
		if ft.Method != "" && ft.Method != r.Method {
			continue
		}
		if ft.PathContains != "" && !strings.Contains(r.URL.Path, ft.PathContains) {
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
