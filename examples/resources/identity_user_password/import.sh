# Import by user id: no password comes into state, and no change is planned
# until a trigger, a rotation or a change made outside Terraform says so.
# Where the identity system reports them (Entrust IDaaS, Zato SSO over REST),
# last_changed_at and expires_at are the server's, so rotation_days counts
# from the password's real last change.
terraform import identity_user_password.service_account a11ce000-0000-4000-8000-000000000001
