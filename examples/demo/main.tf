# The README's demo: every identity system of the sandbox, one aliased
# provider block each. Credentials and URLs come from the environment the
# sandbox prints (ENTRUST_IDAAS_URL, ...), as a CI pipeline would set them.

terraform {
  required_providers {
    identity = {
      source = "identityops/identity"
    }
  }
}

variable "sandbox_ca_file" {
  description = "The sandbox CA certificate (PEM)."
  type        = string
}

provider "identity" {
  ca_certificate_pem = file(var.sandbox_ca_file)
  entrust_idaas {}
}

# A long-lived password that IDaaS generates, rotated by changing the trigger.
resource "identity_user_password" "alice" {
  user_id  = "a11ce000-0000-4000-8000-000000000001"
  triggers = { rotation = "2026-Q4" }
}

# A one-time reset: the temporary password and its expiry, for the next step.
resource "identity_password_reset" "bob" {
  user_id        = "b0b00000-0000-4000-8000-000000000002"
  valid_for_days = 3
}

data "identity_user" "alice" {
  user_id    = identity_user_password.alice.user_id
  depends_on = [identity_user_password.alice]
}

output "idaas_password_last_changed_at" {
  value = identity_user_password.alice.last_changed_at
}

output "idaas_password_expires_at" {
  value = identity_user_password.alice.expires_at
}

output "idaas_reset_expires_at" {
  value = identity_password_reset.bob.expires_at
}

output "idaas_user_enabled" {
  value = data.identity_user.alice.enabled
}

# Secrets stay hidden: Terraform prints <sensitive> for this output.
output "idaas_temporary_password" {
  value     = identity_password_reset.bob.temporary_password
  sensitive = true
}
