package idaas

import "github.com/identityops/terraform-provider-identity/internal/backend"

// srcOpenAPI is the Administration API's OpenAPI (v5.46), as published in
// maccuaa/intellitrust-js-sdk; line numbers of that file.
const srcOpenAPI = "maccuaa/intellitrust-js-sdk openapi/administration.json"

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide {
	return backend.Guide{
		Intro: "The Entrust Identity as a Service (IDaaS) Administration API, as its OpenAPI (v5.46) defines it, and what the " +
			"provider does about what matters. The sandbox's emulator is checked against the same definition.",
		Quirks: []backend.Quirk{
			{
				Title: "emailPassword defaults to true",
				Behaviour: "`PUT /api/web/v1/users/{userid}/passwords` emails the new password to the user unless `emailPassword` " +
					"is false: its default is true.",
				Source:   srcOpenAPI + " #/components/schemas/UserPasswordParms (l.33510)",
				Provider: "The provider always sends `emailPassword`, `generatePassword` and `returnPassword` explicitly: the user is emailed only with `notify_user = true`.",
			},
			{
				Title: "The path's user id is the UUID",
				Behaviour: "`{userid}` is \"the UUID of the user\", not the login name; a login name is looked up with " +
					"`POST /api/web/v3/users/userid`.",
				Source:   srcOpenAPI + " l.15130, l.20887",
				Provider: "`user_id` must be the UUID, checked at plan; the error says where the portal shows it.",
			},
			{
				Title: "Errors are ErrorInfo, without a published code list",
				Behaviour: "Every operation answers its errors (400, 401, 403, 404, 409) as `{errorCode, errorMessage, parameters}`, " +
					"`parameters` being objects; no list of error codes is published. 429 is documented only for the contact " +
					"verification endpoints.",
				Source: srcOpenAPI + " #/components/schemas/ErrorInfo (l.25485)",
				Provider: "Diagnostics quote the code and message as sent. A 404 in that shape is a missing user (refresh removes " +
					"the resource); a 429, should a gateway in front send one, is retried with back-off.",
			},
			{
				Title: "Imported hashes have rules of their own",
				Behaviour: "`passwordFormat` is CLEARTEXT (default), BCRYPT or GETACCESS; a hash can be imported only for a local user, " +
					"with `currentPassword` null and `generatePassword`, `emailPassword` and `returnPassword` all false.",
				Source:   srcOpenAPI + " #/components/schemas/UserPasswordParms (l.33510)",
				Provider: "`bcrypt_hash` sends BCRYPT under those rules (GETACCESS is not offered); the service refuses it for a directory user, and the diagnostic says why.",
			},
			{
				Title: "The token is the whole Authorization header",
				Behaviour: "`authenticate` answers `{authToken, creationTime, expirationTime}`; calls send the token itself as " +
					"`Authorization`, without a scheme. The lifetime is not stated (the example shows an hour).",
				Source:   srcOpenAPI + " l.636, #/components/schemas/AdminApiAuthenticationResult (l.23285), securitySchemes",
				Provider: "The provider sends the bare token, renews it shortly before `expirationTime` (measured on its own clock), and logs in again once on a 401.",
			},
		},
	}
}

var _ backend.Documented = (*Backend)(nil)
