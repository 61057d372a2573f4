# A password generated to the identity system's rules, which Terraform keeps in
# neither the plan nor the state. A new one is generated at every plan and apply:
# password_wo_version says when to set it.
ephemeral "identity_password" "svc" {}

resource "identity_user_password" "svc" {
  user_id             = "a11ce000-0000-4000-8000-000000000001"
  password_wo         = ephemeral.identity_password.svc.result
  password_wo_version = 1 # bump to set a new password
}
