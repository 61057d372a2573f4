package backend

import (
	"context"
	"iter"
)

// Lister is implemented by a Backend whose identity system can list users:
// the identity_user_password list resource (terraform query) asks for it. A
// Backend that does not implement it, or whose ListFilters says Supported is
// false (e.g. a transport without a listing), cannot list, and the list
// resource says so at plan time.
type Lister interface {
	// ListFilters says whether this backend and transport can list, and
	// which ListInput filters the API applies server-side.
	ListFilters() ListFilters

	// ListUsers yields the users matching in, fetching them page by page
	// the way the identity system's API pages (the emulators page the same
	// way). It stops fetching when yield returns false. An error is yielded
	// once, with a zero ListedUser, and ends the sequence.
	ListUsers(ctx context.Context, in ListInput) iter.Seq2[ListedUser, error]
}

// ListFilters is what a Lister can do.
type ListFilters struct {
	// Supported: this backend and transport can list users.
	Supported bool
	// NamePrefix, EmailPrefix, Status: the API filters by these
	// server-side (ListInput's field of the same name).
	NamePrefix  bool
	EmailPrefix bool
	Status      bool
}

// ListInput selects the users to list. Empty fields do not filter.
type ListInput struct {
	NamePrefix  string
	EmailPrefix string
	// Status is "enabled" or "disabled".
	Status string
	// PageSize is the number of users asked for per request (0: the
	// backend's default, within what the API allows).
	PageSize int
}

// ListedUser is one user of a listing. Empty or nil fields are not reported.
type ListedUser struct {
	ID      string
	Name    string
	Email   string
	Enabled *bool
}
