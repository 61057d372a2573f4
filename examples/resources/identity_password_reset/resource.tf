# One reset at create: hand the temporary password and its expiry to the next
# step of the pipeline. Change the trigger to reset again.
resource "identity_password_reset" "onboarding" {
  user_id        = "b0b00000-0000-4000-8000-000000000002"
  valid_for_days = 3
  triggers       = { ticket = "OPS-1234" }
}

output "temporary_password_expires_at" {
  value = identity_password_reset.onboarding.expires_at
}

# Or let the identity system email the user: nothing secret is returned.
resource "identity_password_reset" "by_email" {
  user_id    = "a11ce000-0000-4000-8000-000000000001"
  send_email = true
}
