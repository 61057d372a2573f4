package provider

import "time"

type timeValueT = time.Time

func parseRFC3339(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }
