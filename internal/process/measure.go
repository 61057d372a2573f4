package process

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// The opt-in measurement hooks of `make bench`
// (internal/sandbox/cmd/identity-bench sets them). Unset, they cost one
// environment lookup each.
const (
	// EnvProfileDir: write a CPU profile of this process to
	// <dir>/cpu-<pid>.pprof, and a heap profile of what is still live when
	// Terraform stops it to <dir>/heap-<pid>.pprof.
	EnvProfileDir = "IDENTITY_PROVIDER_CPUPROFILE_DIR"
	// EnvRusageFile: append one JSON line with this process's CPU seconds
	// and peak RSS when Terraform stops it.
	EnvRusageFile = "IDENTITY_PROVIDER_RUSAGE_FILE"
)

// startProfile starts a CPU profile into dir when dir is set, and returns
// the function that stops it and writes the heap profile.
func startProfile(dir string) func() {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid()))) //nolint:gosec // a directory the operator chose to opt in
	if err != nil {
		log.Printf("[WARN] %s: %v", EnvProfileDir, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("[WARN] %s: %v", EnvProfileDir, err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("[WARN] %s: %v", EnvProfileDir, err)
		}
		if err := writeHeapProfile(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid()))); err != nil {
			log.Printf("[WARN] %s: %v", EnvProfileDir, err)
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

// rusageLine is one line of the rusage file; the bench reads it
// (identity-bench's rusageLine).
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

// procCPUSeconds is utime + stime of /proc/self/stat.
func procCPUSeconds() (float64, error) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, err
	}
	return parseStatCPUSeconds(string(data))
}

// parseStatCPUSeconds reads utime and stime, fields 14 and 15 of a
// /proc/<pid>/stat line, counted after the parenthesised command name,
// which may hold spaces.
func parseStatCPUSeconds(stat string) (float64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("unexpected /proc/self/stat format")
	}
	// After ")": state is field 3, so utime (14) and stime (15) are at 11, 12.
	fields := strings.Fields(stat[i+1:])
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
