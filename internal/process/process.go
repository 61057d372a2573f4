// Package process prepares the provider's process before it serves
// Terraform, and measures it when `make bench` asks. main.go calls Start
// before serving and the function it returns once Terraform has stopped
// the plugin.
//
// Two settings save CPU on every run (docs/guides/performance.md measured
// both): plugin logs that Terraform would discard are turned off, and the
// garbage collector runs less often. Two opt-in hooks, off unless their
// environment variable is set, measure the process for the bench
// (internal/sandbox/cmd/identity-bench): a CPU and heap profile, and a line
// of CPU time and peak RSS.
package process

import (
	"log"
	"os"
	"runtime/debug"
	"strings"
)

// Start applies the process settings (under -debug, where the logs go to
// the operator's terminal, the log levels are left alone), starts the
// opt-in measurements, and returns the function that ends them. Serve returns when Terraform stops
// the plugin; Terraform waits a short while before killing it, and what the
// function writes takes well under that.
func Start(debugging bool) (stop func()) {
	silenceUnreadLogs(debugging)
	tuneGC()
	stopProfile := startProfile(os.Getenv(EnvProfileDir))
	return func() {
		stopProfile()
		if f := os.Getenv(EnvRusageFile); f != "" {
			if err := appendRusage(f); err != nil {
				log.Printf("[WARN] %s: %v", EnvRusageFile, err)
			}
		}
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
func silenceUnreadLogs(debugging bool) {
	if debugging || terraformKeepsProviderLogs() {
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
