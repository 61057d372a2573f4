package zato

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var resetOut = regexp.MustCompile("^Password for user `alice` reset to `([A-Za-z0-9_-]{32})`\n$")

// TestFakeCLI: the fake command against Zato 3.2's CLI. Each row cites the
// vendor line its exit code and output come from (zatosource/zato
// support/3.2, under code/zato-cli/src/zato/cli/ unless said otherwise;
// argparse is Python's).
func TestFakeCLI(t *testing.T) {
	now := time.Date(2025, 4, 1, 8, 30, 0, 0, time.UTC)
	t.Setenv(FakeNowEnv, now.Format(time.RFC3339))
	changed := regexp.MustCompile("^Changed password for user `bob`\n$")
	line := func(s string) *regexp.Regexp { return regexp.MustCompile("^" + regexp.QuoteMeta(s) + "\n$") }
	tests := []struct {
		name       string
		args       []string // server path and username are appended unless noTail
		noTail     bool
		user       string
		wantExit   int
		wantStdout *regexp.Regexp
		wantStderr string
		check      func(t *testing.T, before, after CLIUser)
	}{
		{
			// sso.py:341-352: a generated password, printed; the default expiry (zato-sso util.py:181).
			name: "reset with defaults", args: []string{"sso", "reset-user-password"}, user: "alice",
			wantStdout: resetOut,
			check: func(t *testing.T, before, after CLIUser) {
				if after.MustChange != before.MustChange || !after.Expiry.Equal(now.AddDate(0, 0, DefaultPasswordExpiryDays)) || !after.LastSet.Equal(now) {
					t.Fatalf("after reset: %+v", after)
				}
			},
		},
		{
			// --must-change is type=as_bool (sso.py:335).
			name: "reset with must-change", args: []string{"sso", "reset-user-password", "--must-change", "true"}, user: "alice",
			wantStdout: resetOut,
			check: func(t *testing.T, _, after CLIUser) {
				if !after.MustChange {
					t.Fatalf("after reset: %+v", after)
				}
			},
		},
		{
			// argparse takes --name=value; "Changed password" (sso.py:325).
			name: "change, flags as --name=value, must-change false clears", args: []string{"sso", "change-user-password", "--password=Chosen-Pass-7781", "--must-change=false"}, user: "bob",
			wantStdout: changed,
			check: func(t *testing.T, _, after CLIUser) {
				if after.Password != "Chosen-Pass-7781" || after.MustChange {
					t.Fatalf("after change: %+v", after)
				}
			},
		},
		{
			// --password=-... is a value whatever it starts with (argparse).
			name: "change, a password starting with a dash as --password=", args: []string{"sso", "change-user-password", "--password=-Dash-First-7781"}, user: "bob",
			wantStdout: changed,
			check: func(t *testing.T, _, after CLIUser) {
				if after.Password != "-Dash-First-7781" {
					t.Fatalf("after change: %+v", after)
				}
			},
		},
		{
			name: "change without --must-change leaves the flag", args: []string{"sso", "change-user-password", "--password", "Chosen-Pass-7781"}, user: "bob",
			wantStdout: changed,
			check: func(t *testing.T, before, after CLIUser) {
				if !before.MustChange || !after.MustChange {
					t.Fatalf("flag changed: %+v", after)
				}
			},
		},
		// --expiry has no type= (sso.py:308, :334): the days stay a string, timedelta raises TypeError
		// (zato-sso util.py:181,187), printed on stdout with exit 16 (__init__.py:698-709). Nothing changes.
		{name: "reset with --expiry fails", args: []string{"sso", "reset-user-password", "--expiry", "3"}, user: "alice",
			wantExit: ExitException, wantStdout: line(ExpiryTypeError)},
		{name: "change with --expiry= fails", args: []string{"sso", "change-user-password", "--password=Chosen-Pass-7781", "--expiry=10"}, user: "bob",
			wantExit: ExitException, wantStdout: line(ExpiryTypeError)},
		{name: "any --expiry value fails", args: []string{"sso", "reset-user-password", "--expiry", "soon"}, user: "alice",
			wantExit: ExitException, wantStdout: line(ExpiryTypeError)},
		// An empty --expiry is falsy: the default applies (util.py:181).
		{name: "empty --expiry is the default", args: []string{"sso", "reset-user-password", "--expiry="}, user: "alice", wantStdout: resetOut,
			check: func(t *testing.T, _, after CLIUser) {
				if !after.Expiry.Equal(now.AddDate(0, 0, DefaultPasswordExpiryDays)) {
					t.Fatalf("after reset: %+v", after)
				}
			}},
		// The lookup comes first: an unknown user is exit 22 even with --expiry (sso.py:122-127).
		{name: "no such user before the expiry error", args: []string{"sso", "reset-user-password", "--expiry", "3"}, user: "mallory",
			wantExit: ExitNoSuchUser, wantStdout: line("No such user `mallory`")},
		// Validation (util.py:91-118, one code), caught by change (sso.py:317-323), on stdout (__init__.py:446).
		{name: "too short", args: []string{"sso", "change-user-password", "--password", "short"}, user: "alice",
			wantExit: ExitValidationError, wantStdout: line("Password validation error, reason code:`E003002`")},
		{name: "reject list", args: []string{"sso", "change-user-password", "--password", "my-password-is-long"}, user: "alice",
			wantExit: ExitValidationError, wantStdout: line("Password validation error, reason code:`E003001`")},
		{name: "one reason only", args: []string{"sso", "change-user-password", "--password", "qwerty"}, user: "alice",
			wantExit: ExitValidationError, wantStdout: line("Password validation error, reason code:`E003002`")},
		// Validation comes before the expiry's TypeError (util.py:173 then :187).
		{name: "validation before the expiry error", args: []string{"sso", "change-user-password", "--password", "short", "--expiry", "3"}, user: "alice",
			wantExit: ExitValidationError, wantStdout: line("Password validation error, reason code:`E003002`")},
		{name: "no such user, reset", args: []string{"sso", "reset-user-password"}, user: "mallory",
			wantExit: ExitNoSuchUser, wantStdout: line("No such user `mallory`")},
		{name: "no such user, change", args: []string{"sso", "change-user-password", "--password", "Chosen-Pass-7781"}, user: "mallory",
			wantExit: ExitNoSuchUser},
		// ensure_path_is_a_server (__init__.py:791-806).
		{name: "not a server", noTail: true, args: []string{"sso", "reset-user-password", "/nonexistent/server1", "alice"},
			wantExit: ExitNotAZatoServer, wantStdout: line("No server found at `/nonexistent/server1`")},
		// argparse refusals: stderr, exit 2.
		{name: "a value starting with a dash is an option", args: []string{"sso", "change-user-password", "--password", "-Dash-First-7781"}, user: "alice",
			wantExit: ExitUsage, wantStderr: "argument --password: expected one argument"},
		{name: "unknown option", args: []string{"sso", "reset-user-password", "--password", "x"}, user: "alice", wantExit: ExitUsage},
		{name: "bad boolean", args: []string{"sso", "reset-user-password", "--must-change", "maybe"}, user: "alice", wantExit: ExitUsage,
			wantStderr: "argument --must-change: invalid as_bool value: 'maybe'"},
		{name: "change needs --password", args: []string{"sso", "change-user-password"}, user: "alice", wantExit: ExitUsage},
		{name: "missing username", noTail: true, args: []string{"sso", "reset-user-password", "/tmp"}, wantExit: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := CreateCLIServer(dir); err != nil {
				t.Fatal(err)
			}
			before, _ := CLIUserState(dir, tt.user)
			args := tt.args
			if !tt.noTail {
				args = append(slices.Clone(args), dir, tt.user)
			}
			var stdout, stderr bytes.Buffer
			exit := RunFakeCLI(args, &stdout, &stderr)
			if exit != tt.wantExit {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", exit, tt.wantExit, stdout.String(), stderr.String())
			}
			if tt.wantStdout != nil && !tt.wantStdout.MatchString(stdout.String()) {
				t.Fatalf("stdout %q", stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) || (tt.wantExit != ExitUsage && stderr.Len() != 0) {
				t.Fatalf("stderr %q, want %q (Zato writes its own messages to stdout)", stderr.String(), tt.wantStderr)
			}
			after, _ := CLIUserState(dir, tt.user)
			if tt.wantExit != ExitOK {
				if after.Password != before.Password || len(after.Issued) != len(before.Issued) || !after.Expiry.Equal(before.Expiry) {
					t.Fatal("a failed command changed the state")
				}
				return
			}
			// The printed password (reset) or the given one (change) is the
			// user's password now, and was recorded as issued.
			if m := resetOut.FindStringSubmatch(stdout.String()); m != nil && after.Password != m[1] {
				t.Fatalf("printed %q, state holds %q", m[1], after.Password)
			}
			if after.Password == before.Password || !slices.Equal(after.Issued, append(before.Issued, after.Password)) {
				t.Fatalf("issued %v", after.Issued)
			}
			tt.check(t, before, after)
		})
	}
}

func TestCLIStateHelpers(t *testing.T) {
	dir := t.TempDir()
	if err := CreateCLIServer(dir, CLIUser{Username: "dave", Password: "Dave-Pass-1234"}); err != nil {
		t.Fatal(err)
	}
	st, err := ReadCLIState(dir)
	if err != nil || len(st.Users) != 1 || st.Users["dave"].Expiry.Sub(st.Users["dave"].LastSet) != DefaultPasswordExpiryDays*24*time.Hour {
		t.Fatalf("state %+v, %v", st, err)
	}
	if err := SetCLIPasswordBehindBack(dir, "dave", "Dave-Other-Pass-5"); err != nil {
		t.Fatal(err)
	}
	u, err := CLIUserState(dir, "dave")
	if err != nil || u.Password != "Dave-Other-Pass-5" || !slices.Equal(u.Issued, []string{"Dave-Pass-1234", "Dave-Other-Pass-5"}) {
		t.Fatalf("%+v %v", u, err)
	}
	if err := SetCLIPasswordBehindBack(dir, "nobody", "x"); err == nil {
		t.Fatal("no error for an unknown user")
	}
}

// TestBuiltFakeZato runs the built command once, concurrently, to check the
// binary and the state file's locking.
func TestBuiltFakeZato(t *testing.T) {
	bin, err := BuildFakeZato(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	server := filepath.Join(t.TempDir(), "server1")
	if err := CreateCLIServer(server); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			out, err := exec.Command(bin, "sso", "reset-user-password", server, "alice").Output()
			if err == nil && !resetOut.Match(out) {
				err = errors.New("unexpected output")
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	u, err := CLIUserState(server, "alice")
	if err != nil || len(u.Issued) != n+1 {
		t.Fatalf("%d passwords issued, want %d (%v)", len(u.Issued), n+1, err)
	}
	err = exec.Command(bin, "sso", "reset-user-password", server, "nobody").Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitNoSuchUser {
		t.Fatalf("unknown user: %v", err)
	}
}
