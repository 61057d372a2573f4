package zato

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// Sources below are in zatosource/zato, branch support/3.2 (3.3 is the
// same in every file cited), paths under code/.
const (
	srcSSO     = "zato-sso/src/zato/sso/"
	srcService = "zato-server/src/zato/server/service/internal/sso/"
	srcCLI     = "zato-cli/src/zato/cli/"
)

// restQuirks are Zato SSO's behaviours over REST that matter to the provider.
var restQuirks = []backend.Quirk{
	{
		Title: "A password set for a user that does not exist succeeds",
		Behaviour: "`PATCH /zato/sso/user/password` with a `user_id` nobody has answers `status: ok` and changes nothing: " +
			"the UPDATE matches no row and nothing checks that it did.",
		Source: srcSSO + "user.py:1235-1242, " + srcSSO + "util.py:198-204",
		Provider: "Before every set, the provider asks the super-user search (`/zato/sso/user/search` with the `user_id`). " +
			"When it finds no user, the apply fails with \"Zato SSO has no user with this user_id\", no password is sent, " +
			"and nothing goes to state.",
	},
	{
		Title: "A user that does not exist reads as a refusal",
		Behaviour: "`GET /zato/sso/user` of a missing user answers HTTP 403 with `E005001`, the code Zato gives for many refusals " +
			"(a super-user demoted, locked or expired, among others). `E001100` is defined but never raised.",
		Source: srcSSO + "user.py:642-646",
		Provider: "On `E005001`, the provider asks the super-user search whether the user exists. None: refresh removes the " +
			"resource from state and the next plan creates it again. The user exists: the error stays, saying so, since it is " +
			"a permission problem. When the search is refused too (it answers `E005001` also for an expired session), the " +
			"provider logs in again once before it reports the error.",
	},
	{
		Title: "An unknown current_app is an error inside HTTP 200",
		Behaviour: "When `current_app` is not in `sso.conf` `[apps] all`, every call (login included) answers HTTP 200 with " +
			"`status: \"error\"` and `E004001`, before anything else is checked. Logging in also needs the app in " +
			"`[apps] login_allowed`, or it answers HTTP 403 `E004001`.",
		Source: srcService + "__init__.py:99-103, " + srcSSO + "util.py:311-318",
		Provider: "Every answer is judged by its `status` (`ok`, or `warning` for a login whose password is about to expire), " +
			"never by the HTTP code alone. `E004001` fails the apply with an error that names the configured `current_app` and " +
			"the two `sso.conf` settings.",
	},
	{
		Title: "must_change is refused by the password endpoint",
		Behaviour: "`must_change` sent with `PATCH /zato/sso/user/password` is refused with `E008002`, before the session is " +
			"even checked; `password_must_change` there is ignored. The flag is `password_must_change` on `PATCH /zato/sso/user`.",
		Source: srcSSO + "user.py:172-186, :951-961; " + srcService + "user.py:339-341",
		Provider: "`force_change_on_next_login` is sent with a second call, `PATCH /zato/sso/user`, after the password. If that " +
			"call fails, the error says that the password was set.",
	},
	{
		Title: "An expiry of 0 days is the server's default",
		Behaviour: "`password_expiry` is a number of days; 0 or a negative number means the server's default " +
			"(`[password] expiry`, 730 days as shipped).",
		Source: srcSSO + "util.py:181, " + srcService + "user.py:363-368",
		Provider: "A requested `expires_at` is sent as whole days from now, rounded up and at least 1. Without `expires_at` the " +
			"server's default applies, and the provider reads the resulting expiry back into `expires_at`.",
	},
	{
		Title:     "One's own password needs the old one",
		Behaviour: "Changing one's own password requires `old_password`, for a super-user too.",
		Source:    srcSSO + "user.py:1244-1249",
		Provider: "The provider never sends the old password: setting the password of its own super-user fails at apply with " +
			"an error that says so, before any change. Change it with `zato sso change-user-password`, or through another super-user.",
	},
	{
		Title: "Password validation answers one code",
		Behaviour: "The rules run in order (complexity when `min_complexity` is set, minimum length, maximum length, the reject " +
			"list) and the first failure is the answer. The shipped reject list matches entries as substrings, ignoring case: " +
			"`Google-Marble-Orbit-44` is refused with `E003001`.",
		Source: srcSSO + "util.py:91-118; " + srcCLI + "create_server.py:454-483",
		Provider: "The diagnostic gives the code and what it means (see the codes below). A password the provider generates " +
			"(32 characters by default) contains a reject-list entry fewer than once in 10^7 draws; the apply then fails and " +
			"the next one draws again.",
	},
	{
		Title: "Sessions last an hour from login",
		Behaviour: "A session token (UST) is valid for `[session] expiry` minutes (60 as shipped) from login; calls do not extend " +
			"it. An expired or unknown session is `E007001` (`E007002` is never raised), and `E005001` on the search.",
		Source: srcSSO + "session.py:506-510, :606-613; " + srcSSO + "odb/query.py:202-206",
		Provider: "The provider keeps one session per provider block and logs in again once when a call meets an expired " +
			"session, then repeats the call.",
	},
	{
		Title: "Reads are GET requests with a JSON body",
		Behaviour: "Zato's SSO channels take their input from a JSON body with any method, GET included (Zato's own test " +
			"client does this).",
		Source: "zato-common/src/zato/common/test/rest_client.py:167-171; " + srcCLI + "create_cluster.py:966-970",
		Provider: "The provider reads users with GET and a JSON body, so that the session token stays out of URLs and " +
			"access logs. A proxy in front of Zato must pass GET bodies on. The super-user search is sent as a POST.",
	},
	{
		Title:     "Zato 4 has no SSO",
		Behaviour: "Zato 4.x (`support/4.1`, `main`) ships no SSO component: no `/zato/sso` channels, no `zato sso` commands.",
		Source:    "zatosource/zato branches support/4.1 and main",
		Provider:  "The provider supports Zato 3.x (3.0 to 3.3).",
	},
}

// cliQuirks are the zato command's behaviours that matter to the provider.
var cliQuirks = []backend.Quirk{
	{
		Title: "--expiry fails on every Zato 3.x",
		Behaviour: "`zato sso change-user-password` and `reset-user-password` declare `--expiry` without a type, so the days " +
			"reach `timedelta(days=...)` as a string and the command fails with `TypeError: ('unsupported type for timedelta " +
			"days component: str',)`, exit code 16, after its checks and before any change. Only an empty `--expiry` passes.",
		Source:   srcCLI + "sso.py:308, :334; " + srcSSO + "util.py:181, :187; " + srcCLI + "__init__.py:698-709",
		Provider: "The provider never passes `--expiry`. `expires_at` and `valid_for_days` are refused at plan: " + cliNoExpiry,
	},
	{
		Title: "A value starting with a dash is read as an option",
		Behaviour: "The command line is parsed by Python's argparse: a value given as a separate argument that starts with `-` " +
			"(and is not a negative number) is taken for an option, and the command is refused with exit code 2.",
		Source:   srcCLI + "zato_command.py:33-43 (argparse)",
		Provider: "Every value goes as one argument, `--password=...` and `--must-change=...`, so any password can be set.",
	},
	{
		Title: "Messages go to stdout, and the exit code says what happened",
		Behaviour: "The command logs every message, errors included, to stdout; only argparse writes to stderr. Exit codes: " +
			"0, 2, 16, 21, 22, 23 (see below).",
		Source: srcCLI + "__init__.py:260-291, :446",
		Provider: "The provider reads both streams and maps each exit code to a diagnostic. Printed output is quoted only after " +
			"every password has been removed from it.",
	},
	{
		Title: "Users awaiting approval are not found",
		Behaviour: "The command looks users up by username among approved users only: an unapproved user is \"No such user\", " +
			"exit code 22.",
		Source:   srcCLI + "sso.py:122-127; " + srcSSO + "odb/query.py:94-103",
		Provider: "The diagnostic says to check the username, and that the user must be approved.",
	},
	{
		Title: "The password is on the command line",
		Behaviour: "`change-user-password` takes the new password only as `--password` (or prompts for it on a terminal), so " +
			"it is in the process's arguments while the command runs.",
		Source: srcCLI + "sso.py:302-326",
		Provider: "Other users of the host can see it in `/proc/<pid>/cmdline` for that time; it never reaches a log, an error " +
			"or captured output. Where that matters, use the REST transport (`url`), or let the server generate the password.",
	},
	{
		Title:     "The command cannot read users",
		Behaviour: "There is no `zato sso` command that reads a user or its password metadata.",
		Source:    srcCLI + "sso.py",
		Provider: "Over the CLI there is no refresh, no `identity_user` and no drift detection: state stands as applied. Use " +
			"the REST transport where those matter.",
	},
}

// Guide implements backend.Documented.
func (b *RESTBackend) Guide() backend.Guide {
	return backend.Guide{
		Intro: "Zato SSO 3.x over its REST channels (`url`), as its own source shows it behaves, and what the provider does " +
			"about each behaviour. Sources are in zatosource/zato, branch support/3.2 (3.3 is the same in every file cited), " +
			"under `code/`. The sandbox's emulator follows the same source, and its tests cite it line by line.",
		Quirks: restQuirks,
		Codes:  guideCodes(codeInfo, func(c string) string { return c }),
	}
}

// Guide implements backend.Documented.
func (b *CLIBackend) Guide() backend.Guide {
	return backend.Guide{
		Intro: "The `zato sso` command on the Zato server host (`server_path`), as its own source shows it behaves, and " +
			"what the provider does about each behaviour. Sources are in zatosource/zato, branch support/3.2, under `code/`. " +
			"The sandbox's fake command follows the same source.",
		Quirks: cliQuirks,
		Codes:  guideCodes(cliExits, func(c int) string { return "exit code " + strconv.Itoa(c) }),
	}
}

// guideCodes lists a table of what the diagnostics say about each code, in
// order; a hint's %s (a setting's value) reads "the path".
func guideCodes[K cmp.Ordered](table map[K]struct{ meaning, hint string }, name func(K) string) []backend.Code {
	var out []backend.Code
	for _, k := range slices.Sorted(maps.Keys(table)) {
		out = append(out, backend.Code{Code: name(k), Meaning: table[k].meaning, Advice: strings.ReplaceAll(table[k].hint, "%s", "the path")})
	}
	return out
}

var (
	_ backend.Documented = (*RESTBackend)(nil)
	_ backend.Documented = (*CLIBackend)(nil)
)
