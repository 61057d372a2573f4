package finspace

import "github.com/identityops/terraform-provider-identity/internal/backend"

// srcModel is the service model (botocore 1.29.27; the same shapes in
// aws/aws-sdk-go models/apis/finspace-data/2020-07-13/api-2.json).
const srcModel = "botocore data/finspace-data/2020-07-13/service-2.json"

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide {
	return backend.Guide{
		Intro: "The AWS FinSpace Data API (2020-07-13), as its service model defines it, and what the provider does about " +
			"what matters. The sandbox's emulator is checked with the AWS SDK for Go's own FinSpace Data client.",
		Quirks: []backend.Quirk{
			{
				Title: "Every operation is deprecated",
				Behaviour: "The current model marks ResetUserPassword, GetUser and ListUsers deprecated: \"This method will be " +
					"discontinued.\" The AWS SDK for Go v2 has no FinSpace Data module.",
				Source:   "aws/aws-sdk-go models/apis/finspace-data/2020-07-13/api-2.json (2025)",
				Provider: "The backend serves environments that still run the API; it builds the two rest-json requests itself and signs them with the AWS SDK's SigV4 signer.",
			},
			{
				Title: "A reset is idempotent only through its clientToken",
				Behaviour: "`clientToken` is optional (an idempotency token that SDKs fill in): the same token within 10 minutes " +
					"answers the same temporary password; without one, every call issues a new password.",
				Source:   srcModel + " ResetUserPasswordRequest, ClientToken",
				Provider: "Each reset sends one new random token, reused by the transport's retries, so a retried request never issues a second password.",
			},
			{
				Title: "Temporary passwords live 7 days",
				Behaviour: "ResetUserPassword answers `temporaryPassword` (8 to 20 characters), which \"expires in 7 days\"; the " +
					"answer does not say when.",
				Source:   srcModel + " ResetUserPasswordResponse, Password",
				Provider: "`expires_at` is the reset time plus 7 days; the password is temporary, to be changed at first login.",
			},
			{
				Title: "Errors are typed by a header",
				Behaviour: "The error's type comes in `x-amzn-ErrorType`, possibly with a suffix after `:` or a namespace before " +
					"`#`; only ValidationException, ResourceNotFoundException and ConflictException carry a `reason`, and " +
					"ThrottlingException (429) carries nothing.",
				Source: srcModel + " shapes *Exception; aws/aws-sdk-go private/protocol/restjson/unmarshal_error.go sanitizeCode",
				Provider: "The type is read as the SDKs read it. ResourceNotFoundException is a missing user (refresh removes " +
					"the resource); AccessDeniedException says to map the credentials to a FinSpace superuser; throttling is " +
					"retried with back-off.",
			},
			{
				Title:     "User ids are short, and the provider is stricter",
				Behaviour: "A userId is 1 to 26 characters with at least one that is not white space (`.*\\S.*`).",
				Source:    srcModel + " UserId",
				Provider: "The provider also refuses white space, control and path characters (the id goes into the URL path), " +
					"which real ids, generated and alphanumeric, never hold.",
			},
		},
	}
}

var _ backend.Documented = (*Backend)(nil)
