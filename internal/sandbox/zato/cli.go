package zato

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

// The fake `zato` command (./fakezato) keeps its state in a JSON file in the
// server path it is given, so that tests read ground truth from the file.
const CLIStateFile = "fake-zato-users.json"

// FakeNowEnv, when set to an RFC 3339 time, is the fake command's "now";
// otherwise it uses the real clock.
const FakeNowEnv = "FAKE_ZATO_NOW"

// Exit codes of the Zato CLI (zato.cli.ZatoCommand.SYS_ERROR).
const (
	ExitOK              = 0
	ExitUsage           = 2 // argparse
	ExitValidationError = 21
	ExitNoSuchUser      = 22
	ExitNotAZatoServer  = 23
)

// CLIUser is one user in the fake CLI's state, addressed by username.
type CLIUser struct {
	Username   string    `json:"username"`
	Password   string    `json:"password"`
	MustChange bool      `json:"must_change"`
	Expiry     time.Time `json:"expiry"`
	LastSet    time.Time `json:"last_set"`
	// Issued is every password the user has had, oldest first.
	Issued []string `json:"issued"`
}

// CLIState is the content of CLIStateFile.
type CLIState struct {
	Users map[string]*CLIUser `json:"users"`
}

// DefaultCLIUsers are the users a server path is seeded with when
// CreateCLIServer is given none: alice, bob (must change) and carol, with the
// same passwords as the REST emulator's seeds.
func DefaultCLIUsers() []CLIUser {
	return []CLIUser{
		{Username: AliceUsername, Password: AlicePassword},
		{Username: BobUsername, Password: BobPassword, MustChange: true},
		{Username: CarolUsername, Password: CarolPassword},
	}
}

// CreateCLIServer makes serverPath (a directory) a fake Zato server for the
// fake command, seeded with users (DefaultCLIUsers when none). Zero LastSet
// and Expiry are filled from the real clock and the default expiry.
func CreateCLIServer(serverPath string, users ...CLIUser) error {
	if err := os.MkdirAll(serverPath, 0o700); err != nil {
		return err
	}
	if len(users) == 0 {
		users = DefaultCLIUsers()
	}
	now := zatoTime(time.Now())
	st := CLIState{Users: map[string]*CLIUser{}}
	for _, u := range users {
		if u.LastSet.IsZero() {
			u.LastSet = now
		}
		if u.Expiry.IsZero() {
			u.Expiry = u.LastSet.AddDate(0, 0, DefaultPasswordExpiryDays)
		}
		if len(u.Issued) == 0 && u.Password != "" {
			u.Issued = []string{u.Password}
		}
		st.Users[u.Username] = &u
	}
	return writeCLIState(serverPath, st)
}

// ReadCLIState reads the fake server's state.
func ReadCLIState(serverPath string) (CLIState, error) {
	var st CLIState
	data, err := os.ReadFile(filepath.Join(serverPath, CLIStateFile))
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("reading %s: %w", CLIStateFile, err)
	}
	if st.Users == nil {
		st.Users = map[string]*CLIUser{}
	}
	return st, nil
}

// CLIUserState returns one user of the fake server's state.
func CLIUserState(serverPath, username string) (CLIUser, error) {
	st, err := ReadCLIState(serverPath)
	if err != nil {
		return CLIUser{}, err
	}
	u, ok := st.Users[username]
	if !ok {
		return CLIUser{}, fmt.Errorf("no user %q in %s", username, CLIStateFile)
	}
	return *u, nil
}

// UpdateCLIState reads, changes and writes the state under a file lock, so
// that concurrent fake commands (terraform -parallelism) do not lose updates.
func UpdateCLIState(serverPath string, change func(*CLIState) error) error {
	unlock, err := lockState(serverPath)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := ReadCLIState(serverPath)
	if err != nil {
		return err
	}
	if err := change(&st); err != nil {
		return err
	}
	return writeCLIState(serverPath, st)
}

// SetCLIPasswordBehindBack changes a user's password outside Terraform.
func SetCLIPasswordBehindBack(serverPath, username, pw string) error {
	return UpdateCLIState(serverPath, func(st *CLIState) error {
		u, ok := st.Users[username]
		if !ok {
			return fmt.Errorf("no user %q", username)
		}
		u.Password, u.LastSet = pw, zatoTime(time.Now())
		u.Issued = append(u.Issued, pw)
		return nil
	})
}

// writeCLIState replaces the state file atomically (temporary file + rename).
func writeCLIState(serverPath string, st CLIState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(serverPath, CLIStateFile+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(serverPath, CLIStateFile))
}

// BuildFakeZato builds the fake `zato` command into dir and returns its path.
// Tests call it once; the demo puts dir on PATH.
func BuildFakeZato(dir string) (string, error) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the fakezato sources")
	}
	src := filepath.Join(filepath.Dir(self), "fakezato")
	out := filepath.Join(dir, "zato")
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	goTool := "go"
	if p, err := exec.LookPath("go"); err == nil {
		goTool = p
	}
	cmd := exec.CommandContext(context.Background(), goTool, "build", "-o", out, ".")
	cmd.Dir = src
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build of the fake zato command: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// RunFakeCLI is the fake `zato` command: args are its arguments (without the
// program name). It implements, as section 5 of the spec describes them,
//
//	zato sso reset-user-password [--expiry DAYS] [--must-change true|false] <server-path> <username>
//	zato sso change-user-password --password P [--expiry DAYS] [--must-change B] <server-path> <username>
//
// with the real command's output lines and exit codes (0, 21 password
// validation error, 22 no such user; 23 not a server, 2 usage). Informational
// lines go to stdout, warnings to stderr (unconfirmed for the real command,
// whose logger writes both; clients should read both).
func RunFakeCLI(args []string, stdout, stderr io.Writer) int {
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "usage: zato sso {reset-user-password,change-user-password} [options] path username")
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

	opts := map[string]string{}
	known := map[string]bool{"--expiry": true, "--must-change": true}
	if sub == "change-user-password" {
		known["--password"] = true
	}
	var positional []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if !strings.HasPrefix(a, "--") || a == "--" {
			if a == "--" {
				positional = append(positional, rest[i+1:]...)
				break
			}
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(a, "=")
		if name == "--verbose" {
			continue
		}
		if !known[name] {
			return usage("unrecognized arguments: " + name)
		}
		if !hasValue {
			if i+1 >= len(rest) {
				return usage(fmt.Sprintf("argument %s: expected one argument", name))
			}
			i++
			value = rest[i]
		}
		opts[name] = value
	}
	if len(positional) != 2 {
		return usage("the following arguments are required: path, username")
	}
	serverPath, username := positional[0], positional[1]

	var mustChange *bool
	if v, ok := opts["--must-change"]; ok {
		b, err := asBool(v)
		if err != nil {
			return usage(fmt.Sprintf("argument --must-change: invalid as_bool value: '%s'", v))
		}
		mustChange = &b
	}
	days := int64(DefaultPasswordExpiryDays)
	if v, ok := opts["--expiry"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > 2_000_000 {
			return usage(fmt.Sprintf("argument --expiry: invalid int value: '%s'", v))
		}
		if n >= 0 {
			days = n
		}
	}
	if sub == "change-user-password" {
		if _, ok := opts["--password"]; !ok {
			return usage("argument --password is required")
		}
	}

	if !fileExists(filepath.Join(serverPath, CLIStateFile)) {
		fmt.Fprintf(stderr, "Could not find file `%s` in `%s`\n", CLIStateFile, serverPath)
		return ExitNotAZatoServer
	}
	now, err := fakeNow()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}

	var pw string
	if sub == "change-user-password" {
		pw = opts["--password"]
	} else {
		pw = generatePassword()
	}
	exit := ExitOK
	err = UpdateCLIState(serverPath, func(st *CLIState) error {
		u, ok := st.Users[username]
		if !ok {
			fmt.Fprintf(stderr, "No such user `%s`\n", username)
			exit = ExitNoSuchUser
			return nil
		}
		if codes := CheckPassword(pw); len(codes) > 0 {
			fmt.Fprintf(stderr, "Password validation error, reason code:`%s`\n", strings.Join(codes, ", "))
			exit = ExitValidationError
			return nil
		}
		u.Password = pw
		u.LastSet = now
		u.Expiry = now.AddDate(0, 0, int(days))
		if mustChange != nil {
			u.MustChange = *mustChange
		}
		u.Issued = append(u.Issued, pw)
		return nil
	})
	if err != nil {
		fmt.Fprintln(stderr, "Traceback (most recent call last): state file: "+err.Error())
		return 1
	}
	if exit != ExitOK {
		return exit
	}
	if sub == "change-user-password" {
		fmt.Fprintf(stdout, "Changed password for user `%s`\n", username)
	} else {
		fmt.Fprintf(stdout, "Password for user `%s` reset to `%s`\n", username, pw)
	}
	return ExitOK
}

// asBool is zato.common.util.api.as_bool for command-line values.
func asBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "y", "t", "1":
		return true, nil
	case "false", "no", "off", "n", "f", "0":
		return false, nil
	}
	return false, errors.New("not a boolean")
}

func fakeNow() (time.Time, error) {
	if v := os.Getenv(FakeNowEnv); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s is not an RFC 3339 time", FakeNowEnv)
		}
		return zatoTime(t), nil
	}
	return zatoTime(time.Now()), nil
}

// passwordRule is Zato's CryptoManager.generate_password: 24 random bytes,
// URL-safe base64. That is 32 characters, each uniform over the 64 of the
// alphabet (24 bytes are 32 whole 6-bit digits), as drawn here.
var passwordRule = emu.PasswordRule{Length: 32, Classes: []string{emu.Base64URL}}

// generatePassword draws a password as Zato does; a draw that breaks the
// server's own rules (a reject-list word by chance) is drawn again.
func generatePassword() string {
	for {
		if pw := passwordRule.Generate(); len(CheckPassword(pw)) == 0 {
			return pw
		}
	}
}
