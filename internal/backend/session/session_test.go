package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeLogin counts logins and issues tok-1, tok-2, ...; each login waits
// for release (when set) and lives for life (0: until refused).
type fakeLogin struct {
	calls   atomic.Int32
	life    time.Duration
	now     func() time.Time
	release chan struct{}
	err     error
	// ctxErr is the error of the context the last login ran with.
	ctxErr atomic.Value
}

func (f *fakeLogin) login(ctx context.Context) (string, time.Time, error) {
	n := f.calls.Add(1)
	if f.release != nil {
		<-f.release
	}
	f.ctxErr.Store(fmt.Sprint(ctx.Err()))
	if f.err != nil {
		return "", time.Time{}, f.err
	}
	var renewAt time.Time
	if f.life > 0 {
		renewAt = f.now().Add(f.life)
	}
	return fmt.Sprintf("tok-%d", n), renewAt, nil
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func TestCache_oneLoginForConcurrentCallers(t *testing.T) {
	f := &fakeLogin{release: make(chan struct{})}
	c := New(f.login, nil)
	const callers = 50
	var wg sync.WaitGroup
	toks := make(chan string, callers)
	for range callers {
		wg.Go(func() {
			tok, err := c.Token(context.Background())
			if err != nil {
				t.Error(err)
			}
			toks <- tok
		})
	}
	for f.calls.Load() == 0 {
		time.Sleep(time.Millisecond) // the first caller has started the login
	}
	time.Sleep(20 * time.Millisecond) // the others join it
	close(f.release)
	wg.Wait()
	close(toks)
	for tok := range toks {
		if tok != "tok-1" {
			t.Errorf("a caller got %q, want tok-1", tok)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d logins for %d concurrent callers, want 1", n, callers)
	}
	// Later callers get the cached token.
	if tok, err := c.Token(context.Background()); err != nil || tok != "tok-1" || f.calls.Load() != 1 {
		t.Errorf("Token = %q, %v after %d logins; want the cached tok-1", tok, err, f.calls.Load())
	}
	if got := c.Current(); got != "tok-1" {
		t.Errorf("Current = %q", got)
	}
}

func TestCache_renewsAtRenewTime(t *testing.T) {
	clk := &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	f := &fakeLogin{life: 10 * time.Minute, now: clk.now}
	c := New(f.login, clk.now)
	get := func(want string) {
		t.Helper()
		if tok, err := c.Token(context.Background()); err != nil || tok != want {
			t.Fatalf("Token = %q, %v; want %q", tok, err, want)
		}
	}
	get("tok-1")
	clk.add(10*time.Minute - time.Second)
	get("tok-1")
	clk.add(time.Second) // renewAt reached
	get("tok-2")
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

func TestCache_zeroRenewAtKeepsTheTokenUntilInvalidated(t *testing.T) {
	clk := &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	f := &fakeLogin{now: clk.now}
	c := New(f.login, clk.now)
	tok, _ := c.Token(context.Background())
	clk.add(1000 * time.Hour)
	if again, _ := c.Token(context.Background()); again != tok || f.calls.Load() != 1 {
		t.Fatalf("a token without a renewal time was renewed: %q after %q", again, tok)
	}
	c.Invalidate(tok)
	if c.Current() != "" {
		t.Fatalf("Current = %q after Invalidate", c.Current())
	}
	if again, _ := c.Token(context.Background()); again != "tok-2" {
		t.Fatalf("Token = %q after Invalidate, want tok-2", again)
	}
}

func TestCache_invalidateKeepsANewerToken(t *testing.T) {
	f := &fakeLogin{}
	c := New(f.login, nil)
	old, _ := c.Token(context.Background())
	c.Invalidate(old)
	newer, _ := c.Token(context.Background())
	// A caller that was refused with the old token only now says so.
	c.Invalidate(old)
	if tok, _ := c.Token(context.Background()); tok != newer || f.calls.Load() != 2 {
		t.Fatalf("Token = %q after %d logins; the newer %q was dropped", tok, f.calls.Load(), newer)
	}
}

func TestCache_concurrentRefusalsLogInOnce(t *testing.T) {
	f := &fakeLogin{}
	c := New(f.login, nil)
	stale, _ := c.Token(context.Background())
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			c.Invalidate(stale)
			if tok, err := c.Token(context.Background()); err != nil || tok == stale {
				t.Errorf("Token = %q, %v after the refusal of %q", tok, err, stale)
			}
		})
	}
	wg.Wait()
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d logins, want 2 (one, then one after the refusals)", n)
	}
}

func TestCache_waiterLeavesOnItsOwnCancel(t *testing.T) {
	f := &fakeLogin{release: make(chan struct{})}
	c := New(f.login, nil)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Token(ctx)
		errc <- err
	}()
	for f.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want the caller's cancellation", err)
	}
	// The login goes on for the others: not cancelled with the first caller.
	waiter := make(chan string, 1)
	go func() {
		tok, _ := c.Token(context.Background())
		waiter <- tok
	}()
	close(f.release)
	if tok := <-waiter; tok != "tok-1" {
		t.Fatalf("the waiter got %q, want the login's tok-1", tok)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
	if got := f.ctxErr.Load(); got != "<nil>" {
		t.Errorf("the login's context ended with its first caller's: %v", got)
	}
}

func TestCache_loginErrorIsSharedAndNotCached(t *testing.T) {
	wrong := errors.New("wrong credentials")
	f := &fakeLogin{release: make(chan struct{}), err: wrong}
	c := New(f.login, nil)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := c.Token(context.Background()); !errors.Is(err, wrong) {
				t.Errorf("error %v, want the login's", err)
			}
		})
	}
	for f.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(f.release)
	wg.Wait()
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d logins for callers that met one failure, want 1", n)
	}
	f.err = nil
	if tok, err := c.Token(context.Background()); err != nil || tok != "tok-2" {
		t.Errorf("after a failed login: %q, %v; want a new login", tok, err)
	}
}
