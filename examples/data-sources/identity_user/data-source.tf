data "identity_user" "service_account" {
  user_id = "a11ce000-0000-4000-8000-000000000001"

  # The check below relies on the expiry: fail the plan on a backend that
  # cannot report one, rather than let the check pass on null.
  require_known = ["password_expires_at"]
}

# Fail the pipeline's checks when the password expires within 14 days. A
# null expiry then means a password that does not expire.
check "password_not_expiring" {
  assert {
    condition = (
      data.identity_user.service_account.password_expires_at == null ||
      timecmp(data.identity_user.service_account.password_expires_at, timeadd(plantimestamp(), "336h")) > 0
    )
    error_message = "The service account's password expires within 14 days."
  }
}
