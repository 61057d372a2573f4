package zato

// The fake `zato sso` command. It follows Zato 3.2's CLI (paths relative to
// code/zato-cli/src/zato/cli/ on zatosource/zato support/3.2): sso.py for
// the two commands, __init__.py for output and exit codes, and Python's
// argparse for the command line.

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
)

// ExpiryTypeError is what the real command prints for any non-empty
// --expiry. sso.py:308 and :334 declare --expiry without type=, so argparse
// passes the days on as a string; zato-sso util.py:181 keeps it and util.py:187
// `timedelta(days=password_expiry)` raises this TypeError, which
// __init__.py:698-709 prints (e.args) and turns into exit 16. Zato 3.0, 3.2
// and 3.3 alike: no --expiry can work.
const ExpiryTypeError = "TypeError: ('unsupported type for timedelta days component: str',) (Hint: re-run with --verbose for full traceback)"

// negativeNumber is argparse's _negative_number_matcher: a value that looks
// like one is taken as a value, not as an option.
var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// argparse's reading of an argument that follows an option: one starting
// with "-" is read as another option (argparse _parse_optional), unless it
// is "-" alone, a negative number, or holds a space.
func looksLikeOption(a string) bool {
	return strings.HasPrefix(a, "-") && a != "-" && !negativeNumber.MatchString(a) && !strings.Contains(a, " ")
}

// RunFakeCLI is the fake `zato` command: args are its arguments (without
// the program name). It implements
//
//	zato sso reset-user-password <path> <username> [--expiry DAYS] [--must-change B]
//	zato sso change-user-password <path> <username> --password P [--expiry DAYS] [--must-change B]
//
// (options anywhere, as argparse takes them) with the real command's output
// and exit codes: every message on stdout (__init__.py:446 logs to
// sys.stdout, format "%(message)s"), argparse's refusals on stderr with exit
// 2; 23 not a server, 22 no such user, 21 password validation error (change
// only), 16 an uncaught exception, as any non-empty --expiry is
// (ExpiryTypeError).
func RunFakeCLI(args []string, stdout, stderr io.Writer) int {
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "usage: zato sso {reset-user-password,change-user-password} [-h] [--verbose] [--expiry EXPIRY] [--must-change MUST_CHANGE] path username")
		fmt.Fprintln(stderr, "zato: error: "+msg)
		return ExitUsage
	}
	if len(args) < 2 || args[0] != "sso" {
		return usage("the fake supports `zato sso reset-user-password` and `zato sso change-user-password` only")
	}
	sub := args[1]
	if sub != "reset-user-password" && sub != "change-user-password" {
		return usage(fmt.Sprintf("argument: invalid choice: '%s'", sub))
	}
	opts, positional, msg := parseArgs(sub, args[2:])
	if msg != "" {
		return usage(msg)
	}
	if len(positional) != 2 {
		return usage("the following arguments are required: path, username")
	}
	serverPath, username := positional[0], positional[1]

	var mustChange *bool
	if v, ok := opts["--must-change"]; ok {
		// type=as_bool (sso.py:309, :335; zato-common .../util/eval_.py:19-32).
		b, err := asBool(v)
		if err != nil {
			return usage(fmt.Sprintf("argument --must-change: invalid as_bool value: '%s'", v))
		}
		mustChange = &b
	}
	if sub == "change-user-password" {
		if _, ok := opts["--password"]; !ok {
			// The real command prompts for it on the terminal (__init__.py:602-625);
			// the fake has no terminal to prompt on.
			return usage("argument --password is required (the fake does not prompt)")
		}
	}

	// ensure_path_is_a_server (__init__.py:791-806).
	if !fileExists(filepath.Join(serverPath, CLIStateFile)) {
		fmt.Fprintf(stdout, "No server found at `%s`\n", serverPath)
		return ExitNotAZatoServer
	}
	now, err := fakeNow()
	if err != nil {
		fmt.Fprintln(stdout, err)
		return ExitException
	}

	var pw string
	if sub == "change-user-password" {
		pw = opts["--password"]
	} else {
		pw = generatePassword()
	}
	exit := ExitOK
	err = UpdateCLIState(serverPath, func(st *CLIState) error {
		// sso.py:122-127: looked up by username among approved users.
		u, ok := st.Users[username]
		if !ok || u.NotApproved {
			fmt.Fprintf(stdout, "No such user `%s`\n", username)
			exit = ExitNoSuchUser
			return nil
		}
		// zato-sso util.py:173 validates first (one code: util.py:91-118);
		// change catches the error (sso.py:317-323). A generated password
		// passes (generatePassword draws again otherwise).
		if code := CheckPassword(pw); code != "" {
			fmt.Fprintf(stdout, "Password validation error, reason code:`%s`\n", code)
			exit = ExitValidationError
			return nil
		}
		if opts["--expiry"] != "" {
			fmt.Fprintln(stdout, ExpiryTypeError)
			exit = ExitException
			return nil
		}
		// `--expiry ''` is falsy: the default applies (util.py:181).
		now := zatoTime(now)
		u.Password = pw
		u.LastSet = now
		u.Expiry = now.AddDate(0, 0, DefaultPasswordExpiryDays)
		if mustChange != nil {
			u.MustChange = *mustChange
		}
		u.Issued = append(u.Issued, pw)
		return nil
	})
	if err != nil {
		fmt.Fprintln(stdout, "OSError: ('state file: "+err.Error()+"',) (Hint: re-run with --verbose for full traceback)")
		return ExitException
	}
	if exit != ExitOK {
		return exit
	}
	if sub == "change-user-password" {
		fmt.Fprintf(stdout, "Changed password for user `%s`\n", username) // sso.py:325
	} else {
		fmt.Fprintf(stdout, "Password for user `%s` reset to `%s`\n", username, pw) // sso.py:352
	}
	return ExitOK
}

// parseArgs reads the options and positional arguments as argparse does:
// "--name=value" always, "--name value" unless value looks like an option
// (looksLikeOption). msg is argparse's refusal, if any.
func parseArgs(sub string, rest []string) (opts map[string]string, positional []string, msg string) {
	opts = map[string]string{}
	known := map[string]bool{"--expiry": true, "--must-change": true}
	if sub == "change-user-password" {
		known["--password"] = true
	}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			return opts, append(positional, rest[i+1:]...), ""
		}
		if !looksLikeOption(a) {
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(a, "=")
		if name == "--verbose" {
			continue
		}
		if !known[name] {
			return nil, nil, "unrecognized arguments: " + a
		}
		if !hasValue {
			if i+1 >= len(rest) || looksLikeOption(rest[i+1]) {
				return nil, nil, fmt.Sprintf("argument %s: expected one argument", name)
			}
			i++
			value = rest[i]
		}
		opts[name] = value
	}
	return opts, positional, ""
}

// asBool is zato.common.util.eval_.as_bool for command-line values
// (eval_.py:19-32): an empty value is False.
func asBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "y", "t", "1":
		return true, nil
	case "false", "no", "off", "n", "f", "0", "":
		return false, nil
	}
	return false, errors.New("not a boolean")
}
