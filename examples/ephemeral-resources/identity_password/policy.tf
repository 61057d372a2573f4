# A policy of one's own: the same names as identity_user_password's generate.
ephemeral "identity_password" "app" {
  length           = 24
  min_numeric      = 2
  override_special = "-_.!"
}

resource "identity_user_password" "app" {
  user_id             = "b0b00000-0000-4000-8000-000000000002"
  password_wo         = ephemeral.identity_password.app.result
  password_wo_version = "2026-12"
}
