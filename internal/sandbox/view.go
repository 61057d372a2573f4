package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// SystemView is one identity system of the sandbox as `identity-sandbox
// users` and the admin page show it: its users and the emails it would
// have sent, never a password (emu.UserView has no field for one).
type SystemView struct {
	Name   string          `json:"name"`
	URL    string          `json:"url,omitempty"`
	Users  []emu.UserView  `json:"users"`
	Emails []emu.EmailView `json:"emails,omitempty"`
	// Note says what the system does not keep or report.
	Note string `json:"note,omitempty"`
}

// Views shows every identity system of the sandbox; zatoServer is the fake
// Zato server path of the CLI transport ("" for none).
func (s *Sandbox) Views(zatoServer string) []SystemView {
	views := []SystemView{
		{Name: "Entrust IDaaS", URL: s.IDaaSURL, Users: s.IDaaS.Users(), Emails: s.IDaaS.Emails()},
		{Name: "AWS FinSpace", URL: s.FinSpaceURL, Users: s.FinSpace.Users(),
			Note: "temporary passwords: 7 days, changed at first login"},
		{Name: "Huawei Identity Center", URL: s.HuaweiURL, Users: s.Huawei.Users(), Emails: s.Huawei.Emails(),
			Note: "keeps no password times: last change is the last one-time password the sandbox issued; no expiry is published"},
		{Name: "OCARIoT", URL: s.OCARIoTURL, Users: s.OCARIoT.Users(),
			Note: "keeps no password times: last change is the last set the sandbox received; no expiry, no must-change flag"},
		{Name: "Zato SSO", URL: s.ZatoURL, Users: s.Zato.Users()},
	}
	if zatoServer != "" {
		v := SystemView{Name: "Zato SSO (CLI)", URL: zatoServer}
		users, err := zato.CLIUsers(zatoServer)
		if err != nil {
			v.Note = "the fake server's state cannot be read: " + err.Error()
		}
		v.Users = users
		views = append(views, v)
	}
	return views
}

// WriteUsers writes views as text: per system, a table of its users (id,
// name, state, password, last change, must-change, expiry) and the emails.
func WriteUsers(w io.Writer, views []SystemView) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s  %s\n", v.Name, v.URL)
		if v.Note != "" {
			fmt.Fprintf(tw, "  (%s)\n", v.Note)
		}
		fmt.Fprintln(tw, "  USER\tNAME\tSTATE\tPASSWORD\tLAST CHANGED\tMUST CHANGE\tEXPIRES")
		for _, u := range v.Users {
			pw := "none"
			if u.HasPassword {
				pw = "set"
			}
			must := "-"
			if u.MustChange != nil {
				must = map[bool]string{true: "yes", false: "no"}[*u.MustChange]
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, dash(u.Name), dash(u.State), pw, when(u.LastChanged), must, when(u.Expiry))
		}
		for _, m := range v.Emails {
			fmt.Fprintf(tw, "  email sent %s to user %s (%s)\n", m.At.Format(time.RFC3339), m.UserID, m.Kind)
		}
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// AdminHandler serves the read-only admin page: GET / (text, as
// `identity-sandbox users` prints it) and GET /users (JSON). Nothing else:
// it changes nothing and shows no password.
func (s *Sandbox) AdminHandler(zatoServer string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(s.Views(zatoServer))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_ = WriteUsers(w, s.Views(zatoServer))
	})
	return mux
}

// ServeAdmin serves AdminHandler on a free loopback port, plain HTTP (it
// never leaves this machine), and returns its URL and a function that
// stops it.
func (s *Sandbox) ServeAdmin(zatoServer string) (string, func() error, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s.AdminHandler(zatoServer), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), srv.Close, nil
}

// FetchUsers reads the admin page's JSON at adminURL (a loopback URL).
func FetchUsers(adminURL string) ([]SystemView, error) {
	if !strings.HasPrefix(adminURL, "http://127.0.0.1:") {
		return nil, fmt.Errorf("%q is not the sandbox's loopback admin address", adminURL)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(strings.TrimRight(adminURL, "/") + "/users")
	if err != nil {
		return nil, fmt.Errorf("the sandbox is not answering at %s (is make sandbox running?): %w", adminURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the sandbox's admin page answered HTTP %d", resp.StatusCode)
	}
	var views []SystemView
	if err := json.NewDecoder(resp.Body).Decode(&views); err != nil {
		return nil, fmt.Errorf("reading the sandbox's users: %w", err)
	}
	return views, nil
}
