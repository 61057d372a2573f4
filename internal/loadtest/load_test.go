package loadtest

import "testing"

const (
	// usersPerBackend × 2 backends = 500 resources.
	usersPerBackend = 250
	parallelism     = 50
	// emulatorRPS is each emulator's throttle: beyond it, 429 with
	// Retry-After: 1, like a rate-limited service.
	emulatorRPS = 20
	// pacedRPS is requests_per_second in each provider block of the paced
	// run. Each provider block talks to its own emulator, so each bucket
	// may use that emulator's whole limit.
	pacedRPS = 20
)

// TestLoad_throttledTwoBackends applies 500 identity_user_password across
// two backends (IDaaS server-generated, OCARIoT provider-generated) at
// -parallelism=50 against emulators that each allow 20 requests per second
// and answer 429 with Retry-After beyond: once without requests_per_second
// (the transport's retries, and its hold of every request of the provider
// block until the Retry-After, must absorb the 429s: zero errors), then from
// a fresh state with requests_per_second = 20 in each provider block (almost
// no 429, and a request count within 5% of the minimum).
func TestLoad_throttledTwoBackends(t *testing.T) {
	h := newHarness(t)
	backends := []*backend{
		idaasBackend(h.sbx, usersPerBackend),
		ocariotBackend(h.sbx, usersPerBackend),
	}
	resources := 0
	for _, be := range backends {
		resources += len(be.users)
	}
	// The minimum for creating every resource: per backend, one
	// authentication (IDaaS POST .../adminapi/authenticate, OCARIoT POST
	// /v1/auth) and one write per user (IDaaS: PUT .../passwords with
	// generatePassword and returnPassword, which answers the new password
	// and its expiry, so no read-back; OCARIoT: POST .../reset-password,
	// 204, and the service has no read), and what the plan-time checks
	// send (backend.atPlan: a bounded number of user reads, or one login).
	// The apply's one provider process per provider block authenticates
	// once, and the tokens (IDaaS ~15 minutes, OCARIoT a day) outlive the run.
	minimum := len(backends) + resources
	for _, be := range backends {
		minimum += be.atPlan
	}

	t.Run("unpaced", func(t *testing.T) {
		r := h.apply(t, "unpaced", backends, 0, emulatorRPS, parallelism)
		logRun(t, r, backends, minimum)
		checkApplied(t, r, resources)
		checkEverySetOnce(t, r, backends)
	})

	t.Run("paced", func(t *testing.T) {
		r := h.apply(t, "paced", backends, pacedRPS, emulatorRPS, parallelism)
		logRun(t, r, backends, minimum)
		checkApplied(t, r, resources)
		checkEverySetOnce(t, r, backends)
		requests, throttled := totals(r)
		// Near zero: at most 1% of the requests.
		if throttled*100 > requests {
			t.Errorf("requests_per_second = %g against a %d rps limit: %d of %d requests answered 429, want at most 1%%",
				float64(pacedRPS), emulatorRPS, throttled, requests)
		}
		if requests*100 > minimum*105 {
			t.Errorf("%d requests, more than 5%% over the minimum of %d", requests, minimum)
		}
	})
}

// checkEverySetOnce fails unless every user's password was set exactly once
// (a 429 is refused before the service acts, so its retry is no second set).
func checkEverySetOnce(t *testing.T, r run, backends []*backend) {
	t.Helper()
	for _, be := range backends {
		if wrong := r.Tally[be.name].Wrong; len(wrong) > 0 {
			t.Errorf("%s: %d users without exactly one successful set, e.g. %s", be.name, len(wrong), wrong[0])
		}
	}
}

func totals(r run) (requests, throttled int) {
	for _, c := range r.Tally {
		requests += c.Requests
		throttled += c.Throttled
	}
	return requests, throttled
}

func logRun(t *testing.T, r run, backends []*backend, minimum int) {
	t.Helper()
	requests, throttled := totals(r)
	t.Logf("wall %.1fs, %d requests (minimum %d, %+.1f%%), %d answered 429",
		r.Wall.Seconds(), requests, minimum, 100*float64(requests-minimum)/float64(minimum), throttled)
	for _, be := range backends {
		c := r.Tally[be.name]
		t.Logf("  %-8s %d requests: %d sets, %d authentications (%d calls), %d 429s, %d other",
			be.name, c.Requests, c.Sets, c.Auths, c.AuthCalls, c.Throttled, c.Other)
	}
}
