package huawei

import "github.com/identityops/terraform-provider-identity/internal/backend"

// srcSDK is Huawei Cloud's Go SDK, whose typed client is generated from
// the API definition.
const srcSDK = "huaweicloud-sdk-go-v3 v0.1.207 services/identitycenterstore/v1"

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide {
	return backend.Guide{
		Intro: "The identity store API of Huawei Cloud IAM Identity Center, as Huawei Cloud's own Go SDK defines it, and " +
			"what the provider does about what matters. The sandbox's emulator is checked with that SDK's typed client.",
		Quirks: []backend.Quirk{
			{
				Title: "There is no chosen password: a reset issues one, or emails the user",
				Behaviour: "ResetPwdMode takes only `mode`: OTP answers a one-time `password`, EMAIL answers none (the member is " +
					"omitted) and emails the user. No operation sets a password chosen by the caller.",
				Source: srcSDK + " identityCenterStore_meta.go:1295-1322, model/model_update_pwd_mode_req_body.go, " +
					"model/model_reset_pwd_mode_response.go",
				Provider: "`generated_by = \"server\"` and `identity_password_reset` use OTP, and `send_email = true` EMAIL; " +
					"`password` and `generated_by = \"provider\"` are refused at plan.",
			},
			{
				Title: "The request id is a header",
				Behaviour: "Errors carry `error_code` and `error_msg` (or `code` and `message`) in the body; the SDK reads the " +
					"request id from the `X-Request-Id` header.",
				Source:   "huaweicloud-sdk-go-v3 core/sdkerr/errors.go:101-160",
				Provider: "Diagnostics quote the code, the message and the request id (from the body's `request_id`, else the header). IIC.1002 and IIC.404 are a missing user (refresh removes the resource).",
			},
			{
				Title: "Reading a user says nothing of its password",
				Behaviour: "DescribeUser answers the user's profile (`enabled`, names, emails, created and updated times), " +
					"not when its password last changed.",
				Source:   srcSDK + " identityCenterStore_meta.go:1086-1110, model/model_describe_user_response.go",
				Provider: "Refresh notices a deleted user, but a password changed outside Terraform goes unnoticed.",
			},
			{
				Title: "Identity stores and regions",
				Behaviour: "Identity store ids have the form `d-` and 10 characters; the SDK lists the regions where the service " +
					"runs (cn-north-4, ap-southeast-1, ...), at `identitystore.{region}.myhuaweicloud.com`.",
				Source: "huaweicloud-sdk-go-v3 services/identitycenter/v1/identityCenter_client.go:843, region/region.go",
				Provider: "`identity_store_id` must have that form and `region` a region name's, checked at plan; the host is " +
					"built from the region unless `endpoint` is set. The region need not be in the SDK's list.",
			},
		},
	}
}

var _ backend.Documented = (*Backend)(nil)
