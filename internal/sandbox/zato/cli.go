package zato

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// Exit codes of the Zato CLI (zato-cli .../cli/__init__.py:260-291,
// ZatoCommand.SYS_ERROR; 2 is argparse's).
const (
	ExitOK              = 0
	ExitUsage           = 2
	ExitException       = 16 // EXCEPTION_CAUGHT: any uncaught exception (__init__.py:698-709)
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
	// NotApproved users are not found by the command, which looks users up
	// with needs_approved=True (zato-sso .../odb/query.py:94-103).
	NotApproved bool `json:"not_approved,omitempty"`
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

// generatePassword draws a password as Zato does. A draw that breaks the
// server's own rules (a reject-list entry by chance, some 1 in 10^8) is
// drawn again; the real command would fail with exit 16 there, as reset
// does not catch the ValidationError (sso.py:341-352).
func generatePassword() string {
	for {
		if pw := passwordRule.Generate(); CheckPassword(pw) == "" {
			return pw
		}
	}
}
