# One provider block talks to one identity system. Every credential can come
# from an environment variable instead, so that CI keeps secrets out of HCL.
provider "identity" {
  entrust_idaas {
    url            = "https://acme.us.trustedauth.com" # ENTRUST_IDAAS_URL
    application_id = var.idaas_application_id          # ENTRUST_IDAAS_APPLICATION_ID
    # shared_secret from ENTRUST_IDAAS_SHARED_SECRET
  }
}

# Several systems: one provider block each, told apart with alias.
provider "identity" {
  alias = "finspace"
  aws_finspace {
    region = "us-east-1" # credentials from the standard AWS chain
  }
}

provider "identity" {
  alias = "huawei"
  huawei_identity_center {
    region            = "ap-southeast-1"
    identity_store_id = "d-1234567890"
    # access_key, secret_key from HW_ACCESS_KEY, HW_SECRET_KEY
  }
}

provider "identity" {
  alias = "ocariot"
  ocariot {
    url = "https://api.ocariot.example"
    # username/password from OCARIOT_USERNAME/OCARIOT_PASSWORD, or OCARIOT_ACCESS_TOKEN
  }
}

provider "identity" {
  alias = "zato"
  zato_sso {
    url         = "https://zato.example:17010"
    current_app = "CRM"
    # username/password from ZATO_SSO_USERNAME/ZATO_SSO_PASSWORD
  }

  # Transport settings, the same for every backend:
  max_retries         = 5
  request_timeout     = "30s"
  requests_per_second = 10
}

variable "idaas_application_id" {
  type = string
}
