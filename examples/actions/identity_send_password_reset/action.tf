# Needs Terraform 1.14 or newer, and a backend that can email a reset
# (Entrust IDaaS, Huawei Cloud IAM Identity Center).
action "identity_send_password_reset" "alice" {
  config {
    user_id = "a11ce000-0000-4000-8000-000000000001"
  }
}

# Invoke it on demand, without planning anything else:
#   terraform apply -invoke=action.identity_send_password_reset.alice

# Or email the user when the account is onboarded with Terraform:
resource "terraform_data" "alice_onboarding" {
  input = "a11ce000-0000-4000-8000-000000000001"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.identity_send_password_reset.alice]
    }
  }
}
