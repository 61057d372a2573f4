# The README's demo: all five identity systems of the sandbox, one aliased
# provider block each. Credentials and URLs come from the environment the
# sandbox sets (ENTRUST_IDAAS_URL, AWS_ACCESS_KEY_ID, HW_SECRET_KEY, ...),
# as a CI pipeline would set them: no secret is written in this file.

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

variable "finspace_endpoint" {
  description = "The sandbox's FinSpace endpoint."
  type        = string
}

variable "huawei_endpoint" {
  description = "The sandbox's Huawei Identity Center endpoint."
  type        = string
}

provider "identity" {
  alias              = "idaas"
  ca_certificate_pem = file(var.sandbox_ca_file)
  entrust_idaas {}
}

provider "identity" {
  alias              = "finspace"
  ca_certificate_pem = file(var.sandbox_ca_file)
  aws_finspace {
    endpoint = var.finspace_endpoint
  }
}

provider "identity" {
  alias              = "huawei"
  ca_certificate_pem = file(var.sandbox_ca_file)
  huawei_identity_center {
    endpoint = var.huawei_endpoint
  }
}

provider "identity" {
  alias              = "ocariot"
  ca_certificate_pem = file(var.sandbox_ca_file)
  ocariot {}
}

provider "identity" {
  alias              = "zato"
  ca_certificate_pem = file(var.sandbox_ca_file)
  zato_sso {}
}

# Entrust IDaaS: a password IDaaS generates, rotated by changing the trigger,
# and a one-time reset whose temporary password expires in 3 days.
resource "identity_user_password" "idaas" {
  provider = identity.idaas
  user_id  = "a11ce000-0000-4000-8000-000000000001"
  triggers = { rotation = "2026-Q4" }
}

resource "identity_password_reset" "idaas" {
  provider       = identity.idaas
  user_id        = "b0b00000-0000-4000-8000-000000000002"
  valid_for_days = 3
}

# AWS FinSpace: a temporary password, valid 7 days.
resource "identity_password_reset" "finspace" {
  provider = identity.finspace
  user_id  = "fs-app-bob"
}

# Huawei Identity Center: a one-time password.
resource "identity_password_reset" "huawei" {
  provider = identity.huawei
  user_id  = "b0b00000-7c1d-4e4f-9a01-000000000002"
}

# OCARIoT: the service cannot generate, so the provider does (crypto/rand).
resource "identity_user_password" "ocariot" {
  provider = identity.ocariot
  user_id  = "5a62be07de34500146d9c545"
}

# Zato SSO: a provider-generated password that expires in 90 days and must be
# changed at the next login.
resource "identity_user_password" "zato" {
  provider                   = identity.zato
  user_id                    = "zusr1alice0sandbox0000000000"
  force_change_on_next_login = true
  expires_at                 = timeadd(plantimestamp(), "2160h")
  lifecycle {
    ignore_changes = [expires_at]
  }
}

data "identity_user" "zato" {
  provider   = identity.zato
  user_id    = identity_user_password.zato.user_id
  depends_on = [identity_user_password.zato]
}

output "idaas_password" {
  value = {
    generated_by    = identity_user_password.idaas.generated_by
    last_changed_at = identity_user_password.idaas.last_changed_at
    expires_at      = identity_user_password.idaas.expires_at
  }
}

output "reset_expires_at" {
  value = {
    idaas    = identity_password_reset.idaas.expires_at
    finspace = identity_password_reset.finspace.expires_at
    huawei   = identity_password_reset.huawei.expires_at # null: Huawei does not publish the OTP lifetime
  }
}

output "ocariot_password_last_changed_at" {
  value = identity_user_password.ocariot.last_changed_at
}

output "zato_user" {
  value = {
    password_last_changed_at = data.identity_user.zato.password_last_changed_at
    password_expires_at      = data.identity_user.zato.password_expires_at
    password_must_change     = data.identity_user.zato.password_must_change
  }
}

# Secrets stay hidden: Terraform prints <sensitive> for this output.
output "finspace_temporary_password" {
  value     = identity_password_reset.finspace.temporary_password
  sensitive = true
}
