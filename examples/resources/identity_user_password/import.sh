# Import by user id: no password comes into state, and no change is planned
# until a trigger says so.
terraform import identity_user_password.service_account a11ce000-0000-4000-8000-000000000001
