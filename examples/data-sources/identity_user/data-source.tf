data "identity_user" "service_account" {
  user_id = "a11ce000-0000-4000-8000-000000000001"
}

# Fail the pipeline's checks when the password expires within 14 days.
check "password_not_expiring" {
  assert {
    condition = (
      data.identity_user.service_account.password_expires_at == null ||
      timecmp(data.identity_user.service_account.password_expires_at, timeadd(plantimestamp(), "336h")) > 0
    )
    error_message = "The service account's password expires within 14 days."
  }
}
