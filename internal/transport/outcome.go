package transport

import (
	"context"
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

// AtMostOnce marks the changing requests sent with ctx (those also marked
// with Changes, which it does not imply: an authentication sent with ctx is
// no such request) as ones the service must not carry out twice: they email
// someone (IDaaS emailPassword, a Huawei EMAIL reset), and a second attempt
// after one that may have acted would send a second email. Such a request is
// retried only while no attempt may have acted (a connection never made,
// 429, 503): once the Outcome is uncertain, the transport gives up, and the
// caller says that the service may have acted.
func AtMostOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, atMostOnceKey{}, true)
}

// noRetry reports whether a request of ctx must not be sent again: it is
// AtMostOnce and an attempt may already have acted.
func noRetry(ctx context.Context) bool {
	once, _ := ctx.Value(atMostOnceKey{}).(bool)
	return once && changeOutcome(ctx).Uncertain()
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
// whether it may have been carried out without a usable answer.
func roundTripRecorded(next http.RoundTripper, req *http.Request) (*http.Response, error) {
	o := changeOutcome(req.Context())
	if o == nil {
		return next.RoundTrip(req)
	}
	var sent atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			sent.Store(true)
		}
	}}
	resp, err := next.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	switch {
	case err != nil:
		if sent.Load() {
			o.uncertain.Store(true)
		}
	case resp.StatusCode == http.StatusInternalServerError, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusGatewayTimeout:
		o.uncertain.Store(true)
	}
	return resp, err
}
