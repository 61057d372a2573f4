package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

// stringCheck is a knownvalue.Check running fn on a string value. Its
// failure messages come from fn, which must not print secret values.
type stringCheck struct {
	desc string
	fn   func(string) error
}

var _ knownvalue.Check = stringCheck{}

func (c stringCheck) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string value for %s, got %T", c.desc, v)
	}
	return c.fn(s)
}

func (c stringCheck) String() string { return c.desc }

// matchesServerPassword checks that a state value is the password the
// emulator holds as current, without printing either.
func matchesServerPassword(desc string, current func() (string, bool)) knownvalue.Check {
	return stringCheck{desc: desc, fn: func(s string) error {
		pw, ok := current()
		if !ok {
			return fmt.Errorf("%s: the emulator has no current password", desc)
		}
		if s != pw {
			return fmt.Errorf("%s: state holds a password (%d characters) that is not the emulator's current one (%d characters)", desc, len(s), len(pw))
		}
		return nil
	}}
}

// rfc3339Check checks that a value is an RFC 3339 time satisfying fn.
func rfc3339Check(desc string, fn func(t timeValueT) error) knownvalue.Check {
	return stringCheck{desc: desc, fn: func(s string) error {
		t, err := parseRFC3339(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not RFC 3339: %w", desc, s, err)
		}
		if fn != nil {
			return fn(t)
		}
		return nil
	}}
}
