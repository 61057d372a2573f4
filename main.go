package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/identityops/terraform-provider-identity/internal/provider"
)

// version is set by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

// Opt-in measurement hooks for `make bench` (internal/sandbox/cmd/identity-bench).
// Unset, they cost one environment lookup each.
const (
	// envCPUProfileDir: write a CPU profile of this process to
	// <dir>/cpu-<pid>.pprof, and a heap profile of what is still live when
	// Terraform stops it to <dir>/heap-<pid>.pprof.
	envCPUProfileDir = "IDENTITY_PROVIDER_CPUPROFILE_DIR"
	// envRusageFile: append one JSON line with this process's CPU seconds and
	// peak RSS when Terraform stops it.
	envRusageFile = "IDENTITY_PROVIDER_RUSAGE_FILE"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	silenceUnreadLogs(debug)
	tuneGC()
	stopProfile := startCPUProfile(os.Getenv(envCPUProfileDir))
	// What providerserver.Serve does, with the framework's server wrapped
	// (provider.NewProtocol6Server says why).
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/identityops/identity", provider.NewProtocol6Server(version), opts...)
	// Serve returns when Terraform stops the plugin; Terraform waits a short
	// while before killing it, and these two writes take well under that.
	stopProfile()
	if f := os.Getenv(envRusageFile); f != "" {
		if rerr := appendRusage(f); rerr != nil {
			log.Printf("[WARN] %s: %v", envRusageFile, rerr)
		}
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}

// pluginLogLevelVars set the levels of terraform-plugin-go (TF_LOG_SDK,
// TF_LOG_SDK_PROTO), terraform-plugin-framework (TF_LOG_SDK_FRAMEWORK) and
// the provider's own tflog logger (TF_LOG_PROVIDER_<type>). Unset, each
// defaults to TRACE: every RPC writes dozens of JSON lines to stderr.
var pluginLogLevelVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_IDENTITY"}

// silenceUnreadLogs turns the plugin's logging off when Terraform would
// discard it anyway: Terraform keeps a provider's log lines only when
// TF_LOG_PROVIDER, or else TF_LOG, names a level (its providerLogLevel), and
// the plugin inherits Terraform's environment. Without this, the framework
// logs every RPC at TRACE level and Terraform parses and drops every line:
// `make bench` measured this as about 40% of the provider's CPU and a fifth
// of Terraform's own on create (see docs/guides/performance.md). A level the
// operator set explicitly is kept, and so is everything under -debug, where
// the output goes to the operator's terminal.
func silenceUnreadLogs(debug bool) {
	if debug || terraformKeepsProviderLogs() {
		return
	}
	for _, name := range pluginLogLevelVars {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, "off")
		}
	}
}

// terraformKeepsProviderLogs mirrors Terraform's providerLogLevel:
// TF_LOG_PROVIDER, else TF_LOG; empty or "off" means no provider logs.
func terraformKeepsProviderLogs() bool {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	return level != "" && !strings.EqualFold(level, "off")
}

// GC settings for a provider process, unless GOGC or GOMEMLIMIT say
// otherwise. A process lives for one Terraform command and keeps 3–4 MB
// live (schemas, HTTP client), while the framework allocates over a
// megabyte per resource and RPC round: at the default GOGC=100 and its 4 MB
// minimum heap, the collector ran every few resources. `make bench` at
// N = 1000 measured provider CPU −25% at GOGC=200 for a peak RSS of 44 MB
// instead of 37 (GOGC=400: −35%, but 55–68 MB, over the 60 MB target). The
// memory limit is a safety net: should the live heap ever grow, the
// collector runs more often rather than the RSS growing past it.
const (
	gcPercent   = 200
	memoryLimit = 48 << 20
)

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// startCPUProfile starts a CPU profile into dir when dir is set, and returns
// the function that stops it.
func startCPUProfile(dir string) func() {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid()))) //nolint:gosec // a directory the operator chose to opt in
	if err != nil {
		log.Printf("[WARN] %s: %v", envCPUProfileDir, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("[WARN] %s: %v", envCPUProfileDir, err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("[WARN] %s: %v", envCPUProfileDir, err)
		}
		if err := writeHeapProfile(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid()))); err != nil {
			log.Printf("[WARN] %s: %v", envCPUProfileDir, err)
		}
	}
}

// writeHeapProfile writes the heap profile (after a GC, so that in-use
// figures are what is still reachable) to file.
func writeHeapProfile(file string) error {
	f, err := os.Create(file) //nolint:gosec // a directory the operator chose to opt in
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// rusageLine is one line of the rusage file.
type rusageLine struct {
	PID        int     `json:"pid"`
	CPUSeconds float64 `json:"cpu_seconds"` // user + system
	MaxRSSKiB  int64   `json:"max_rss_kib"`
	WallSecs   float64 `json:"wall_seconds"`
}

var processStart = time.Now()

// appendRusage appends this process's CPU time and peak RSS to file as one
// JSON line (one write, O_APPEND: concurrent provider processes do not
// interleave).
//
// It reads /proc/self/stat and /proc/self/status rather than calling
// syscall.Getrusage(RUSAGE_SELF), which does not exist on Windows, a release
// target: the figures are the same (utime+stime, VmHWM = ru_maxrss), and the
// hook reports an error elsewhere than on Linux, where the benchmark runs.
func appendRusage(file string) error {
	cpu, err := procCPUSeconds()
	if err != nil {
		return err
	}
	rss, err := procMaxRSSKiB()
	if err != nil {
		return err
	}
	line, err := json.Marshal(rusageLine{PID: os.Getpid(), CPUSeconds: cpu, MaxRSSKiB: rss, WallSecs: time.Since(processStart).Seconds()})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600) //nolint:gosec // a file the operator chose to opt in
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// clockTicks is USER_HZ, fixed at 100 by the Linux ABI on every architecture
// Go supports.
const clockTicks = 100

// procCPUSeconds is utime + stime of /proc/self/stat (fields 14 and 15,
// counted after the parenthesised command name, which may hold spaces).
func procCPUSeconds() (float64, error) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, err
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("unexpected /proc/self/stat format")
	}
	// After ")": state is field 3, so utime (14) and stime (15) are at 11, 12.
	fields := strings.Fields(s[i+1:])
	if len(fields) < 13 {
		return 0, errors.New("unexpected /proc/self/stat format")
	}
	utime, err := strconv.ParseInt(fields[11], 10, 64)
	if err != nil {
		return 0, err
	}
	stime, err := strconv.ParseInt(fields[12], 10, 64)
	if err != nil {
		return 0, err
	}
	return float64(utime+stime) / clockTicks, nil
}

// procMaxRSSKiB is VmHWM of /proc/self/status, the peak resident set size.
func procMaxRSSKiB() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}
