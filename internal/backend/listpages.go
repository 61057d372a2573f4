package backend

import (
	"context"
	"fmt"
	"iter"
	"strings"
)

// List statuses of ListInput.Status.
const (
	StatusEnabled  = "enabled"
	StatusDisabled = "disabled"
)

// FilterError is a ListInput value refused before any request. Filter
// names the ListInput field ("NamePrefix", "EmailPrefix", "Status",
// "PageSize"), so that the list resource can attach it to its argument.
type FilterError struct {
	Filter string
	Msg    string
}

func (e *FilterError) Error() string { return e.Msg }

// ListInputValidator is implemented by a Lister that refuses some filter
// values its API cannot express (OCARIoT: a name prefix with a comma or an
// asterisk), so that the list resource can refuse them at plan time. Its
// error is a *FilterError. ListUsers refuses the same values (yielding the
// same error) if they reach it.
type ListInputValidator interface {
	ValidateListInput(in ListInput) error
}

// CheckListInput refuses a ListInput no backend can honour: a status other
// than StatusEnabled or StatusDisabled, or a negative page size. Its error
// is a *FilterError.
func CheckListInput(in ListInput) error {
	switch in.Status {
	case "", StatusEnabled, StatusDisabled:
	default:
		return &FilterError{Filter: "Status", Msg: fmt.Sprintf("status must be %q or %q", StatusEnabled, StatusDisabled)}
	}
	if in.PageSize < 0 {
		return &FilterError{Filter: "PageSize", Msg: "the page size must not be negative"}
	}
	return nil
}

// PageSize is the page size to ask for: asked when it is within the API's
// 1..maxSize, def when asked is 0, maxSize when asked is larger.
func PageSize(asked, def, maxSize int) int {
	switch {
	case asked <= 0:
		return def
	case asked > maxSize:
		return maxSize
	}
	return asked
}

// ClientSide returns the part of in that the API does not filter by
// (server says which it does), as a test on each listed user; nil when
// the API filters by everything in. Prefixes compare case-insensitively.
// A user whose status the API does not report matches no status.
func ClientSide(in ListInput, server ListFilters) func(ListedUser) bool {
	name := !server.NamePrefix && in.NamePrefix != ""
	email := !server.EmailPrefix && in.EmailPrefix != ""
	status := !server.Status && in.Status != ""
	if !name && !email && !status {
		return nil
	}
	return func(u ListedUser) bool {
		if name && !hasPrefixFold(u.Name, in.NamePrefix) {
			return false
		}
		if email && !hasPrefixFold(u.Email, in.EmailPrefix) {
			return false
		}
		if status && (u.Enabled == nil || *u.Enabled != (in.Status == StatusEnabled)) {
			return false
		}
		return true
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// PageFunc fetches the page at cursor (first: the start value given to
// Pages) and returns its users, the cursor of the next page and whether
// there is one.
type PageFunc[C comparable] func(ctx context.Context, cursor C) (users []ListedUser, next C, more bool, err error)

// Pages is a Lister's ListUsers sequence over a paged API: it fetches a
// page only when the consumer has taken every user of the one before, stops
// as soon as yield returns false, and yields an error (with a zero
// ListedUser) once, as its last value: fetch's, ctx's, or a page cursor
// that does not move (the listing would never end). keep (nil: every user)
// drops users client-side; a user already yielded (an offset-paged API can
// repeat one when users are added during the listing) is not yielded again.
func Pages[C comparable](ctx context.Context, name, op string, first C, fetch PageFunc[C], keep func(ListedUser) bool) iter.Seq2[ListedUser, error] {
	return func(yield func(ListedUser, error) bool) {
		seen := map[string]bool{}
		cursor := first
		for {
			if err := ctx.Err(); err != nil {
				yield(ListedUser{}, fmt.Errorf("%s: could not %s: %w", name, op, err))
				return
			}
			users, next, more, err := fetch(ctx, cursor)
			if err != nil {
				yield(ListedUser{}, err)
				return
			}
			for _, u := range users {
				if seen[u.ID] || (keep != nil && !keep(u)) {
					continue
				}
				seen[u.ID] = true
				if !yield(u, nil) {
					return
				}
			}
			if !more {
				return
			}
			if next == cursor {
				yield(ListedUser{}, &APIError{
					Backend: name, Operation: op,
					Message: "the service answered the page it was asked for as the next page",
					Hint:    "The listing would never end; report this to the identity system's administrator",
				})
				return
			}
			cursor = next
		}
	}
}

// ListError is the error of a ListUsers refused before any request: it is
// yielded once.
func ListError(err error) iter.Seq2[ListedUser, error] {
	return func(yield func(ListedUser, error) bool) { yield(ListedUser{}, err) }
}
