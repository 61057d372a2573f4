# The demo's action, added to the configuration when the Terraform CLI has
# actions (1.14 or newer; older versions and OpenTofu do not know the action
# block). identity-demo invokes it after the apply:
#   terraform apply -invoke=action.identity_send_password_reset.alice
# and Entrust IDaaS emails Alice a password reset.
action "identity_send_password_reset" "alice" {
  provider = identity.idaas
  config {
    user_id = "a11ce000-0000-4000-8000-000000000001"
  }
}
