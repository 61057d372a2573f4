# Terraform 1.12+ (OpenTofu 1.12+): import by identity. Only user_id is
# required; backend and tenant, when given, must be those of the provider
# block (they are what `terraform query -generate-config-out` writes).
# No password comes into state, and no password is set: the first plan is
# empty until a trigger, a rotation or a change outside Terraform says so.
import {
  to = identity_user_password.service_account
  identity = {
    backend = "entrust_idaas"
    tenant  = "acme.us.trustedauth.com"
    user_id = "a11ce000-0000-4000-8000-000000000001"
  }
}

resource "identity_user_password" "service_account" {
  user_id = "a11ce000-0000-4000-8000-000000000001"
}
