package ocariot

import "github.com/identityops/terraform-provider-identity/internal/backend"

// Sources: ocariot/account (release 2.8.0), ocariot/api-gateway (2.15.0)
// and nutes-uepb/express-apigw-base-plugin (1.3.4).
const (
	srcAccount = "ocariot/account src/"
	srcGateway = "ocariot/api-gateway "
	srcBase    = "nutes-uepb/express-apigw-base-plugin policies/"
)

// Guide implements backend.Documented.
func (b *Backend) Guide() backend.Guide {
	return backend.Guide{
		Intro: "The OCARIoT API (its gateway in front of the account service), as their own source shows it behaves, and " +
			"what the provider does about what matters. The sandbox's emulator follows the same source.",
		Quirks: []backend.Quirk{
			{
				Title: "The gateway answers first",
				Behaviour: "`POST /v1/users/{user_id}/reset-password` goes through the gateway's pipeline: the token (401), then " +
					"its scope `users:resetPassword` (403), before the account service checks the body (400), the id (400), " +
					"`new_password` (400) and the user (404), in that order.",
				Source: srcGateway + "config/gateway.config.yml:1215-1222; " + srcAccount + "app.ts:96-100, " +
					"application/service/user.service.ts:53-62",
				Provider: "The id is checked at plan, with the account service's own message. A 401 makes the provider log in " +
					"again once; a 403 says which scope the credentials' tokens need.",
			},
			{
				Title: "Two different 404s",
				Behaviour: "The account service answers `User not found!` for an unknown user, and `Endpoint <url> does not " +
					"found!` for a path it has no route for.",
				Source:   srcAccount + "utils/strings.ts:17, :87; app.ts:135-141",
				Provider: "Only `" + msgUserNotFound + "` is a missing user; the other 404 says to check `url`.",
			},
			{
				Title: "Tokens live a day, and only through the gateway",
				Behaviour: "`POST /v1/auth` issues an RS256 token valid for one day. The gateway registers the token's user as a " +
					"consumer when the login goes through it; a token obtained from the account service directly is refused: " +
					"\"The token user is not properly registered as a consumer at the gateway.\"",
				Source: srcAccount + "infrastructure/repository/auth.repository.ts:56-76; " + srcGateway + "policies/auth/auth.js:39-43; " +
					srcBase + "authentication/jwt.js:72-77",
				Provider: "With `username` and `password` the provider logs in through the gateway and renews the token before " +
					"it expires. With `access_token`, a refusal says whether the token expired or was never seen by the gateway.",
			},
			{
				Title: "Most token problems look alike",
				Behaviour: "A bad signature, a wrong issuer or a token that cannot be parsed all answer \"Authentication failed " +
					"due to access token issues.\"; the gateway's \"invalid parameters\" answer is unreachable. For a token " +
					"without `sub`, the gateway sends no answer at all.",
				Source:   srcBase + "authentication/jwt.js:53-99",
				Provider: "The diagnostic gives the gateway's description as sent. A request that gets no answer ends at the provider's request timeout.",
			},
			{
				Title: "null is not a missing password",
				Behaviour: "`new_password` absent is \"new_password is required!\"; `null`, a number or an object is \"new_password " +
					"must be a string!\"; an empty string \"must have at least one character!\". The service has no other password rule.",
				Source:   srcAccount + "application/domain/validator/reset.password.validator.ts:8-10, string.validator.ts:5-13",
				Provider: "The provider sends a JSON string; the strength of a generated password is the `generate` policy's.",
			},
			{
				Title:     "Users cannot be read",
				Behaviour: "The API has no call that reads a user's password metadata (and no route that reads admin users at all).",
				Source:    srcGateway + "config/gateway.config.yml",
				Provider:  "There is no refresh, no `identity_user` and no drift detection for OCARIoT: state stands as applied.",
			},
		},
	}
}

var _ backend.Documented = (*Backend)(nil)
