package process

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env       map[string]string
		debugging bool
		want      map[string]string // "" for unset
	}{
		{name: "Terraform keeps no provider logs", want: map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER_IDENTITY": "off"}},
		{name: "TF_LOG=off", env: map[string]string{"TF_LOG": "OFF"}, want: map[string]string{"TF_LOG_SDK_PROTO": "off"}},
		{name: "a level set explicitly is kept", env: map[string]string{"TF_LOG_SDK_FRAMEWORK": "debug"},
			want: map[string]string{"TF_LOG_SDK_FRAMEWORK": "debug", "TF_LOG_SDK": "off"}},
		{name: "TF_LOG keeps them", env: map[string]string{"TF_LOG": "trace"}, want: map[string]string{"TF_LOG_SDK": "", "TF_LOG_PROVIDER_IDENTITY": ""}},
		{name: "TF_LOG_PROVIDER keeps them", env: map[string]string{"TF_LOG_PROVIDER": "debug", "TF_LOG": "off"}, want: map[string]string{"TF_LOG_SDK": ""}},
		{name: "-debug keeps them", debugging: true, want: map[string]string{"TF_LOG_SDK": "", "TF_LOG_SDK_FRAMEWORK": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, pluginLogLevelVars...) {
				t.Setenv(name, "")
				_ = os.Unsetenv(name) // t.Setenv restores the original after the test
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			silenceUnreadLogs(tc.debugging)
			for k, want := range tc.want {
				if got := os.Getenv(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestParseStatCPUSeconds(t *testing.T) {
	// pid (comm with spaces and a paren) state ppid ... utime=250 stime=50 ...
	stat := "4242 (terraform-provider (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 12 0 100 1000000 2000"
	got, err := parseStatCPUSeconds(stat)
	if err != nil || got != 3 {
		t.Fatalf("parseStatCPUSeconds = %v, %v; want 3 s", got, err)
	}
	if _, err := parseStatCPUSeconds("4242 terraform S 1"); err == nil {
		t.Error("a line without the parenthesised command name was read")
	}
}

func TestAppendRusage(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: the hook reports an error off Linux, where the bench does not run")
	}
	file := filepath.Join(t.TempDir(), "rusage.jsonl")
	for range 2 {
		if err := appendRusage(file); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for i := range 2 {
		var l rusageLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if l.PID != os.Getpid() || l.MaxRSSKiB <= 0 || l.CPUSeconds < 0 || l.WallSecs <= 0 {
			t.Errorf("line %d = %+v", i+1, l)
		}
	}
}
