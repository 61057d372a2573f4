package provider

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/backend"
)

// TestQuirksGuides fails when a guide in templates/guides differs from what
// the backends' Guide says (UPDATE_DOCS=1, as make docs sets, rewrites it),
// or when a backend has no guide.
func TestQuirksGuides(t *testing.T) {
	var covered []string
	for _, g := range quirksGuides {
		covered = append(covered, g.backends...)
		file := filepath.Join("..", "..", "templates", "guides", g.file+".md.tmpl")
		want := g.render()
		got, err := os.ReadFile(file)
		if err == nil && string(got) == want {
			continue
		}
		if os.Getenv("UPDATE_DOCS") != "" {
			if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is out of date (or missing: %v): run make docs", file, err)
	}
	for _, be := range matrixBackends() {
		d, ok := be.(backend.Documented)
		if !ok || !slices.Contains(covered, be.Name()) {
			t.Errorf("%s has no quirks guide", be.Name())
			continue
		}
		for _, q := range d.Guide().Quirks {
			if q.Title == "" || q.Behaviour == "" || q.Source == "" || q.Provider == "" {
				t.Errorf("%s: a quirk lacks a title, behaviour, source or what the provider does: %+v", be.Name(), q)
			}
			// The guides are tfplugindocs templates.
			if strings.Contains(q.Behaviour+q.Provider+q.Source, "{{") {
				t.Errorf("%s: %q would be read as a template action", be.Name(), q.Title)
			}
		}
	}
}

// TestQuirksGuideZatoCLIExpiry: the guide and the plan-time refusal say the
// same about the CLI's --expiry, from the same text.
func TestQuirksGuideZatoCLIExpiry(t *testing.T) {
	caps := matrixBackend("Zato SSO (CLI)").Capabilities()
	var guide string
	for _, g := range quirksGuides {
		if g.system == "Zato SSO" {
			guide = g.render()
		}
	}
	if caps.NoExpiryWhy == "" || !strings.Contains(guide, caps.NoExpiryWhy) || !strings.Contains(noExpiryAdvice(caps, "Remove expires_at."), caps.NoExpiryWhy) {
		t.Fatalf("the CLI's expiry refusal and its guide disagree:\n%s", caps.NoExpiryWhy)
	}
}
