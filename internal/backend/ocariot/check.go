package ocariot

import (
	"context"
	"fmt"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var _ backend.CredentialChecker = (*Backend)(nil)

// CheckCredentials implements backend.CredentialChecker: with a username
// and password it logs in (the token is kept for the calls that follow);
// with a configured access token it looks at the token's exp, sending
// nothing. OCARIoT cannot read users, so this is all a plan can learn.
func (b *Backend) CheckCredentials(ctx context.Context) error {
	if b.tokens != nil {
		ctx = transport.MaskSecrets(ctx, b.cfg.Password)
		_, err := b.tokens.Token(ctx)
		return err
	}
	if exp, ok := tokenExpiry(b.cfg.AccessToken); ok && !b.now().Before(exp) {
		return fmt.Errorf("%s: the configured access_token expired at %s (by this machine's clock): configure a new one, "+
			"or a username and password, with which the provider logs in and renews the token itself",
			name, exp.Format(time.RFC3339))
	}
	return nil
}
