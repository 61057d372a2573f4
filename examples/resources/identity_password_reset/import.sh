# Import by user id, where the identity system reports when the password last
# changed and when it expires (Entrust IDaaS, Zato SSO over REST): reset_at and
# expires_at are the server's, no password comes into state, and the first plan
# adopts the configuration instead of resetting. With reset_when_expired, an
# imported reset whose password has expired is replaced by a new reset.
terraform import identity_password_reset.onboarding b0b00000-0000-4000-8000-000000000002
