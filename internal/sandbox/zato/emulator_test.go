package zato

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func (a answer) subStatus() []string {
	var out []string
	list, _ := a.body["sub_status"].([]any)
	for _, v := range list {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func call(t *testing.T, srv *httptest.Server, method, path string, body map[string]any) answer {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	} else {
		rd = bytes.NewReader(nil)
	}
	u := srv.URL + path
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	a := answer{status: resp.StatusCode, raw: buf.String()}
	_ = json.Unmarshal(buf.Bytes(), &a.body)
	return a
}

func newServer(t *testing.T) (*Emulator, *httptest.Server) {
	t.Helper()
	return emutest.Start(t, NewAt(t0))
}

func login(t *testing.T, srv *httptest.Server, username, password string) string {
	t.Helper()
	a := call(t, srv, http.MethodPost, "/zato/sso/user/login",
		map[string]any{"username": username, "password": password, "current_app": TestCurrentApp})
	ust, _ := a.body["ust"].(string)
	if a.status != http.StatusOK || a.body["status"] != "ok" || ust == "" {
		t.Fatalf("login as %s: HTTP %d %s", username, a.status, a.raw)
	}
	return ust
}

func TestThrottleAndRecording(t *testing.T) {
	e, srv := newServer(t)
	e.SetThrottle(1)
	var limited answer
	for range 5 {
		if a := call(t, srv, http.MethodPost, "/zato/sso/user/login",
			map[string]any{"username": TestUsername, "password": TestPassword, "current_app": TestCurrentApp}); a.status == 429 {
			limited = a
		}
	}
	if limited.status != 429 || limited.body["status"] != "error" || limited.body["cid"] == "" || e.Throttled() == 0 {
		t.Fatalf("throttle: %+v", limited)
	}
	if got := e.Recorder.Count(http.MethodPost, "/zato/sso/user/login"); got != 5 {
		t.Fatalf("recorded %d logins", got)
	}
	if len(e.IssuedUSTs()) != e.Logins() {
		t.Fatalf("%d USTs for %d logins", len(e.IssuedUSTs()), e.Logins())
	}
}
