package huawei

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	emulator "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
)

// TestEmailResetNotSentTwice: every EMAIL reset sends an email, so after an
// attempt whose answer was lost the request is not retried (a retry would
// email the user again), and the error says that the service may have acted.
func TestEmailResetNotSentTwice(t *testing.T) {
	s := newSandbox(t)
	b := s.client(t, s.config())
	s.Emu.Faults.Inject(emu.Fault{Kind: emu.FaultResetAfter, Method: http.MethodPost, Times: 1})
	_, err := b.ResetPassword(context.Background(), backend.ResetInput{UserID: emulator.UserBob, SendEmail: true})
	if !errors.Is(err, backend.ErrPasswordMayHaveChanged) {
		t.Fatalf("err = %v, want one that says the reset may have been done", err)
	}
	if got := s.Emu.EmailsSent(); len(got) != 1 {
		t.Fatalf("%d emails sent, want 1", len(got))
	}
}
