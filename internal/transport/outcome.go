package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// Outcome records whether a request that changes something on the service
// (a password) may have been carried out although its answer was never
// known. A caller that gets an error can then tell "the service refused"
// from "the service may have done it", which retries make possible even
// when the last answer is a plain refusal: an earlier attempt may have
// acted before its connection broke. The backends open one in each
// SetPassword and ResetPassword and turn it into their error's
// backend.ErrPasswordMayHaveChanged, the one signal the provider reads.
type Outcome struct {
	uncertain atomic.Bool
}

type (
	outcomeKey    struct{}
	changesKey    struct{}
	atMostOnceKey struct{}
)

// WithOutcome returns a context whose requests marked with Changes record
// their attempts in the returned Outcome.
func WithOutcome(ctx context.Context) (context.Context, *Outcome) {
	o := &Outcome{}
	return context.WithValue(ctx, outcomeKey{}, o), o
}

// Changes marks the requests sent with ctx as ones that change something,
// so that their attempts are recorded in the Outcome of ctx (if any). Mark
// only the changing request itself: an authentication sent with the same
// context would otherwise count too.
func Changes(ctx context.Context) context.Context {
	return context.WithValue(ctx, changesKey{}, true)
}

// Uncertain reports whether an attempt of a marked request may have been
// carried out without its answer being known: it was written to the
// connection and then got no answer (connection reset, timeout) or an
// answer cut short, or the service answered 500, 502 or 504, which a
// service or its gateway gives for a request that failed part way. A nil
// Outcome is never uncertain.
func (o *Outcome) Uncertain() bool {
	return o != nil && o.uncertain.Load()
}

// AtMostOnce marks the changing request sent with ctx (the one marked with
// Changes; an authentication sent with the same context is not concerned)
// as one the service must not carry out twice: a request that emails the
// user sends a second email when repeated. Such a request is retried only
// when the failed attempt cannot have been carried out: the connection
// failed before the request was written, or the service refused it with
// 429 or 503. An attempt written to the connection whose answer was lost or
// cut short, or that was answered 500, 502 or 504, is not retried; its Outcome,
// if any, is uncertain as for any changing request.
func AtMostOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, atMostOnceKey{}, true)
}

// sentAtMostOnce reports whether the request of ctx is a changing request
// marked AtMostOnce.
func sentAtMostOnce(ctx context.Context) bool {
	marked, _ := ctx.Value(changesKey{}).(bool)
	once, _ := ctx.Value(atMostOnceKey{}).(bool)
	return marked && once
}

// errMayHaveActed wraps the error of an AtMostOnce attempt that failed after
// the request was written: checkRetry does not retry it.
type errMayHaveActed struct{ err error }

func (e *errMayHaveActed) Error() string {
	return e.err.Error() + " (not retried: the service may have carried out the request, which must not be repeated)"
}

func (e *errMayHaveActed) Unwrap() error { return e.err }

// mayNotRetry reports whether a failed attempt of an AtMostOnce request may
// have been carried out, so that it must not be retried.
func mayNotRetry(ctx context.Context, resp *http.Response, err error) bool {
	if !sentAtMostOnce(ctx) {
		return false
	}
	var acted *errMayHaveActed
	if errors.As(err, &acted) {
		return true
	}
	// 500, 502 and 504 are what a service or its gateway answers for a
	// request that failed part way (the statuses Outcome counts uncertain).
	return resp != nil && (resp.StatusCode == http.StatusInternalServerError ||
		resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout)
}

// changeOutcome is the Outcome to record a marked request's attempts in.
func changeOutcome(ctx context.Context) *Outcome {
	if marked, _ := ctx.Value(changesKey{}).(bool); !marked {
		return nil
	}
	o, _ := ctx.Value(outcomeKey{}).(*Outcome)
	return o
}

// markLost records an answer lost after the request was sent.
func markLost(ctx context.Context) {
	if o := changeOutcome(ctx); o != nil {
		o.uncertain.Store(true)
	}
}

// roundTripRecorded sends one attempt and, for a marked request, records
// whether it may have been carried out without a usable answer; an
// AtMostOnce request's error after it was written is marked so that it is
// not retried.
func roundTripRecorded(next http.RoundTripper, req *http.Request) (*http.Response, error) {
	o, once := changeOutcome(req.Context()), sentAtMostOnce(req.Context())
	if o == nil && !once {
		return next.RoundTrip(req)
	}
	var sent atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			sent.Store(true)
		}
	}}
	resp, err := next.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	uncertain := false
	switch {
	case err != nil:
		uncertain = sent.Load()
		if uncertain && once {
			err = &errMayHaveActed{err: err}
		}
	case resp.StatusCode == http.StatusInternalServerError, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusGatewayTimeout:
		uncertain = true
	}
	if uncertain && o != nil {
		o.uncertain.Store(true)
	}
	return resp, err
}
