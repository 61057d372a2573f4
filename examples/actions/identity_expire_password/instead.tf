# Without actions (Terraform 1.11-1.13, OpenTofu), or with a backend whose
# API ties the must-change flag to a new password (Entrust IDaaS, Zato SSO
# over its CLI): set a new temporary password that must be changed at the
# next login. Unlike the action, this replaces the user's password; the
# temporary one is in state (or only age-encrypted, with encrypt_to).
resource "identity_password_reset" "alice" {
  user_id                    = "zusr1alice0sandbox0000000000"
  force_change_on_next_login = true
  triggers                   = { review = "2026-12-incident-42" } # change the value to do it again
}
