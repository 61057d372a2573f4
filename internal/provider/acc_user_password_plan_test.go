package provider

// Plan-time refusals of identity_user_password: attributes a backend
// cannot honour, invalid combinations and bad input. None may reach an
// identity system.

import (
	"fmt"
	"strings"
	"testing"
)

// TestAccUserPassword_unsupported: each attribute a backend cannot honour
// fails at plan, naming the attribute and the backend, and nothing reaches
// the identity system. OCARIoT's and Zato's first cases set several at
// once: the errors come together, in the order the provider checks them,
// which is also their order in the file. Those two count every request
// their emulator receives (a login too), so they do not run in parallel.
func TestAccUserPassword_unsupported(t *testing.T) {
	testAccPreCheck(t)
	userPassword := func(lines string) string {
		return "resource \"identity_user_password\" \"test\" {\n" + lines + "}\n"
	}
	// Entrust IDaaS honours every attribute of identity_user_password.
	testAccEach(t, []*accFixture{accFinSpace(t), accHuawei(t), accOCARIoT(t), accZato(t), accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		bcryptHash := [2]string{"bcrypt_hash", bcryptLine(t)}
		switch f.name {
		case "finspace", "huawei":
			testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_user_password", [][2]string{
				{"password", `password = "Chosen-Passw0rd-1!"`},
				{"generated_by", `generated_by = "provider"`},
				{"force_change_on_next_login", `force_change_on_next_login = true`},
				{"expires_at", `expires_at = "2030-01-01T00:00:00Z"`},
				{"notify_user", `notify_user = true`},
				{"clear_password_history", `clear_password_history = true`},
				bcryptHash,
			}))
		case "ocariot":
			// The user id has 23 characters.
			const user, bcryptUser = "5a62be07d6f33400146c9b6", "5a62be07de34500146d9c544"
			testAccRefusedAtPlan(t, f, true, []planRefusal{
				{
					name: "user password attributes", user: user,
					config: userPassword(fmt.Sprintf("  user_id                    = %q\n  generated_by               = \"server\"\n"+
						"  force_change_on_next_login = true\n  expires_at                 = \"2030-01-02T03:04:05Z\"\n"+
						"  notify_user                = true\n", user)),
					want: `(?s)Error: Invalid User ID.*?OCARIoT\s+expects\s+the\s+24-character\s+hex\s+OCARIoT\s+user\s+id:\s+` +
						`the\s+id\s+has\s+23\s+characters,\s+not\s+24\s+\(e\.g\.\s+507f191e810c19729de860ea\)\.\n.*?` +
						notSupported(f, "generated_by") + `.*?` + notSupported(f, "force_change_on_next_login") +
						`.*?` + notSupported(f, "expires_at") + `.*?` + notSupported(f, "notify_user"),
				},
				{
					name: "bcrypt_hash", user: bcryptUser,
					config: userPassword(fmt.Sprintf("  user_id     = %q\n  %s\n", bcryptUser, bcryptHash[1])),
					want:   `(?s)Not Supported By OCARIoT.*OCARIoT cannot import a bcrypt hash, so bcrypt_hash cannot be used`,
				},
			})
		case "zato":
			user := "zusr" + randomHex(t, 12)
			testAccRefusedAtPlan(t, f, true, append([]planRefusal{{
				name: "user password attributes", user: user,
				config: userPassword(fmt.Sprintf("  user_id                = %q\n  generated_by           = \"server\"\n"+
					"  notify_user            = true\n  clear_password_history = true\n", user)),
				want: `(?s)` + notSupported(f, "generated_by") + `.*?` + notSupported(f, "notify_user") + `.*?` + notSupported(f, "clear_password_history"),
			}}, unsupportedAttrs(t, f, "identity_user_password", [][2]string{bcryptHash})...))
		case "zato_cli":
			testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_user_password", [][2]string{
				{"notify_user", `notify_user = true`}, {"clear_password_history", `clear_password_history = true`}, bcryptHash,
			}))
		}
	})
}

// TestAccUserPassword_invalidCombinations: each misuse of password_wo,
// encrypt_to, rotation_days and bcrypt_hash fails the plan with an error
// naming the attribute, before any request for the user.
func TestAccUserPassword_invalidCombinations(t *testing.T) {
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		const wo = "password_wo = \"WriteOnly-Passw0rd-One!\"\n  password_wo_version = \"1\""
		bc := bcryptLine(t)
		conflict := func(a, b string) string {
			return `(?s)Invalid Attribute Combination.*Attribute "` + a + `" cannot be specified when "` + b + `" is\s+specified`
		}
		var cases []planRefusal
		for _, tc := range []struct{ body, want string }{
			{`password_wo = "WriteOnly-Passw0rd-One!"`, `(?s)Missing Password Version.*password_wo is set, so password_wo_version is\s+required`},
			{`password_wo_version = "1"`, `Password Version Without Password`},
			{wo + "\n  password = \"Chosen-Passw0rd-One!\"", conflict("password", "password_wo")},
			{wo + "\n  generated_by = \"server\"", conflict("generated_by", "password_wo")},
			{`generated_by = "server"` + "\n  password = \"Chosen-Passw0rd-One!\"", conflict("password", "generated_by")},
			{wo + "\n  encrypt_to = [\"age1notchecked\"]", conflict("password_wo", "encrypt_to")},
			{`encrypt_to = []`, `(?s)encrypt_to list must contain at least 1 elements`},
			{`rotation_days = 30` + "\n  password = \"Chosen-Passw0rd-One!\"", conflict("password", "rotation_days")},
			{`rotation_days = 0`, `(?s)rotation_days value must be at least 1`},
			{bc + "\n  notify_user = true", `(?s)notify_user must be false with bcrypt_hash`},
			{bc + "\n  generate = { length = 40 }", conflict("generate", "bcrypt_hash")},
			{bc + "\n  rotation_days = 30", conflict("rotation_days", "bcrypt_hash")},
			{`bcrypt_hash = "$2a$10$tooshort"`, `(?s)Invalid Bcrypt Hash.*it has 15 characters`},
		} {
			cases = append(cases, planRefusal{
				name: tc.body, user: user, want: tc.want,
				config: fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n  %s\n}\n", user, tc.body),
			})
		}
		testAccRefusedAtPlan(t, f, false, cases)
	})
}

// TestAccUserPassword_badInput: user ids, passwords, generate policies,
// days and times refused at plan (see testAccBadInput), across the
// backends; then the rules of the attributes checked with Entrust IDaaS.
// User ids: empty, blank, path separators, ../, URL-encoding tricks, NUL
// and control characters, lengths. Generic checks come from the user_id
// validator, backend forms from ModifyPlan (ValidateUserID).
func TestAccUserPassword_badInput(t *testing.T) {
	testAccPreCheck(t)
	be := map[string]string{}
	for _, f := range []*accFixture{accIDaaS(t), accFinSpace(t), accHuawei(t), accOCARIoT(t), accZato(t)} {
		be[f.name] = biProvider(f, f.block())
	}
	idaas, finspace, huawei, ocariot, zato := be["idaas"], be["finspace"], be["huawei"], be["ocariot"], be["zato"]
	zatoCLI, cliMark := badInputCLI(t)
	mb := `format("%01048576d", 7)` // a 1 MiB string, built by Terraform
	resourceWith := func(body string) string {
		return accIDaaS(t).provider() + "\nresource \"identity_user_password\" \"test\" {\n" + body + "\n}\n"
	}
	const unknownUser = "0000aaaa-0000-4000-8000-0000000f00d0"
	testAccBadInput(t, []badInputCase{
		{name: "idaas expires_at in the past", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), `expires_at = "2001-02-03T04:05:06Z"`),
			summary: "Expiry In The Past", attr: "expires_at", detail: "expires_at (2001-02-03T04:05:06Z) is not in the future"},
		{name: "idaas empty user_id", config: idaas + biUserPassword(`user_id = ""`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not be empty or blank"},
		{name: "zato ideographic-space user_id", config: zato + biUserPassword(`user_id = "\u3000"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not be empty or blank"},
		{name: "idaas user_id with ../ traversal", config: idaas + biUserPassword(`user_id = "../../adminapi/authenticate"`),
			summary: "Invalid User ID", attr: "user_id", detail: "Entrust IDaaS expects the IDaaS user UUID"},
		{name: "finspace user_id with ../", config: finspace + biUserPassword(`user_id = "../fs-admin"`),
			summary: "Invalid User ID", attr: "user_id", detail: `must not contain whitespace, control characters or any of / \ ? # %`},
		{name: "huawei user_id is .", config: huawei + biUserPassword(`user_id = "."`),
			summary: "Invalid User ID", attr: "user_id", detail: "is a relative path segment"},
		{name: "zato user_id with path separators", config: zato + biUserPassword(`user_id = "zusr/../admin"`),
			summary: "Invalid User ID", attr: "user_id", detail: "Zato SSO expects the Zato user_id (zusr...)"},
		{name: "idaas user_id URL-encoded traversal", config: idaas + biUserPassword(`user_id = "%2e%2e%2f%2e%2e%2fadminapi"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must be the user's UUID"},
		{name: "finspace user_id URL-encoded slash", config: finspace + biUserPassword(`user_id = "fs%2F..%2Fadmin"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain"},
		{name: "huawei user_id double URL-encoded", config: huawei + biUserPassword(`user_id = "u%252e%252e%252f"`),
			summary: "Invalid User ID", attr: "user_id", detail: "cannot be part of"},
		{name: "ocariot user_id 24 characters not hex", config: ocariot + biUserPassword(`user_id = "507f191e810c19729de860e%"`),
			summary: "Invalid User ID", attr: "user_id", detail: "the id holds a character that is not a hexadecimal digit (e.g. 507f191e810c19729de860ea)."},
		{name: "huawei user_id with a query", config: huawei + biUserPassword(`user_id = "u?mode=EMAIL"`),
			summary: "Invalid User ID", attr: "user_id", detail: "cannot be part of"},
		{name: "idaas user_id with NUL", config: idaas + biUserPassword(`user_id = "a\u0000b"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain control characters"},
		{name: "zato user_id with a newline", config: zato + biUserPassword(`user_id = "zusr\nadmin"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain control characters"},
		{name: "huawei user_id with a C1 control (NEL)", config: huawei + biUserPassword(`user_id = "u\u0085x"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must not contain control characters"},
		{name: "zato user_id with a line separator", config: zato + biUserPassword(`user_id = "zusr\u2028x"`),
			summary: "Invalid User ID", attr: "user_id", detail: "has no whitespace, control characters",
			note: "U+2028 is white space but not a control character: the Zato backend's own check refuses it"},
		{name: "finspace user_id of 300 characters", config: finspace + biUserPassword(`user_id = "`+strings.Repeat("f", 300)+`"`),
			summary: "Invalid User ID", attr: "user_id", detail: "longer than any identity system's ids"},
		{name: "finspace user_id of 27 characters", config: finspace + biUserPassword(`user_id = "`+strings.Repeat("f", 27)+`"`),
			summary: "Invalid User ID", attr: "user_id", detail: "must be at most 26 characters"},
		{name: "zato cli username read as an option", config: zatoCLI + biUserPassword(`user_id = "--help"`),
			summary: "Invalid User ID", attr: "user_id", detail: `must not start with "-"`},

		// Passwords.
		{name: "idaas 1 MiB password", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), "password = "+mb),
			summary: "Invalid Attribute Value Length", attr: "password", detail: "Attribute password string length must be between 1 and 1024, got: 1048576"},
		{name: "ocariot 1 MiB password_wo", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "password_wo = "+mb, `password_wo_version = "1"`),
			summary: "Invalid Attribute Value Length", attr: "password_wo", detail: "Attribute password_wo string length must be between 1 and 1024"},
		{name: "zato empty password", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), `password = ""`),
			summary: "Invalid Attribute Value Length", attr: "password", detail: "must be between 1 and 1024, got: 0"},
		{name: "zato password with NUL", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), `password = "Passw0rd-\u0000-tail"`),
			summary: "Invalid Password", attr: "password", detail: "Attribute password value must be valid UTF-8 without control characters"},

		// The generate policy.
		{name: "ocariot generate length 0", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "generate = {", "  length = 0", "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.length: length must be at least 1 (got 0).",
			note: nestedNote},
		{name: "zato generate length 100000", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), "generate = {", "  length = 100000", "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.length: length must be at most 4096 (got 100000).",
			note: nestedNote},
		{name: "idaas negative min_numeric", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), `generated_by = "provider"`, "generate = {", "  min_numeric = -3", "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.min_numeric: min_numeric must not be negative (got -3).",
			note: nestedNote},
		{name: "ocariot override_special invalid UTF-8", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "generate = {", "  override_special = \"!\xff\xfe#\"", "}"),
			summary: "Invalid character encoding", detail: "All input files must be UTF-8 encoded", terraform: true,
			note: "Terraform refuses a configuration file that is not UTF-8 before the provider sees it"},
		{name: "zato override_special lone surrogate escape", config: zato + biUserPassword(hclAttr("user_id", biZatoUser), "generate = {", `  override_special = "!\ud800"`, "}"),
			summary: "Invalid escape sequence", attr: "override_special", detail: "Cannot encode character U+d800 in UTF-8", terraform: true,
			note: "HCL cannot make invalid UTF-8: Terraform refuses the escape before the provider sees it"},
		{name: "ocariot override_special with NUL", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "generate = {", `  override_special = "!\u0000#"`, "}"),
			summary: "Invalid Password Policy", detail: "Attribute generate.override_special: override_special must not contain U+0000 (a control character).",
			note: nestedNote},

		// Days and times.
		{name: "ocariot negative rotation_days", config: ocariot + biUserPassword(hclAttr("user_id", biOCARIoTUser), "rotation_days = -1"),
			summary: "Invalid Attribute Value", attr: "rotation_days", detail: "Attribute rotation_days value must be at least 1, got: -1"},
		{name: "idaas expires_at not a date", config: idaas + biUserPassword(hclAttr("user_id", biIDaaSUser), hclAttr("password", biPassword), `expires_at = "2030-02-30T00:00:00Z"`),
			summary: "Invalid Time", attr: "expires_at", detail: "must be an RFC 3339 time"},

		// The rules of each attribute, with Entrust IDaaS.
		{name: "idaas validation empty user_id", config: resourceWith(`user_id = ""`), want: `(?s)user_id.*must not be empty`},
		{name: "idaas validation blank user_id", config: resourceWith(`user_id = "   "`), want: `(?s)user_id.*must not be empty or blank`},
		{name: "idaas validation control character in user_id", config: resourceWith(`user_id = "a\tb"`), want: `(?s)user_id.*control characters`},
		{name: "idaas validation user_id not a UUID", config: resourceWith(`user_id = "jdoe"`), want: `(?s)Invalid User ID.*UUID`},
		{name: "idaas validation user_id with path traversal", config: resourceWith(`user_id = "../../adminapi/authenticate"`), want: `(?s)Invalid User ID`},
		{name: "idaas validation length below the sum of minimums", config: resourceWith(fmt.Sprintf(`user_id = %q
generated_by = "provider"
generate = { length = 5, min_upper = 2, min_numeric = 2, min_special = 2 }`, unknownUser)), want: `(?s)generate.length.*less than the sum`},
		{name: "idaas validation no character class", config: resourceWith(fmt.Sprintf(`user_id = %q
generate = { upper = false, lower = false, numeric = false, special = false }`, unknownUser)), want: `(?s)Invalid Password Policy`},
		{name: "idaas validation password with generate", config: resourceWith(fmt.Sprintf(`user_id = %q
password = "Passw0rd-Chosen!"
generate = { length = 20 }`, unknownUser)), want: `(?s)Invalid Attribute Combination.*password`},
		{name: "idaas validation unknown generated_by value", config: resourceWith(fmt.Sprintf(`user_id = %q
generated_by = "nobody"`, unknownUser)), want: `(?s)generated_by.*value must be one of`},
		{name: "idaas validation expires_at not RFC 3339", config: resourceWith(fmt.Sprintf(`user_id = %q
password = "Passw0rd-Chosen!"
expires_at = "tomorrow"`, unknownUser)), want: `(?s)expires_at.*RFC 3339`},
		{name: "idaas validation empty password", config: resourceWith(fmt.Sprintf(`user_id = %q
password = ""`, unknownUser)), want: `(?s)password.*length`},
	}, cliMark)
}

// TestAccUserPassword_cliExpiry: expires_at with the Zato CLI transport is
// refused at plan with the reason (the zato command's --expiry fails with a
// TypeError on every Zato 3.x: zato-cli sso.py:308 declares it without a
// type) and what to do (the REST transport); the command never runs.
func TestAccUserPassword_cliExpiry(t *testing.T) {
	testAccParallel(t, []*accFixture{accZatoCLI(t)}, func(t *testing.T, f *accFixture) {
		testAccRefusedAtPlan(t, f, false, unsupportedAttrs(t, f, "identity_user_password", [][2]string{
			{"expires_at", `expires_at = "2030-01-01T00:00:00Z"`},
		}, cliExpiryAdvice))
	})
}

// cliExpiryAdvice is the reason and advice the CLI's expiry refusals give.
const cliExpiryAdvice = `.*--expiry\s+option\s+fails\s+on\s+every\s+Zato\s+3\.x\s+\(` + "`" + `TypeError:.*exit\s+code\s+16\).*` +
	`use\s+the\s+REST\s+transport\s+\(url\)\s+instead\s+of\s+server_path`
