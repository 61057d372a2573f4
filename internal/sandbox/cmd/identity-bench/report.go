package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is everything the markdown is rendered from.
type report struct {
	Terraform   string
	Platform    string
	Date        string
	Parallelism int
	// Reps is the number of repetitions at each of Sizes.
	Reps     []int
	Sizes    []int
	Quick    bool
	ExtraEnv []string
	Subjects []subjectInfo
	// Results holds the samples of each cell in repetition order, so that
	// the i-th samples of two subjects ran side by side.
	Results  map[key][]sample
	Throttle *throttleResult
	Elapsed  time.Duration
}

// Targets of issue #6, at N = 1000 and -parallelism=10.
const (
	targetCreateCPUMs   = 6.0
	targetRSSMB         = 60.0
	targetWallRatio     = 1.9 // create and destroy
	targetPlanRatio     = 7.0 // refresh and plan -refresh=false
	targetThrottleSlack = 1.15
)

// median of xs (the mean of the middle two for an even count); NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// med is the median of one field over the samples.
func med(ss []sample, f func(sample) float64) float64 {
	xs := make([]float64, len(ss))
	for i, s := range ss {
		xs[i] = f(s)
	}
	return median(xs)
}

// pairedRatio is the median over repetitions of the ratio of each run to
// the baseline run of the same repetition (they ran minutes apart at most,
// under the same machine load).
func pairedRatio(subj, base []sample) float64 {
	var xs []float64
	for i := range min(len(subj), len(base)) {
		if base[i].Wall > 0 {
			xs = append(xs, subj[i].Wall/base[i].Wall)
		}
	}
	return median(xs)
}

// row is one rendered line of the results table, medians throughout.
type row struct {
	N                 int
	Subject           subjectInfo
	Phase             phase
	Wall, Ratio       float64
	TerraformCPU      float64
	ProviderCPU       float64
	ProviderMsPerRes  float64
	ProviderRSSMB     float64
	Processes         float64
	Requests, Sets    float64
	Reads, Auths, TMR float64
	SandboxCPU        float64
}

func (r *report) row(n int, s subjectInfo, ph phase) (row, bool) {
	ss := r.Results[key{N: n, Subject: s.Name, Phase: ph.Name}]
	if len(ss) == 0 {
		return row{}, false
	}
	base := r.Results[key{N: n, Subject: "terraform_data", Phase: ph.Name}]
	out := row{
		N: n, Subject: s, Phase: ph,
		Wall:          med(ss, func(x sample) float64 { return x.Wall }),
		Ratio:         pairedRatio(ss, base),
		TerraformCPU:  med(ss, func(x sample) float64 { return x.TerraformCPU }),
		ProviderCPU:   med(ss, func(x sample) float64 { return x.ProviderCPU }),
		ProviderRSSMB: med(ss, func(x sample) float64 { return float64(x.ProviderRSSKiB) / 1024 }),
		Processes:     med(ss, func(x sample) float64 { return float64(x.Processes) }),
		Requests:      med(ss, func(x sample) float64 { return float64(x.Requests) }),
		Sets:          med(ss, func(x sample) float64 { return float64(x.Sets) }),
		Reads:         med(ss, func(x sample) float64 { return float64(x.Reads) }),
		Auths:         med(ss, func(x sample) float64 { return float64(x.Auths) }),
		TMR:           med(ss, func(x sample) float64 { return float64(x.Throttled) }),
		SandboxCPU:    med(ss, func(x sample) float64 { return x.SandboxCPU }),
	}
	out.ProviderMsPerRes = out.ProviderCPU * 1000 / float64(n)
	return out, true
}

// num renders a median: integers without decimals, others with prec.
func num(v float64, prec int) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v == math.Trunc(v) && prec == 0:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case prec == 0:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// repetitions says how many repetitions the figures are medians of:
// "medians of 3 repetitions", "1 repetition", or per size,
// "medians of 3 repetitions (1 at N = 1000)".
func repetitions(sizes, reps []int) string {
	count := func(n int) string {
		if n == 1 {
			return "1 repetition"
		}
		return fmt.Sprintf("medians of %d repetitions", n)
	}
	if len(reps) == 0 {
		return count(1)
	}
	// The most frequent count (the first of a tie) is the rule, the others
	// the exceptions.
	most := reps[0]
	for _, n := range reps {
		if countOf(reps, n) > countOf(reps, most) {
			most = n
		}
	}
	var others []string
	for i, n := range reps {
		if n != most {
			others = append(others, fmt.Sprintf("%d at N = %d", n, sizes[i]))
		}
	}
	if len(others) == 0 {
		return count(most)
	}
	return count(most) + " (" + strings.Join(others, ", ") + ")"
}

func countOf(xs []int, x int) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

func (r *report) markdown() string {
	var b strings.Builder
	mode := repetitions(r.Sizes, r.Reps)
	if r.Quick {
		mode += " (BENCH_QUICK=1)"
	}
	fmt.Fprintf(&b, "Terraform %s, %s, `-parallelism=%d`, %s, %s, %.0f s in all.\n\n",
		r.Terraform, r.Platform, r.Parallelism, mode, r.Date, r.Elapsed.Seconds())
	if len(r.ExtraEnv) > 0 {
		fmt.Fprintf(&b, "Extra environment: `%s`.\n\n", strings.Join(r.ExtraEnv, " "))
	}
	b.WriteString("| N | resource | phase | wall s | × terraform_data | Terraform CPU s | provider CPU s | provider ms / resource | provider peak RSS MB | provider processes | API requests | password sets | reads | authentications | 429s | sandbox CPU s |\n")
	b.WriteString("|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, n := range r.Sizes {
		for _, ph := range phases {
			for _, s := range r.Subjects {
				rw, ok := r.row(n, s, ph)
				if !ok {
					continue
				}
				dash := "—"
				cells := []string{strconv.Itoa(n), s.Label, ph.Title, num(rw.Wall, 2), num(rw.Ratio, 2), num(rw.TerraformCPU, 2)}
				if s.Baseline {
					cells = append(cells, dash, dash, dash, dash, dash, dash, dash, dash, dash, dash)
				} else {
					cells = append(cells, num(rw.ProviderCPU, 2), num(rw.ProviderMsPerRes, 2), num(rw.ProviderRSSMB, 0),
						num(rw.Processes, 0), num(rw.Requests, 0), num(rw.Sets, 0), num(rw.Reads, 0), num(rw.Auths, 0), num(rw.TMR, 0),
						num(rw.SandboxCPU, 2))
				}
				b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
			}
		}
	}
	b.WriteString("\nwall s and × terraform_data: each run's wall time, and its ratio to the terraform_data run of the same " +
		"repetition, which ran interleaved with it. Terraform CPU s: user + system time of the terraform command and every " +
		"plugin it ran. Provider columns come from the provider's `IDENTITY_PROVIDER_RUSAGE_FILE` hook: CPU summed over the " +
		"provider processes of the phase, peak RSS of the largest. Requests are counted by the sandbox's emulators; " +
		"authentications include any retried ones. Sandbox CPU s: the CPU time of the bench process, which hosts the " +
		"emulators, during the run (the sandbox measured apart from the provider). Destroy runs with `-refresh=false`; replace-all refreshes first, as a plain " +
		"`terraform apply` does.\n")

	if n := r.Sizes[len(r.Sizes)-1]; len(r.Subjects) > 1 {
		fmt.Fprintf(&b, "\n### Targets at N = %d\n\n", n)
		if n != 1000 {
			b.WriteString("The targets are set for N = 1000; this run's largest N is shown instead.\n\n")
		}
		b.WriteString("| target |")
		var backends []subjectInfo
		for _, s := range r.Subjects {
			if !s.Baseline {
				backends = append(backends, s)
				b.WriteString(" " + s.Label + " |")
			}
		}
		b.WriteString("\n|---|" + strings.Repeat("---|", len(backends)) + "\n")
		for _, t := range targets {
			b.WriteString("| " + t.name + " |")
			for _, s := range backends {
				b.WriteString(" " + t.check(r, n, s) + " |")
			}
			b.WriteString("\n")
		}
	}

	if t := r.Throttle; t != nil {
		verdict := "met"
		if t.ProviderTime > t.Limit || t.Sample.Throttled > 0 {
			verdict = "**missed**"
		}
		fmt.Fprintf(&b, "\n### Throttled throughput\n\n"+
			"The IDaaS emulator limited to %g requests per second (429 beyond), the provider's `requests_per_second = %g`, "+
			"%d identity_user_password created with `-parallelism=%d`, 1 run.\n\n"+
			"| N | provider time s | limit s (1.15 × N / rate) | first to last request s | terraform apply wall s | terraform_data create s (same N) | API requests | password sets | authentications | 429s | target |\n"+
			"|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n"+
			"| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %d | %d | %s |\n\n"+
			"Provider time is the lifetime of the provider process that applied the changes, from its start to its "+
			"exit: its start-up, configuration, authentication, every request and Terraform's handling of each answer. "+
			"It leaves out Terraform's own start, validation and plan, which run before that process starts. The "+
			"target is judged on it and on the 429s; the apply's wall time is shown for comparison.\n",
			t.RPS, t.RPS, t.N, r.Parallelism, t.N, t.ProviderTime, t.Limit, t.Sample.FirstToLast, t.Wall, t.BaselineWall,
			t.Sample.Requests, t.Sample.Sets, t.Sample.Auths, t.Sample.Throttled, verdict)
	}
	return b.String()
}

// target is one line of the targets table.
type target struct {
	name  string
	check func(r *report, n int, s subjectInfo) string
}

func verdict(ok bool, got string) string {
	if ok {
		return "met (" + got + ")"
	}
	return "**missed** (" + got + ")"
}

// cell returns the row of one phase, or ok=false.
func cell(r *report, n int, s subjectInfo, name string) (row, bool) {
	for _, ph := range phases {
		if ph.Name == name {
			return r.row(n, s, ph)
		}
	}
	return row{}, false
}

func countTarget(name, phaseName string, ok func(rw row, n int) bool, got func(rw row) string) target {
	return target{name: name, check: func(r *report, n int, s subjectInfo) string {
		rw, found := cell(r, n, s, phaseName)
		if !found {
			return "—"
		}
		return verdict(ok(rw, n), got(rw))
	}}
}

var targets = []target{
	countTarget("exactly N password sets on create", "create",
		func(rw row, n int) bool { return rw.Sets == float64(n) },
		func(rw row) string { return num(rw.Sets, 0) }),
	countTarget("exactly N password sets on replace-all", "replace",
		func(rw row, n int) bool { return rw.Sets == float64(n) },
		func(rw row) string { return num(rw.Sets, 0) }),
	countTarget("at most N reads, no set, on refresh", "refresh",
		func(rw row, n int) bool { return rw.Reads <= float64(n) && rw.Sets == 0 },
		func(rw row) string { return num(rw.Reads, 0) + " reads, " + num(rw.Sets, 0) + " sets" }),
	countTarget("no request on `plan -refresh=false`", "plan",
		func(rw row, _ int) bool { return rw.Requests == 0 },
		func(rw row) string { return num(rw.Requests, 0) }),
	countTarget("no request on destroy", "destroy",
		func(rw row, _ int) bool { return rw.Requests == 0 },
		func(rw row) string { return num(rw.Requests, 0) }),
	{name: "at most one authentication per provider process (every phase)", check: func(r *report, n int, s subjectInfo) string {
		ok, auths, procs := true, 0.0, 0.0
		for _, ph := range phases {
			rw, found := r.row(n, s, ph)
			if !found {
				continue
			}
			auths += rw.Auths
			procs += rw.Processes
			ok = ok && rw.Auths <= rw.Processes
		}
		return verdict(ok, fmt.Sprintf("%s authentications, %s processes", num(auths, 0), num(procs, 0)))
	}},
	countTarget(fmt.Sprintf("provider CPU ≤ %g ms per resource on create", targetCreateCPUMs), "create",
		func(rw row, _ int) bool { return rw.ProviderMsPerRes <= targetCreateCPUMs },
		func(rw row) string { return num(rw.ProviderMsPerRes, 2) + " ms" }),
	{name: fmt.Sprintf("provider peak RSS ≤ %g MB (every phase)", targetRSSMB), check: func(r *report, n int, s subjectInfo) string {
		peak := 0.0
		for _, ph := range phases {
			if rw, found := r.row(n, s, ph); found {
				peak = max(peak, rw.ProviderRSSMB)
			}
		}
		return verdict(peak <= targetRSSMB, num(peak, 0)+" MB")
	}},
	ratioTarget(targetWallRatio, "create", "create"),
	ratioTarget(targetWallRatio, "destroy", "destroy"),
	ratioTarget(targetPlanRatio, "refresh", "refresh (`plan`)"),
	ratioTarget(targetPlanRatio, "plan", "`plan -refresh=false`"),
}

// ratioTarget is "wall ≤ limit × terraform_data" in a phase, described as what.
func ratioTarget(limit float64, phase, what string) target {
	return countTarget(fmt.Sprintf("wall ≤ %g × terraform_data on %s", limit, what), phase,
		func(rw row, _ int) bool { return rw.Ratio <= limit },
		func(rw row) string { return num(rw.Ratio, 2) + "×" })
}
