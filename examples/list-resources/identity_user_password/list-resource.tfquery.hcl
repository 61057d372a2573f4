# users.tfquery.hcl, beside the configuration that holds the provider block.
# Terraform 1.14+:
#   terraform query                                  lists the users
#   terraform query -generate-config-out=users.tf    writes an identity_user_password
#                                                    block and an import block per user
#   terraform apply                                  adopts them: no password is set
list "identity_user_password" "staff" {
  provider         = identity
  include_resource = true # needed by -generate-config-out
  limit            = 500  # Terraform's default is 100

  config {
    # Server-side filters, where the backend's listing applies them (see the
    # capability matrix): a filter it does not apply fails the query.
    name_prefix = "svc-"
    status      = "enabled"
  }
}
