// Command identity-bench is `make bench`: it starts the sandbox and, for
// N = 100, 500 and 1000 (3, 3 and 1 repetitions), runs create (apply),
// refresh (plan), plan -refresh=false, replace-all (apply after a triggers
// change) and destroy (-refresh=false) with the installed Terraform CLI, for
// N identity_user_password on IDaaS (server-generated) and on OCARIoT
// (provider-generated) and, interleaved with them, N terraform_data as the
// baseline. It measures wall time, the provider's CPU time and peak RSS (the
// provider's IDENTITY_PROVIDER_RUSAGE_FILE hook), the API requests the
// emulators received per phase, and writes a markdown table of medians.
//
// BENCH_QUICK=1 runs N = 100 once (the CI smoke test). BENCH_N, BENCH_REPS,
// BENCH_BACKENDS and BENCH_CPUPROFILE_DIR override the defaults of -n,
// -reps, -backends and -cpuprofile.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench failed:", err)
		os.Exit(1)
	}
}

// options are the command's settings, from flags and BENCH_* variables.
type options struct {
	providerBin string
	out         string
	sizes       []int
	// reps is the number of repetitions at each of sizes.
	reps        []int
	parallelism int
	backends    []string
	cpuProfile  string
	throttle    bool
	throttleN   int
	throttleRPS float64
	timeout     time.Duration
	keep        bool
	quick       bool
	stopAfter   string
	// extraEnv is added to every terraform run, last (for A/B experiments).
	extraEnv envList
}

// envList is a repeatable -env NAME=VALUE flag.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }

func (e *envList) Set(v string) error {
	if name, _, ok := strings.Cut(v, "="); !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	*e = append(*e, v)
	return nil
}

func parseOptions() (*options, error) {
	quick := os.Getenv("BENCH_QUICK") == "1"
	// One repetition at N = 1000: with three, as at the smaller sizes, a
	// run took 23 minutes on a 2-CPU machine (docs/guides/performance.md).
	defSizes, defReps := "100,500,1000", "3,3,1"
	if quick {
		defSizes, defReps = "100", "1"
	}
	o := &options{quick: quick}
	var sizes, reps, backends string
	flag.StringVar(&o.providerBin, "provider", "", "path of the built terraform-provider-identity binary")
	flag.StringVar(&o.out, "out", "bench-results.md", "where to write the markdown results")
	flag.StringVar(&sizes, "n", envOr("BENCH_N", defSizes), "comma-separated resource counts")
	flag.StringVar(&reps, "reps", envOr("BENCH_REPS", defReps), "repetitions: one count for every size, or comma-separated counts, one per size (medians are reported)")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.StringVar(&backends, "backends", envOr("BENCH_BACKENDS", "idaas,ocariot"), "comma-separated backends: idaas, ocariot")
	flag.StringVar(&o.cpuProfile, "cpuprofile", os.Getenv("BENCH_CPUPROFILE_DIR"),
		"write provider CPU profiles under this directory, one subdirectory per run and phase")
	flag.BoolVar(&o.throttle, "throttle", true, "run the throttled-throughput check")
	flag.IntVar(&o.throttleN, "throttle-n", 200, "resources of the throttled-throughput check")
	flag.Float64Var(&o.throttleRPS, "throttle-rps", 20, "sandbox limit and provider requests_per_second of the throttled check")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "limit of each terraform command")
	flag.StringVar(&o.stopAfter, "stop-after", "", "end each repetition after this phase (create, refresh, plan, replace), to profile the early phases")
	flag.Var(&o.extraEnv, "env", "NAME=VALUE added to the environment of every terraform run (repeatable; for experiments)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, logs, rusage files)")
	flag.Parse()

	if o.providerBin == "" {
		return nil, errors.New("-provider is required")
	}
	var err error
	if o.sizes, err = parseSizes(sizes); err != nil {
		return nil, err
	}
	if o.reps, err = parseReps(reps, len(o.sizes)); err != nil {
		return nil, err
	}
	for _, b := range strings.Split(backends, ",") {
		b = strings.TrimSpace(b)
		if _, ok := backendKinds[b]; !ok {
			return nil, fmt.Errorf("unknown backend %q (want idaas or ocariot)", b)
		}
		o.backends = append(o.backends, b)
	}
	if o.stopAfter != "" && !slices.ContainsFunc(phases, func(p phase) bool { return p.Name == o.stopAfter }) {
		return nil, fmt.Errorf("-stop-after: unknown phase %q", o.stopAfter)
	}
	if o.cpuProfile != "" {
		if o.cpuProfile, err = filepath.Abs(o.cpuProfile); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func run() error {
	o, err := parseOptions()
	if err != nil {
		return err
	}
	tf, err := sandbox.TerraformCLI("the bench")
	if err != nil {
		return err
	}
	absBin, err := sandbox.ProviderBinary(o.providerBin)
	if err != nil {
		return err
	}
	tfVersion, err := terraformVersion(tf)
	if err != nil {
		return err
	}

	sbx, err := sandbox.Start()
	if err != nil {
		return err
	}
	defer sbx.Close()
	work, err := os.MkdirTemp("", "identity-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "==> working directory (kept):", work)
	} else {
		defer os.RemoveAll(work)
	}
	baseEnv, err := terraformEnv(work, absBin, sbx)
	if err != nil {
		return err
	}
	baseEnv = append(baseEnv, o.extraEnv...)

	maxN := o.throttleN
	for _, n := range o.sizes {
		maxN = max(maxN, n)
	}
	subjects := []*subject{baselineSubject()}
	for _, name := range o.backends {
		s := backendKinds[name](sbx)
		s.backend.addUsers(maxN)
		subjects = append(subjects, s)
	}

	b := &bench{tf: tf, env: baseEnv, work: work, parallelism: o.parallelism, timeout: o.timeout, cpuProfile: o.cpuProfile, stopAfter: o.stopAfter}
	rep := &report{
		Terraform:   tfVersion,
		Platform:    fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		Date:        time.Now().UTC().Format("2006-01-02"),
		Parallelism: o.parallelism,
		Reps:        o.reps,
		Sizes:       o.sizes,
		Quick:       o.quick,
		ExtraEnv:    o.extraEnv,
		Results:     map[key][]sample{},
	}
	for _, s := range subjects {
		rep.Subjects = append(rep.Subjects, s.subjectInfo)
	}
	start := time.Now()
	for i, n := range o.sizes {
		for r := range o.reps[i] {
			if err := b.repetition(n, r, rotate(subjects, r), rep); err != nil {
				return err
			}
		}
	}
	if o.throttle {
		idaas := backendKinds["idaas"](sbx)
		idaas.backend.addUsers(o.throttleN)
		res, err := b.throttled(idaas, o.throttleN, o.throttleRPS)
		if err != nil {
			return err
		}
		rep.Throttle = &res
	}
	rep.Elapsed = time.Since(start)

	md := rep.markdown()
	fmt.Println(md)
	if err := os.WriteFile(o.out, []byte(md), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> results written to %s (%.0fs)\n", o.out, rep.Elapsed.Seconds())
	return nil
}

// terraformEnv is the sandbox's Terraform environment (Sandbox.TerraformEnv:
// the CA, dev_overrides pointing at the built provider) with provider logs
// off whatever this process's environment says: the figures are of runs
// that log nothing.
func terraformEnv(work, absBin string, sbx *sandbox.Sandbox) ([]string, error) {
	env, err := sbx.TerraformEnv(work, filepath.Dir(absBin))
	if err != nil {
		return nil, err
	}
	return append(env, "TF_LOG=", "TF_LOG_PROVIDER="), nil
}

// rotate returns s rotated left by r, so that no subject always runs first.
func rotate[T any](s []T, r int) []T {
	if len(s) == 0 {
		return s
	}
	r %= len(s)
	return append(append([]T{}, s[r:]...), s[:r]...)
}

func parseSizes(s string) ([]int, error) { return parseCounts(s, "resource count") }

// parseCounts reads comma-separated whole numbers of at least 1.
func parseCounts(s, what string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("invalid %s %q", what, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseReps reads -reps: one count for every size, or one per size.
func parseReps(s string, sizes int) ([]int, error) {
	out, err := parseCounts(s, "repetition count")
	if err != nil {
		return nil, err
	}
	switch len(out) {
	case sizes:
		return out, nil
	case 1:
		return slices.Repeat(out, sizes), nil
	}
	return nil, fmt.Errorf("-reps has %d counts for %d sizes: give one count, or one per size", len(out), sizes)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// withTimeout is context.WithTimeout of the background context.
func withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
