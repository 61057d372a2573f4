package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want float64
	}{
		{"one", []float64{3}, 3},
		{"odd, unsorted", []float64{9, 1, 5}, 5},
		{"even: mean of the middle two", []float64{4, 1, 3, 2}, 2.5},
		{"outlier ignored", []float64{1.0, 1.1, 40}, 1.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64{}, tc.in...)
			if got := median(tc.in); got != tc.want {
				t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
			}
			for i := range in {
				if in[i] != tc.in[i] {
					t.Fatalf("median reordered its input: %v", tc.in)
				}
			}
		})
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestPairedRatio(t *testing.T) {
	// Each repetition's run is compared with the baseline run of the same
	// repetition: a slow repetition (machine load) slows both.
	subj := []sample{{Wall: 20}, {Wall: 40}, {Wall: 22}}
	base := []sample{{Wall: 10}, {Wall: 20}, {Wall: 10}}
	if got, want := pairedRatio(subj, base), 2.0; got != want {
		t.Errorf("pairedRatio = %v, want %v", got, want)
	}
	if got := pairedRatio(subj, nil); !math.IsNaN(got) {
		t.Errorf("pairedRatio without baseline = %v, want NaN", got)
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		prec int
		want string
	}{
		{1000, 0, "1000"},
		{2.5, 0, "2.5"},
		{1.234, 2, "1.23"},
		{math.NaN(), 2, "—"},
	} {
		if got := num(tc.v, tc.prec); got != tc.want {
			t.Errorf("num(%v, %d) = %q, want %q", tc.v, tc.prec, got, tc.want)
		}
	}
}

func TestRotate(t *testing.T) {
	s := []string{"a", "b", "c"}
	for r, want := range []string{"abc", "bca", "cab", "abc"} {
		if got := strings.Join(rotate(s, r), ""); got != want {
			t.Errorf("rotate(%d) = %q, want %q", r, got, want)
		}
	}
	if strings.Join(s, "") != "abc" {
		t.Errorf("rotate changed its input: %v", s)
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("100, 500,1000")
	if err != nil || len(got) != 3 || got[0] != 100 || got[2] != 1000 {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "ten", "100,"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q): want an error", bad)
		}
	}
}

func TestParseRusage(t *testing.T) {
	in := `{"pid":1,"cpu_seconds":0.5,"max_rss_kib":40000,"wall_seconds":2}

{"pid":2,"cpu_seconds":1.25,"max_rss_kib":52000}
`
	got, err := parseRusage(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].PID != 2 || got[1].CPUSeconds != 1.25 || got[0].MaxRSSKiB != 40000 || got[0].WallSeconds != 2 {
		t.Errorf("parseRusage = %+v", got)
	}
	if _, err := parseRusage(strings.NewReader("not json\n")); err == nil {
		t.Error("parseRusage of a broken line: want an error")
	}
}

func TestOutcomeError(t *testing.T) {
	for _, tc := range []struct {
		name     string
		phase    string
		baseline bool
		output   string
		ok       bool
	}{
		{"create", "create", false, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.", true},
		{"create, short", "create", false, "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.", false},
		{"replace in place", "replace", false, "Apply complete! Resources: 0 added, 3 changed, 0 destroyed.", true},
		{"terraform_data replaces", "replace", true, "Apply complete! Resources: 3 added, 0 changed, 3 destroyed.", true},
		{"replace did nothing", "replace", false, "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.", false},
		{"destroy", "destroy", false, "Destroy complete! Resources: 3 destroyed.", true},
		{"destroy without summary", "destroy", false, "Error: something", false},
		{"plans are checked by their exit code", "plan", false, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := outcomeError(tc.phase, tc.baseline, 3, "noise\n"+tc.output+"\n")
			if (err == nil) != tc.ok {
				t.Errorf("outcomeError = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// testReport is a report with one repetition of every phase at N = 1000:
// the baseline takes 1 s per phase, IDaaS 1.5 s.
func testReport() *report {
	r := &report{
		Terraform: "v1.11.4", Platform: "linux/amd64, 2 CPUs", Date: "2025-01-01", Parallelism: 10, Reps: []int{1},
		Sizes:    []int{1000},
		Subjects: []subjectInfo{{Name: "terraform_data", Label: "terraform_data", Baseline: true}, {Name: "idaas", Label: "IDaaS"}},
		Results:  map[key][]sample{},
	}
	for _, ph := range phases {
		r.Results[key{1000, "terraform_data", ph.Name}] = []sample{{Wall: 1, TerraformCPU: 0.5}}
		s := sample{Wall: 1.5, TerraformCPU: 3, ProviderCPU: 4, ProviderRSSKiB: 50 * 1024, Processes: 4, Auths: 1, SandboxCPU: 0.25}
		switch ph.Name {
		case "create", "replace":
			s.Sets, s.Requests = 1000, 1001
		case "refresh":
			s.Reads, s.Requests = 2000, 2001
		}
		r.Results[key{1000, "idaas", ph.Name}] = []sample{s}
	}
	return r
}

func TestMarkdown(t *testing.T) {
	md := testReport().markdown()
	for _, want := range []string{
		"Terraform v1.11.4, linux/amd64, 2 CPUs, `-parallelism=10`, 1 repetition",
		"| 1000 | terraform_data | create (`apply`) | 1.00 | 1.00 | 0.50 | — |",
		"| 1000 | IDaaS | create (`apply`) | 1.50 | 1.50 | 3.00 | 4.00 | 4.00 | 50 | 4 | 1001 | 1000 | 0 | 1 | 0 | 0.25 |",
		"destroy (`destroy -refresh=false`)",
		"### Targets at N = 1000",
		"| exactly N password sets on create | met (1000) |",
		"| at most N reads, no set, on refresh | **missed** (2000 reads, 0 sets) |",
		"| provider CPU ≤ 6 ms per resource on create | met (4.00 ms) |",
		"| provider peak RSS ≤ 60 MB (every phase) | met (50 MB) |",
		"| wall ≤ 1.9 × terraform_data on create | met (1.50×) |",
		"| at most one authentication per provider process (every phase) | met (5 authentications, 20 processes) |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Throttled throughput") {
		t.Error("markdown has a throttle section without a throttle result")
	}
	if strings.Contains(md, "this run's largest N is shown instead") {
		t.Error("N = 1000 flagged as not the target size")
	}
}

func TestMarkdownThrottle(t *testing.T) {
	r := testReport()
	r.Throttle = &throttleResult{N: 200, RPS: 20, Wall: 13, ProviderTime: 12, Limit: 11.5, BaselineWall: 2,
		Sample: sample{Requests: 201, Sets: 200, Auths: 1, FirstToLast: 10}}
	md := r.markdown()
	if !strings.Contains(md, "| 200 | 12.00 | 11.50 | 10.00 | 13.00 | 2.00 | 201 |") || !strings.Contains(md, "**missed** |") {
		t.Errorf("throttle section wrong:\n%s", md)
	}
	// Judged on provider time, not on the apply's wall time.
	r.Throttle.ProviderTime = 11
	if md := r.markdown(); !strings.Contains(md, "| 0 | met |") {
		t.Errorf("throttle within the limit and without 429s should be met:\n%s", md)
	}
	r.Throttle.Sample.Throttled = 1
	if md := r.markdown(); !strings.Contains(md, "| 1 | **missed** |") {
		t.Errorf("a 429 should miss the target:\n%s", md)
	}
}

func TestConfig(t *testing.T) {
	idaasSubject := &subject{subjectInfo: subjectInfo{Name: "idaas"}, backend: &backendProbe{block: "entrust_idaas {}", userIDFormat: "be4c0000-0000-4000-8000-%012d"}}
	cfg := idaasSubject.config(1000, 20)
	for _, want := range []string{"count    = 1000", `format("be4c0000-0000-4000-8000-%012d", count.index)`, "requests_per_second = 20", "entrust_idaas {}", "triggers = { rotation = var.rotation }"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
	if cfg := idaasSubject.config(10, 0); strings.Contains(cfg, "requests_per_second") {
		t.Errorf("requests_per_second set without a rate:\n%s", cfg)
	}
	if cfg := baselineSubject().config(5, 0); !strings.Contains(cfg, `resource "terraform_data" "bench"`) || !strings.Contains(cfg, "triggers_replace = var.rotation") {
		t.Errorf("baseline config:\n%s", cfg)
	}
}

func TestRepetitions(t *testing.T) {
	sizes := []int{100, 500, 1000}
	for _, tc := range []struct {
		reps []int
		want string
	}{
		{[]int{3, 3, 3}, "medians of 3 repetitions"},
		{[]int{1, 1, 1}, "1 repetition"},
		{[]int{3, 3, 1}, "medians of 3 repetitions (1 at N = 1000)"},
		{[]int{1, 2, 2}, "medians of 2 repetitions (1 at N = 100)"},
	} {
		if got := repetitions(sizes, tc.reps); got != tc.want {
			t.Errorf("repetitions(%v) = %q, want %q", tc.reps, got, tc.want)
		}
	}
}

func TestParseReps(t *testing.T) {
	if got, err := parseReps("3,3,1", 3); err != nil || !slices.Equal(got, []int{3, 3, 1}) {
		t.Errorf("parseReps(3,3,1) = %v, %v", got, err)
	}
	if got, err := parseReps("2", 3); err != nil || !slices.Equal(got, []int{2, 2, 2}) {
		t.Errorf("parseReps(2) = %v, %v", got, err)
	}
	for _, bad := range []string{"3,1", "0", "x", "3,,1"} {
		if _, err := parseReps(bad, 3); err == nil {
			t.Errorf("parseReps(%q) accepted", bad)
		}
	}
}
