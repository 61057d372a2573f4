package backend

// WithPasswordRules is a backend that knows the rules of its identity
// system for a chosen password (SetChosen backends).
type WithPasswordRules interface {
	PasswordRules() PasswordRules
}

// RulesOf is the password rules of be, or none known.
func RulesOf(be Backend) PasswordRules {
	if r, ok := be.(WithPasswordRules); ok {
		return r.PasswordRules()
	}
	return PasswordRules{}
}

// PasswordRules are an identity system's rules for a password it is given,
// as far as the provider knows them: the defaults of a stock installation
// or tenant (an administrator may make them stricter). The ephemeral
// identity_password generates passwords that meet them.
type PasswordRules struct {
	// MinLength and MaxLength bound the length in characters; 0: no bound
	// is known.
	MinLength, MaxLength int
	// EveryClass: the default policy asks for upper case, lower case and a
	// digit (Entrust IDaaS tenants).
	EveryClass bool
	// Reject lists substrings the identity system refuses in a password,
	// compared ignoring case (Zato's reject_list).
	Reject []string
}

// ZatoRejectList is the [password] reject_list of the sso.conf that Zato
// writes for a new server (zato-cli, zato/cli/create_server.py,
// sso_conf_contents); Zato refuses a password that contains one of them,
// ignoring case, with E003001.
var ZatoRejectList = []string{
	"111111", "123123", "123321", "123456", "123qwe", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t",
	"222222", "333333", "444444", "555555", "654321", "666666", "777777", "888888", "999999",
	"987654321", "google", "letmein", "mynoob", "password", "qwerty", "zxcvbnm",
}
