package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// The reader of `go test -json` (cmd/test2json events). It is written here
// rather than taken from gotestsum: what make test must print is its own
// (counts of top-level tests in the line format CI reads, the skipped tests
// with their reasons, a package that failed outside any test counted as a
// failure), and the events it needs are four fields of a documented format.

// testEvent is one event of `go test -json`.
type testEvent struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// tally is what one `go test -json` run did, counted over top-level tests
// (subtests are part of their test).
type tally struct {
	passed, failed, skipped int
	// skips are the skipped tests with their reasons, failures the failed
	// tests and the packages that failed outside any test (a TestMain, the
	// secret scan, a build).
	skips    []skip
	failures []string
}

type skip struct{ test, reason string }

// add adds u's counts and lists to t.
func (t *tally) add(u tally) {
	t.passed += u.passed
	t.failed += u.failed
	t.skipped += u.skipped
	t.skips = append(t.skips, u.skips...)
	t.failures = append(t.failures, u.failures...)
}

// line is the count line CI reads: "label: N passed, N failed, N skipped".
func (t tally) line(label string) string {
	return fmt.Sprintf("%s: %d passed, %d failed, %d skipped", label, t.passed, t.failed, t.skipped)
}

// report is the count line, then one line per skipped and failed test.
func (t tally) report(label string) string {
	var b strings.Builder
	b.WriteString(t.line(label) + "\n")
	for _, s := range t.skips {
		fmt.Fprintf(&b, "  skipped %s: %s\n", s.test, s.reason)
	}
	for _, f := range t.failures {
		fmt.Fprintf(&b, "  FAILED %s\n", f)
	}
	return b.String()
}

// sourcePrefix is the "file_test.go:123: " that t.Log and t.Skip put first.
var sourcePrefix = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// summarize reads `go test -json` from r and writes what a plain `go test`
// would show to w: the packages' own lines (ok, FAIL, what TestMain
// prints) and the whole output of every failed test. It returns the tally.
func summarize(r io.Reader, w io.Writer) (tally, error) {
	var t tally
	type key struct{ pkg, test string }
	output := map[key][]string{}     // a top-level test's output, its subtests' included
	ownLast := map[key]string{}      // the last line the test itself wrote, for a skip's reason
	running := map[string][]string{} // per package, top-level tests started and not ended
	failedTests := map[string]int{}  // per package
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var ev testEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Action == "" {
			fmt.Fprintln(w, sc.Text()) // not an event: pass it on
			continue
		}
		top, _, sub := strings.Cut(ev.Test, "/")
		k := key{ev.Package, top}
		switch {
		case ev.Action == "build-output":
			fmt.Fprint(w, ev.Output)
		case ev.Test == "" && ev.Action == "output":
			if !quiet(ev.Output) {
				fmt.Fprint(w, ev.Output)
			}
		case ev.Test == "" && ev.Action == "fail":
			// Tests that never ended (a panic, a timeout) failed; a package
			// that failed with no failed test failed outside the tests.
			for _, name := range running[ev.Package] {
				t.failed++
				t.failures = append(t.failures, name+" (did not finish)")
				fmt.Fprint(w, strings.Join(output[key{ev.Package, name}], ""))
			}
			if len(running[ev.Package]) == 0 && failedTests[ev.Package] == 0 {
				t.failed++
				t.failures = append(t.failures, "package "+ev.Package+" (outside any test: its TestMain, e.g. the secret scan, or its build)")
			}
			delete(running, ev.Package)
		case ev.Test == "":
		case ev.Action == "run" && !sub:
			running[ev.Package] = append(running[ev.Package], top)
		case ev.Action == "output":
			if strings.HasPrefix(ev.Output, "=== ") {
				continue
			}
			output[k] = append(output[k], ev.Output)
			if !sub && !strings.HasPrefix(strings.TrimSpace(ev.Output), "--- ") {
				ownLast[k] = strings.TrimSpace(sourcePrefix.ReplaceAllString(ev.Output, ""))
			}
		case sub:
		case ev.Action == "pass" || ev.Action == "skip" || ev.Action == "fail":
			running[ev.Package] = remove(running[ev.Package], top)
			switch ev.Action {
			case "pass":
				t.passed++
			case "skip":
				t.skipped++
				t.skips = append(t.skips, skip{test: top, reason: ownLast[k]})
			case "fail":
				t.failed++
				failedTests[ev.Package]++
				t.failures = append(t.failures, top)
				fmt.Fprint(w, strings.Join(output[k], ""))
			}
			delete(output, k)
			delete(ownLast, k)
		}
	}
	// A run cut short (go test killed) leaves tests running.
	pkgs := make([]string, 0, len(running))
	for p := range running {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		for _, name := range running[p] {
			t.failed++
			t.failures = append(t.failures, name+" (did not finish)")
		}
	}
	return t, sc.Err()
}

// quiet tells the package lines that -json adds to a plain go test's (it
// implies -v) and those of packages without tests to run, which every leg
// has many of (it runs ./... with -run).
func quiet(line string) bool {
	line = strings.TrimSpace(line)
	return line == "PASS" || line == "testing: warning: no tests to run" ||
		strings.HasSuffix(line, "[no tests to run]") || strings.HasSuffix(line, "[no test files]")
}

func remove(names []string, name string) []string {
	for i, n := range names {
		if n == name {
			return append(names[:i], names[i+1:]...)
		}
	}
	return names
}
