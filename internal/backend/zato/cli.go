package zato

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/transport"
)

var _ backend.Backend = (*CLIBackend)(nil)

// CLIConfig is the CLI transport's part of the zato_sso block.
type CLIConfig struct {
	// ServerPath is the Zato server's directory, e.g. /opt/zato/env/server1.
	ServerPath string
	// Command is the zato command: a name looked up on PATH, or a path.
	// Empty means "zato".
	Command string
	// Now is the clock for reset and expiry times; nil means time.Now.
	Now func() time.Time
	// Timeout bounds each run of the command (the provider's
	// request_timeout); zero means no bound but the caller's context.
	Timeout time.Duration
}

// CLIConfigError is a NewCLI error; Setting names the provider attribute at
// fault ("server_path" or "zato_command").
type CLIConfigError struct {
	Setting string
	Err     error
}

func (e *CLIConfigError) Error() string { return e.Err.Error() }
func (e *CLIConfigError) Unwrap() error { return e.Err }

// CLIBackend runs `zato sso ...` on the Zato server host. Users are addressed
// by username. The CLI cannot read a user, so there is no refresh and no
// drift detection over this transport.
type CLIBackend struct {
	serverPath string
	command    string
	now        func() time.Time
	timeout    time.Duration
}

// cliWaitDelay bounds how long a cancelled command may keep its output open.
const cliWaitDelay = 10 * time.Second

// NewCLI checks that the server path is a directory and finds the command.
func NewCLI(cfg CLIConfig) (*CLIBackend, error) {
	if strings.TrimSpace(cfg.ServerPath) == "" {
		return nil, &CLIConfigError{"server_path", errors.New("server_path is required: the Zato server's directory, e.g. /opt/zato/env/server1")}
	}
	// An absolute path also cannot be read as an option by the command.
	abs, err := filepath.Abs(cfg.ServerPath)
	if err != nil {
		return nil, &CLIConfigError{"server_path", fmt.Errorf("server_path %q cannot be made absolute: %w", cfg.ServerPath, err)}
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, &CLIConfigError{"server_path", fmt.Errorf("server_path %q is not a directory on this host; the CLI transport runs where the Zato server runs", abs)}
	}
	command := cfg.Command
	if command == "" {
		command = "zato"
	}
	// LookPath refuses a command found through a relative PATH entry ("."),
	// so a file planted in the working directory is not run.
	path, err := exec.LookPath(command)
	if err != nil {
		return nil, &CLIConfigError{"zato_command", fmt.Errorf("the zato command %q was not found or is not executable: %w", command, err)}
	}
	return &CLIBackend{serverPath: abs, command: path, now: backend.Clock(cfg.Now), timeout: cfg.Timeout}, nil
}

// Name implements backend.Backend.
func (b *CLIBackend) Name() string { return cliName }

// Capabilities implements backend.Backend: the CLI sets a chosen password
// (change-user-password) and generates one (reset-user-password, which
// prints it once), both with the must-change flag. It takes no expiry
// (cliNoExpiry) and cannot read users.
func (b *CLIBackend) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		SetChosen: true, ServerGenerate: true,
		ServerReset:      true,
		ForceChangeOnSet: true, ForceChangeOnReset: true,
		NoExpiryWhy:       cliNoExpiry,
		LocalCommand:      true,
		UserIDDescription: "the Zato username",
	}
}

// PasswordRules implements backend.WithPasswordRules.
func (b *CLIBackend) PasswordRules() backend.PasswordRules { return zatoPasswordRules }

// cliNoExpiry is why the CLI transport takes no expiry. Zato's
// change-user-password and reset-user-password declare --expiry without
// type= (zatosource/zato support/3.0, 3.2 and 3.3,
// code/zato-cli/src/zato/cli/sso.py:308 and :334), so the days reach
// timedelta(days=...) as a string (zato-sso util.py:181, :187) and the
// command fails with exit code 16, after its checks and before any change.
// Only an empty --expiry passes, which means the server's default.
const cliNoExpiry = "The zato command's --expiry option fails on every Zato 3.x (`TypeError: unsupported type for timedelta days " +
	"component: str`, exit code 16): it declares --expiry without a type. Passwords set through the zato command take the server's " +
	"default expiry (sso.conf [password] expiry, 730 days as shipped). To set an expiry, use the REST transport (url) instead of server_path."

// ValidateUserID implements backend.Backend. The username becomes a command
// argument, so one starting with "-" would be read as an option.
func (b *CLIBackend) ValidateUserID(userID string) error {
	switch {
	case userID == "":
		return errors.New("the user id must not be empty: give the Zato username")
	case strings.HasPrefix(userID, "-"):
		return errors.New("a Zato username given to the zato command must not start with \"-\" (it would be read as an option)")
	case hasBadRune(userID, ""):
		return errors.New("a Zato username given to the zato command has no whitespace or control characters")
	}
	return nil
}

// SetPassword runs change-user-password with a chosen password, or
// reset-user-password when in.Generate asks the server to generate one.
func (b *CLIBackend) SetPassword(ctx context.Context, in backend.SetPasswordInput) (backend.PasswordResult, error) {
	if err := checkSet(b, in); err != nil {
		return backend.PasswordResult{}, err
	}
	var res backend.PasswordResult
	if in.ExpiresAt != nil {
		return res, fmt.Errorf("%w: %s", backend.ErrNotSupported, cliNoExpiry)
	}
	if in.Generate {
		pw, at, err := b.reset(ctx, in.UserID, in.ForceChange, "set a generated password for user "+in.UserID)
		if err != nil {
			return res, err
		}
		res.Password = pw
		res.LastChangedAt = &at
		res.MustChange = in.ForceChange
		return res, nil
	}

	ctx = transport.MaskSecrets(ctx, in.Password)
	op := "set the password of user " + in.UserID
	// The password necessarily goes on the command line: the real CLI takes
	// it only as --password. While the command runs, any user of this host
	// can read it in /proc/<pid>/cmdline (ps). It never reaches a log, an
	// error message or captured output quoted in an error: see run and scrub.
	// It goes as one argument, "--password=...": argparse would take a
	// separate value starting with "-" for an option and refuse the
	// command (exit 2), and generated passwords may start with "-".
	args := []string{"sso", "change-user-password", "--password=" + in.Password}
	args = append(args, flagArgs(in.ForceChange)...)
	args = append(args, b.serverPath, in.UserID)
	out, err := b.run(ctx, op, args, in.Password)
	if err != nil {
		return res, err
	}
	at := b.now().UTC().Truncate(time.Second)
	if err := checkChanged(out, in.UserID, op, in.Password); err != nil {
		return res, err
	}
	res.LastChangedAt = &at
	res.MustChange = in.ForceChange
	return res, nil
}

// ResetPassword runs reset-user-password and returns the password it prints.
func (b *CLIBackend) ResetPassword(ctx context.Context, in backend.ResetInput) (backend.ResetResult, error) {
	if err := b.ValidateUserID(in.UserID); err != nil {
		return backend.ResetResult{}, err
	}
	if in.SendEmail {
		return backend.ResetResult{}, fmt.Errorf("%w: the zato command cannot email a reset", backend.ErrNotSupported)
	}
	if in.ValidForDays != nil {
		return backend.ResetResult{}, fmt.Errorf("%w: %s", backend.ErrNotSupported, cliNoExpiry)
	}
	pw, at, err := b.reset(ctx, in.UserID, in.ForceChange, "reset the password of user "+in.UserID)
	if err != nil {
		return backend.ResetResult{}, err
	}
	return backend.ResetResult{TemporaryPassword: pw, ResetAt: at}, nil
}

// ReadPassword implements backend.Backend: not offered either (ReadUser).
func (b *CLIBackend) ReadPassword(ctx context.Context, userID string) (backend.User, error) {
	return b.ReadUser(ctx, userID)
}

// ReadUser is not offered: the zato command cannot read a user.
func (b *CLIBackend) ReadUser(context.Context, string) (backend.User, error) {
	return backend.User{}, fmt.Errorf("%w: the zato command cannot read users; use the REST transport (url) for refresh and the identity_user data source", backend.ErrNotSupported)
}

// reset runs `zato sso reset-user-password` and parses the one line that
// holds the new password. The server's default expiry applies (730 days in
// the shipped sso.conf): unknown here, so not reported.
func (b *CLIBackend) reset(ctx context.Context, username string, mustChange *bool, op string) (string, time.Time, error) {
	args := append([]string{"sso", "reset-user-password"}, flagArgs(mustChange)...)
	args = append(args, b.serverPath, username)
	out, err := b.run(ctx, op, args, "")
	if err != nil {
		return "", time.Time{}, err
	}
	at := b.now().UTC().Truncate(time.Second)
	pw, err := parseReset(out, username, op)
	if err != nil {
		return "", time.Time{}, err
	}
	return pw, at, nil
}

// parseReset reads the new password from reset-user-password's output: the
// one line "Password for user `<username>` reset to `<password>`".
func parseReset(out cliOutput, username, op string) (string, error) {
	var found []string
	for _, stream := range []string{out.stdout, out.stderr} {
		for _, m := range resetLine(username).FindAllStringSubmatch(stream, -1) {
			found = append(found, m[1])
		}
	}
	if len(found) != 1 {
		// The output is not quoted: it may hold the new password.
		return "", backend.PasswordMayHaveChanged(&backend.APIError{Backend: cliName, Operation: op,
			Message: fmt.Sprintf("zato exited 0 but printed %d lines of the form \"Password for user `%s` reset to `…`\" where one was expected; "+
				"its output is not shown because it may hold the new password", len(found), username),
			Hint: "The password was probably reset but could not be read; check that zato_command is Zato's own command, and reset again"})
	}
	return found[0], nil
}

// checkChanged checks change-user-password's output for the line
// "Changed password for user `<username>`". The output is quoted in the
// error only after scrub has removed the password set (secret).
func checkChanged(out cliOutput, username, op, secret string) error {
	if changedLine(username).MatchString(out.stdout + "\n" + out.stderr) {
		return nil
	}
	return backend.PasswordMayHaveChanged(&backend.APIError{Backend: cliName, Operation: op,
		Message: "zato exited 0 without printing \"Changed password for user `" + username + "`\": " +
			transport.Preview([]byte(scrub(out.stdout+"\n"+out.stderr, secret))),
		Hint: "The password may or may not have been changed; check the zato command (zato_command) and apply again"})
}

func resetLine(username string) *regexp.Regexp {
	return regexp.MustCompile("(?m)Password for user `" + regexp.QuoteMeta(username) + "` reset to `([^`\\s]+)`\\s*$")
}

func changedLine(username string) *regexp.Regexp {
	return regexp.MustCompile("(?m)Changed password for user `" + regexp.QuoteMeta(username) + "`\\s*$")
}

// validationLine is what the CLI prints with exit code 21.
var validationLine = regexp.MustCompile("Password validation error, reason code:`([^`]*)`")

// anyResetLine finds a printed password whatever the username, for
// scrubbing; also when the output ends before the closing backquote.
var anyResetLine = regexp.MustCompile("(reset to `)[^`]*`?")

// flagArgs are the options besides the password: never --expiry
// (cliNoExpiry), and each option with its value as one argument.
func flagArgs(mustChange *bool) []string {
	if mustChange == nil {
		return nil
	}
	return []string{"--must-change=" + strconv.FormatBool(*mustChange)}
}

type cliOutput struct{ stdout, stderr string }

// Exit codes of the zato command (zato.cli.ZatoCommand.SYS_ERROR,
// code/zato-cli/src/zato/cli/__init__.py:260-291). Any other exception is
// 16 (EXCEPTION_CAUGHT), which may come after the change was written.
const (
	exitUsage           = 2 // argparse: the command line was refused
	exitException       = 16
	exitValidationError = 21
	exitNoSuchUser      = 22
	exitNotAZatoServer  = 23
)

// cliExits says what each exit code of the zato command means and what to
// do about it, as the diagnostics say it (%s in a hint: server_path).
var cliExits = map[int]struct{ meaning, hint string }{
	exitUsage: {"the command line was refused (argparse)",
		"The provider passes every value as one --name=value argument; check that zato_command is Zato 3.x's own command"},
	exitException: {"an exception (the command prints its class and arguments)",
		"It may come before or after the password was written: the provider keeps no password for it, and the next apply sets one again"},
	exitValidationError: {"password validation error (its one reason code is printed)",
		"Choose a password that meets the server's rules in sso.conf [password]"},
	// The command looks users up among approved ones only (sso.py:124,
	// zato-sso odb/query.py:94-103).
	exitNoSuchUser: {"no such user",
		"Check user_id: over the CLI transport it is the Zato username, not the user_id (zusr...), " +
			"of an approved user (the zato command does not find a user awaiting approval)"},
	exitNotAZatoServer: {"not a Zato server",
		"Check server_path: %s must be a Zato server's directory (with config/repo/secrets.conf)"},
}

// run runs the zato command without a shell. Neither the arguments (which
// may hold a password) nor the output (which may hold one) are logged; an
// error quotes the output only after scrub has removed secret.
func (b *CLIBackend) run(ctx context.Context, op string, args []string, secret string) (cliOutput, error) {
	if b.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.timeout)
		defer cancel()
	}
	// The command and server path come from the provider configuration by
	// design (zato_command, server_path); no shell is involved.
	cmd := exec.CommandContext(ctx, b.command, args...) //nolint:gosec // G204: configured command, no shell
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = cliWaitDelay
	tflog.Debug(ctx, "running the zato command", map[string]any{"command": b.command, "subcommand": args[1], "server_path": b.serverPath})
	err := cmd.Run()
	out := cliOutput{stdout: stdout.String(), stderr: stderr.String()}
	if err == nil {
		tflog.Debug(ctx, "the zato command succeeded", map[string]any{"subcommand": args[1]})
		return out, nil
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() < 0 {
		if ctx.Err() != nil {
			// Stopped part way: it may have changed the password first.
			why := ""
			if errors.Is(ctx.Err(), context.DeadlineExceeded) && b.timeout > 0 {
				why = fmt.Sprintf(" after request_timeout (%s)", b.timeout)
			}
			return out, backend.PasswordMayHaveChanged(fmt.Errorf("%s: could not %s: the zato command was stopped%s: %w", cliName, op, why, ctx.Err()))
		}
		// exec errors name the command, never its arguments.
		return out, fmt.Errorf("%s: could not %s: running %s failed: %w", cliName, op, b.command, err)
	}
	code := exitErr.ExitCode()
	tflog.Debug(ctx, "the zato command failed", map[string]any{"subcommand": args[1], "exit_code": code})
	e := exitError(op, code, out, secret, b.serverPath)
	switch code {
	case exitValidationError, exitNoSuchUser, exitNotAZatoServer, exitUsage:
		return out, e // refused before any change
	}
	// Any other failure (a traceback, a lost database connection) may come
	// after the change was written.
	return out, backend.PasswordMayHaveChanged(e)
}

// exitError maps a failed command's exit code and output to an APIError.
// Output is quoted only after scrub has removed secret and any printed
// reset password.
func exitError(op string, code int, out cliOutput, secret, serverPath string) *backend.APIError {
	switch code {
	case exitValidationError:
		var codes []string
		if m := validationLine.FindStringSubmatch(out.stdout + "\n" + out.stderr); m != nil {
			for _, c := range strings.Split(m[1], ",") {
				// Printed text: scrubbed, then made fit for a diagnostic.
				if c = transport.SafeText(scrub(c, secret), 64); c != "" {
					codes = append(codes, c)
				}
			}
		}
		e := newAPIError(cliName, op, 0, codes, "")
		if len(codes) == 0 {
			e.Message = "password validation error (no reason code printed)"
			e.Hint = cliExits[code].hint
		}
		return e
	case exitNoSuchUser:
		info := cliExits[code]
		return &backend.APIError{Backend: cliName, Operation: op, Code: "exit code 22", Message: info.meaning, NotFound: true, Hint: info.hint}
	case exitNotAZatoServer:
		info := cliExits[code]
		return &backend.APIError{Backend: cliName, Operation: op, Code: "exit code 23", Message: info.meaning,
			Hint: fmt.Sprintf(info.hint, serverPath)}
	}
	msg := strings.TrimSpace(scrub(out.stderr, secret))
	if msg == "" {
		msg = strings.TrimSpace(scrub(out.stdout, secret))
	}
	hint := "Check the message above and the Zato server's logs, then apply again"
	if info, known := cliExits[code]; known {
		hint = info.hint
	}
	return &backend.APIError{Backend: cliName, Operation: op, Code: "exit code " + strconv.Itoa(code),
		Message: transport.Preview([]byte(msg)), Hint: hint}
}

// scrub removes the secret the command was given (transport.Redact) and
// any password it printed from its output before it is quoted in an error.
func scrub(output, secret string) string {
	return anyResetLine.ReplaceAllString(transport.Redact(output, secret), "${1}"+transport.Redacted+"`")
}
