package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// phase is one measured terraform command.
type phase struct {
	// Name is a short key; Title the table's description.
	Name, Title string
	// args are the terraform arguments before -parallelism and -var.
	args []string
	// rotation is the trigger value of the run: a change replaces (or, for
	// identity_user_password, sets again) every resource.
	rotation string
	// plan runs are terraform plan with -detailed-exitcode: no change expected.
	plan bool
}

// phases run in this order on each subject.
var phases = []phase{
	{Name: "create", Title: "create (`apply`)", args: []string{"apply", "-auto-approve"}, rotation: "r1"},
	{Name: "refresh", Title: "refresh (`plan`)", args: []string{"plan", "-detailed-exitcode"}, rotation: "r1", plan: true},
	{Name: "plan", Title: "`plan -refresh=false`", args: []string{"plan", "-refresh=false", "-detailed-exitcode"}, rotation: "r1", plan: true},
	{Name: "replace", Title: "replace-all (`apply`, triggers changed)", args: []string{"apply", "-auto-approve"}, rotation: "r2"},
	{Name: "destroy", Title: "destroy (`destroy -refresh=false`)", args: []string{"destroy", "-auto-approve", "-refresh=false"}, rotation: "r2"},
}

// sample is what one run of one phase measured.
type sample struct {
	Wall float64 // seconds
	// TerraformCPU is user+system seconds of terraform and the plugins it ran
	// (the rusage of a waited-for child includes its waited-for children).
	TerraformCPU float64
	// ProviderCPU and ProviderRSSKiB come from the provider's rusage hook:
	// the sum of CPU and the largest peak RSS over its processes.
	ProviderCPU    float64
	ProviderRSSKiB int64
	// ProviderWall is the lifetime of the longest-lived provider process:
	// in an apply, the one that applied the changes.
	ProviderWall float64
	Processes    int
	// Requests the emulator received, by kind.
	Requests, Sets, Reads, AuthRequests int
	// Auths is the emulator's count of authentications, Throttled its 429s.
	Auths, Throttled int
	// FirstToLast is the time from the first to the last request received.
	FirstToLast float64
	// SandboxCPU is the CPU time of the bench process during the run: the
	// in-process emulators' (and the bench's own, which is little).
	SandboxCPU float64
}

// key identifies a cell of the report.
type key struct {
	N       int
	Subject string
	Phase   string
}

type bench struct {
	tf          string
	env         []string
	work        string
	parallelism int
	timeout     time.Duration
	cpuProfile  string
	// stopAfter ends each repetition after this phase ("": run all).
	stopAfter string
}

// repetition runs every phase on every subject for n resources, phase by
// phase, so that the subjects' runs of one phase are close in time.
func (b *bench) repetition(n, r int, subjects []*subject, rep *report) error {
	dirs := map[string]string{}
	for _, s := range subjects {
		dir := filepath.Join(b.work, fmt.Sprintf("n%d-r%d-%s", n, r+1, s.Name))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(s.config(n, 0)), 0o600); err != nil {
			return err
		}
		dirs[s.Name] = dir
	}
	for _, ph := range phases {
		for _, s := range subjects {
			smp, err := b.runPhase(s, ph, dirs[s.Name], n, fmt.Sprintf("n%d-%s-%s-r%d", n, s.Name, ph.Name, r+1))
			if err != nil {
				return fmt.Errorf("at N=%d, %s, %s: %w", n, s.Name, ph.Name, err)
			}
			k := key{N: n, Subject: s.Name, Phase: ph.Name}
			rep.Results[k] = append(rep.Results[k], smp)
			fmt.Fprintf(os.Stderr, "==> N=%-5d rep %d  %-8s %-15s %7.2fs  cpu %6.2fs  provider %6.2fs %4.0f MB  procs %d  requests %d (sets %d, reads %d, auths %d, 429s %d)  sandbox cpu %.2fs\n",
				n, r+1, ph.Name, s.Name, smp.Wall, smp.TerraformCPU, smp.ProviderCPU, float64(smp.ProviderRSSKiB)/1024,
				smp.Processes, smp.Requests, smp.Sets, smp.Reads, smp.Auths, smp.Throttled, smp.SandboxCPU)
		}
		if ph.Name == b.stopAfter {
			break
		}
	}
	return nil
}

// runPhase runs one terraform command in dir and measures it.
func (b *bench) runPhase(s *subject, ph phase, dir string, n int, label string) (sample, error) {
	rusage := filepath.Join(dir, "rusage-"+ph.Name+".jsonl")
	_ = os.Remove(rusage)
	env := append(append([]string{}, b.env...), "IDENTITY_PROVIDER_RUSAGE_FILE="+rusage)
	if b.cpuProfile != "" && s.backend != nil {
		pd := filepath.Join(b.cpuProfile, label)
		if err := os.MkdirAll(pd, 0o700); err != nil {
			return sample{}, err
		}
		env = append(env, "IDENTITY_PROVIDER_CPUPROFILE_DIR="+pd)
	}
	var authsBefore, throttledBefore int
	if be := s.backend; be != nil {
		be.base.Recorder.Clear()
		authsBefore, throttledBefore = be.auths(), be.base.Throttled()
	}

	args := append(append([]string{}, ph.args...), "-input=false", "-no-color",
		"-parallelism="+strconv.Itoa(b.parallelism), "-var", "rotation="+ph.rotation)
	logFile := filepath.Join(dir, ph.Name+".log")
	out, err := os.Create(logFile)
	if err != nil {
		return sample{}, err
	}
	defer out.Close()
	ctx, cancel := withTimeout(b.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, out, out
	start, cpuBefore := time.Now(), selfCPU()
	runErr := cmd.Run()
	wall, sandboxCPU := time.Since(start).Seconds(), selfCPU()-cpuBefore
	if runErr != nil {
		return sample{}, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), runErr, tail(logFile, 30))
	}
	if err := checkOutcome(ph, s.Baseline, n, logFile); err != nil {
		return sample{}, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(logFile, 30))
	}

	smp := sample{Wall: wall, TerraformCPU: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(), SandboxCPU: sandboxCPU}
	procs, err := readRusage(rusage)
	if err != nil {
		return sample{}, err
	}
	smp.Processes = len(procs)
	for _, p := range procs {
		smp.ProviderCPU += p.CPUSeconds
		smp.ProviderRSSKiB = max(smp.ProviderRSSKiB, p.MaxRSSKiB)
		smp.ProviderWall = max(smp.ProviderWall, p.WallSeconds)
	}
	if be := s.backend; be != nil {
		reqs := be.base.Recorder.Requests()
		smp.Requests = len(reqs)
		for _, r := range reqs {
			switch {
			case r.Status == http.StatusTooManyRequests:
				// Refused by the throttle: counted in Throttled, not as a set or read.
			case be.isAuth(r):
				smp.AuthRequests++
			case be.isSet(r):
				smp.Sets++
			case r.Method == "GET":
				smp.Reads++
			}
		}
		if len(reqs) > 0 {
			smp.FirstToLast = reqs[len(reqs)-1].Time.Sub(reqs[0].Time).Seconds()
		}
		smp.Auths = be.auths() - authsBefore
		smp.Throttled = be.base.Throttled() - throttledBefore
	}
	return smp, nil
}

// throttleResult is the throttled-throughput check.
type throttleResult struct {
	N    int
	RPS  float64
	Wall float64 // terraform apply
	// ProviderTime is what the target is judged on: the lifetime of the
	// provider process that applied the changes (Sample.ProviderWall). It
	// leaves out Terraform's own start, validation and plan, which run
	// before that process starts (in their own short-lived ones).
	ProviderTime float64
	Limit        float64 // 1.15 × N / RPS
	Sample       sample
	// BaselineWall is terraform_data's create at the same N, run just
	// before: Terraform's own share of the wall time.
	BaselineWall float64
}

// throttled applies n identity_user_password on IDaaS with the sandbox
// limited to rps and the provider's requests_per_second set to rps, and
// destroys them again.
func (b *bench) throttled(s *subject, n int, rps float64) (throttleResult, error) {
	base := baselineSubject()
	dirs := map[string]string{}
	for _, sub := range []*subject{base, s} {
		dir := filepath.Join(b.work, fmt.Sprintf("throttle-n%d-%s", n, sub.Name))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return throttleResult{}, err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(sub.config(n, rps)), 0o600); err != nil {
			return throttleResult{}, err
		}
		dirs[sub.Name] = dir
	}
	baseSmp, err := b.runPhase(base, phases[0], dirs[base.Name], n, fmt.Sprintf("throttle-n%d-%s-create", n, base.Name))
	if err != nil {
		return throttleResult{}, fmt.Errorf("baseline create: %w", err)
	}
	if _, err := b.runPhase(base, phases[len(phases)-1], dirs[base.Name], n, fmt.Sprintf("throttle-n%d-%s-destroy", n, base.Name)); err != nil {
		return throttleResult{}, fmt.Errorf("baseline destroy: %w", err)
	}
	dir := dirs[s.Name]
	s.backend.base.SetThrottle(rps)
	defer s.backend.base.SetThrottle(0)
	smp, err := b.runPhase(s, phases[0], dir, n, fmt.Sprintf("throttle-n%d-%s-create", n, s.Name))
	if err != nil {
		return throttleResult{}, fmt.Errorf("throttled create: %w", err)
	}
	fmt.Fprintf(os.Stderr, "==> throttled N=%d at %g rps: %.2fs (provider process %.2fs, first to last request %.2fs), %d requests, %d 429s\n",
		n, rps, smp.Wall, smp.ProviderWall, smp.FirstToLast, smp.Requests, smp.Throttled)
	if _, err := b.runPhase(s, phases[len(phases)-1], dir, n, fmt.Sprintf("throttle-n%d-%s-destroy", n, s.Name)); err != nil {
		return throttleResult{}, fmt.Errorf("throttled destroy: %w", err)
	}
	return throttleResult{N: n, RPS: rps, Wall: smp.Wall, ProviderTime: smp.ProviderWall, Limit: targetThrottleSlack * float64(n) / rps,
		Sample: smp, BaselineWall: baseSmp.Wall}, nil
}

// rusageLine is one line the provider's IDENTITY_PROVIDER_RUSAGE_FILE hook
// appends (see the repository's main.go).
type rusageLine struct {
	PID         int     `json:"pid"`
	CPUSeconds  float64 `json:"cpu_seconds"`
	MaxRSSKiB   int64   `json:"max_rss_kib"`
	WallSeconds float64 `json:"wall_seconds"`
}

// readRusage reads the hook's file; no file means no provider process ran.
func readRusage(file string) ([]rusageLine, error) {
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseRusage(f)
}

func parseRusage(r io.Reader) ([]rusageLine, error) {
	var out []rusageLine
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var l rusageLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			return nil, fmt.Errorf("rusage line %q: %w", line, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

var (
	applyRE   = regexp.MustCompile(`Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\.`)
	destroyRE = regexp.MustCompile(`Destroy complete! Resources: (\d+) destroyed\.`)
)

// checkOutcome makes sure the run did what the phase measures, so that a
// misconfigured run cannot pass for a fast one. Plan phases run with
// -detailed-exitcode: a planned change has already failed the command.
func checkOutcome(ph phase, baseline bool, n int, logFile string) error {
	if ph.plan {
		return nil
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		return err
	}
	return outcomeError(ph.Name, baseline, n, string(data))
}

func outcomeError(phaseName string, baseline bool, n int, output string) error {
	var want string
	switch phaseName {
	case "create":
		want = fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", n)
	case "replace":
		// terraform_data replaces; identity_user_password sets the password
		// again in place.
		want = fmt.Sprintf("Apply complete! Resources: 0 added, %d changed, 0 destroyed.", n)
		if baseline {
			want = fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, %d destroyed.", n, n)
		}
	case "destroy":
		want = fmt.Sprintf("Destroy complete! Resources: %d destroyed.", n)
	default:
		return nil
	}
	if strings.Contains(output, want) {
		return nil
	}
	got := applyRE.FindString(output)
	if got == "" {
		got = destroyRE.FindString(output)
	}
	if got == "" {
		got = "no summary line"
	}
	return fmt.Errorf("expected %q, got %q", want, got)
}

// tail returns the last n lines of a file, for error messages.
func tail(file string, n int) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// terraformVersion is the version the terraform command reports.
func terraformVersion(tf string) (string, error) {
	out, err := exec.CommandContext(context.Background(), tf, "version").Output()
	if err != nil {
		return "", fmt.Errorf("terraform version: %w", err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(strings.TrimPrefix(first, "Terraform ")), nil
}
