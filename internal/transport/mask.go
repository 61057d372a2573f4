package transport

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// MaskSecrets returns a context whose tflog output has every given secret
// replaced, in messages and in field values. Call it as soon as a secret is
// known (read from config, returned by a service), before anything logs.
func MaskSecrets(ctx context.Context, secrets ...string) context.Context {
	var s []string
	for _, v := range secrets {
		if v != "" {
			s = append(s, v)
		}
	}
	if len(s) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, s...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, s...)
	return ctx
}
