# Needs Terraform 1.14 or newer, and a backend that can expire a password
# without setting a new one: Zato SSO over REST (url).
provider "identity" {
  zato_sso {
    url         = "https://zato.example:17010"
    username    = "admin1"
    current_app = "CRM"
    # password from ZATO_SSO_PASSWORD
  }
}

action "identity_expire_password" "alice" {
  config {
    user_id = "zusr1alice0sandbox0000000000"
  }
}

# Invoke it on demand, without planning anything else:
#   terraform apply -invoke=action.identity_expire_password.alice

# Or expire the password each time an input changes, e.g. after an incident:
resource "terraform_data" "alice_credentials_review" {
  input = "2026-12-incident-42"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.identity_expire_password.alice]
    }
  }
}
