# Terraform 1.12+ (OpenTofu 1.12+), on the backends that report a password's
# last change and expiry (Entrust IDaaS, Zato SSO over REST): the user's
# current password is adopted as a reset done when it last changed, and no
# reset is sent.
import {
  to = identity_password_reset.onboarding
  identity = {
    user_id = "a11ce000-0000-4000-8000-000000000001"
  }
}

resource "identity_password_reset" "onboarding" {
  user_id = "a11ce000-0000-4000-8000-000000000001"
}
