package provider

// The identity_user_password list resource through a real Terraform CLI
// (1.14 or newer; skipped, saying why, on older ones and on OpenTofu, which
// has no query command: see cliQuery): terraform-plugin-testing's query
// steps, and `terraform query -generate-config-out`, which its query step
// does not run (it ignores GenerateConfig), through cliDir.
//
// The provider side is tested here against fakeLister, a test-only Lister
// in front of the IDaaS emulator's backend: it pages through users the test
// added to the emulator, and says which filters it applies. Adoption then
// goes to the emulator itself.

import (
	"context"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// fakeLister lists users as a paged API would: pageSize users a request,
// filtered by what filters says it applies, counting the pages fetched.
type fakeLister struct {
	backend.Backend
	filters  backend.ListFilters
	users    []backend.ListedUser
	pageSize int
	pages    atomic.Int32
}

func (l *fakeLister) ListFilters() backend.ListFilters { return l.filters }

func (l *fakeLister) ListUsers(_ context.Context, in backend.ListInput) iter.Seq2[backend.ListedUser, error] {
	var match []backend.ListedUser
	for _, u := range l.users {
		if strings.HasPrefix(u.Name, in.NamePrefix) && (in.Status == "" || (in.Status == listStatusEnabled) == *u.Enabled) {
			match = append(match, u)
		}
	}
	return func(yield func(backend.ListedUser, error) bool) {
		for start := 0; start < len(match); start += l.pageSize {
			l.pages.Add(1)
			for _, u := range match[start:min(start+l.pageSize, len(match))] {
				if !yield(u, nil) {
					return
				}
			}
		}
	}
}

// listingProvider is the provider whose backend, once configured, is
// wrapped by wrap.
type listingProvider struct {
	*identityProvider
	wrap func(backend.Backend) backend.Backend
}

func (p listingProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.identityProvider.Configure(ctx, req, resp)
	if d, ok := resp.ResourceData.(*providerData); ok {
		d.backend = p.wrap(d.backend)
	}
}

// newFakeListing adds n users to the IDaaS emulator, named prefix-00 and
// on (every third disabled), and returns the fake that lists them.
func newFakeListing(t *testing.T, n int, filters backend.ListFilters) *fakeLister {
	t.Helper()
	prefix := "lst" + randomHex(t, 4)
	l := &fakeLister{filters: filters, pageSize: 3}
	for i := range n {
		id, login := randomUUID(t), fmt.Sprintf("%s-%02d", prefix, i)
		enabled, state := i%3 != 2, "ACTIVE"
		if !enabled {
			state = "INACTIVE"
		}
		testSandbox.IDaaS.AddUser(idaasemu.User{ID: id, UserID: login, Email: login + "@example.com", State: state})
		l.users = append(l.users, backend.ListedUser{ID: id, Name: login, Email: login + "@example.com", Enabled: &enabled})
	}
	return l
}

// prefix is the name prefix of the fake's users.
func (l *fakeLister) prefix() string { return strings.Split(l.users[0].Name, "-")[0] + "-" }

// provider is a listingProvider in front of l.
func (l *fakeLister) provider() listingProvider {
	return listingProvider{identityProvider: &identityProvider{version: "test", now: time.Now}, wrap: func(be backend.Backend) backend.Backend {
		l.Backend = be
		return l
	}}
}

// factories serve l.provider() to terraform-plugin-testing.
func (l *fakeLister) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){"identity": providerserver.NewProtocol6WithError(l.provider())}
}

// listBlock is the list block "all" with the given limit and config
// attribute lines.
func listBlock(limit int, lines ...string) string {
	return fmt.Sprintf("list \"identity_user_password\" \"all\" {\n  provider         = identity\n  include_resource = true\n"+
		"  limit            = %d\n\n  config {\n    %s\n  }\n}\n", limit, strings.Join(lines, "\n    "))
}

// expectListed checks that the query listed user u of f with its identity,
// display name and the resource that adopts it.
func expectListed(f *accFixture, u backend.ListedUser, display string) []querycheck.QueryResultCheck {
	const addr = "identity_user_password.all"
	identity := map[string]knownvalue.Check{
		"backend": knownvalue.StringExact(f.blockName),
		"tenant":  knownvalue.StringExact(fixtureTenant(f)),
		"user_id": knownvalue.StringExact(u.ID),
	}
	return []querycheck.QueryResultCheck{
		querycheck.ExpectIdentity(addr, identity),
		querycheck.ExpectResourceDisplayName(addr, queryfilter.ByResourceIdentity(identity), knownvalue.StringExact(display)),
		querycheck.ExpectResourceKnownValues(addr, queryfilter.ByResourceIdentity(identity), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("user_id"), KnownValue: knownvalue.StringExact(u.ID)},
			{Path: tfjsonpath.New("generated_by"), KnownValue: knownvalue.StringExact("server")},
			{Path: tfjsonpath.New("password"), KnownValue: knownvalue.Null()},
		}),
	}
}

// TestAccUserPasswordList_query: terraform query lists every user across
// pages, each with its identity, display name and resource; the limit stops
// the listing, and no further page is fetched; the filters the backend
// applies reach it.
func TestAccUserPasswordList_query(t *testing.T) {
	skipUnlessCLISupports(t, cliQuery)
	f := accIDaaS(t)
	l := newFakeListing(t, 8, backend.ListFilters{Supported: true, NamePrefix: true, Status: true})
	pagesSoFar := func(want int32) func() {
		return func() {
			if got := l.pages.Swap(0); got != want {
				t.Errorf("the previous query fetched %d pages, want %d", got, want)
			}
		}
	}
	prefix := fmt.Sprintf("name_prefix = %q", l.prefix())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: l.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliQuery.check()},
		Steps: []resource.TestStep{
			{Config: f.provider()}, // the query file goes beside it
			{
				Query: true, Config: listBlock(100, prefix),
				QueryResultChecks: append(append(
					[]querycheck.QueryResultCheck{querycheck.ExpectLength("identity_user_password.all", 8)},
					expectListed(f, l.users[0], l.users[0].Name+" <"+l.users[0].Email+">")...),
					expectListed(f, l.users[2], l.users[2].Name+" <"+l.users[2].Email+"> (disabled or locked)")...),
			},
			{
				PreConfig: pagesSoFar(3), // 8 users, 3 a page
				Query:     true, Config: listBlock(4, prefix),
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("identity_user_password.all", 4)},
			},
			{
				PreConfig: pagesSoFar(2), // the limit reached on the second page
				Query:     true, Config: listBlock(100, prefix, `status      = "disabled"`),
				QueryResultChecks: append(
					[]querycheck.QueryResultCheck{querycheck.ExpectLength("identity_user_password.all", 2)},
					expectListed(f, l.users[5], l.users[5].Name+" <"+l.users[5].Email+"> (disabled or locked)")...),
			},
		},
	})
}

// TestAccUserPasswordList_refused: a filter the backend's listing does not
// apply is an error on that attribute, as is a status the provider does not
// know, and a backend that cannot list is an error naming it, before
// anything is listed. (Through cliDir, whose output shows where an error
// points; the query step's error does not.)
func TestAccUserPasswordList_refused(t *testing.T) {
	skipUnlessCLISupports(t, cliQuery)
	t.Parallel()
	f := accIDaaS(t)
	for _, tc := range []struct {
		name    string
		filters backend.ListFilters
		config  string
		want    string
	}{
		{"filter", backend.ListFilters{Supported: true, NamePrefix: true}, `email_prefix = "ann"`,
			`Error: Filter Not Supported By Entrust IDaaS with list.identity_user_password.all, on users.tfquery.hcl line 7, ` +
				`in list "identity_user_password" "all": 7: email_prefix = "ann" Entrust IDaaS's user listing cannot filter by ` +
				`email_prefix server-side, .* Remove email_prefix \(filters Entrust IDaaS applies: name_prefix\)\.`},
		{"no_listing", backend.ListFilters{}, `name_prefix = "ann"`,
			`Error: Listing Not Supported By Entrust IDaaS .*Entrust IDaaS cannot list its users through this provider block`},
		{"status", backend.ListFilters{Supported: true, Status: true}, `status = "locked"`,
			`Error: Invalid Status with list.identity_user_password.all, on users.tfquery.hcl line 7, in list "identity_user_password" "all": ` +
				`7: status = "locked" status must be "enabled" or "disabled", or unset to list users in any state\.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newFakeListing(t, 1, tc.filters)
			out, code := queryDir(t, l.provider(), f, listBlock(10, tc.config)).run("query", "-no-color")
			if text := strings.Join(strings.Fields(out), " "); code != 1 || !regexp.MustCompile(tc.want).MatchString(text) {
				t.Errorf("terraform query exited %d, want 1 and an output matching %s:\n%s", code, tc.want, out)
			}
			if n := l.pages.Load(); n != 0 {
				t.Errorf("%d pages were fetched for a refused query", n)
			}
		})
	}
}

// queryDir is a cliDir serving p with f's provider block, and query as
// users.tfquery.hcl.
func queryDir(t *testing.T, p provider.Provider, f *accFixture, query string) *cliDir {
	t.Helper()
	d := newCLIDirWith(t, p, f.provider()) // with required_providers (providerWith)
	if err := os.WriteFile(filepath.Join(d.dir, "users.tfquery.hcl"), []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAccUserPasswordList_generateConfig: `terraform query
// -generate-config-out` writes an identity_user_password block and an import
// block by identity per user; applying them imports every user, changes
// nothing, and sets no password: the emulator recorded no password request
// and sent no email; the plan after that is empty.
func TestAccUserPasswordList_generateConfig(t *testing.T) {
	skipUnlessCLISupports(t, cliQuery)
	t.Parallel()
	f := accIDaaS(t)
	l := newFakeListing(t, 5, backend.ListFilters{Supported: true, NamePrefix: true, Status: true})
	ids := make([]string, len(l.users))
	for i, u := range l.users {
		ids[i] = u.ID
	}
	adoptGenerated(t, f, queryDir(t, l.provider(), f, listBlock(100, fmt.Sprintf("name_prefix = %q", l.prefix()))), ids)
}

// adoptGenerated runs `terraform query -generate-config-out` in d (whose
// query lists exactly the users ids of f), checks the blocks written for
// each user, applies them (every user imported, nothing else) and plans
// again (no changes); the emulator must have received no password request
// and sent no email for any of them.
func adoptGenerated(t *testing.T, f *accFixture, d *cliDir, ids []string) {
	t.Helper()
	out, code := d.run("query", "-no-color", "-generate-config-out=generated.tf")
	if code != 0 {
		t.Fatalf("terraform query exited %d:\n%s", code, out)
	}
	for _, id := range ids {
		if !strings.Contains(out, id) {
			t.Errorf("the query output lacks user %s:\n%s", id, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(d.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	generated := string(data)
	t.Logf("generated.tf:\n%s", generated)
	if n := strings.Count(generated, `resource "identity_user_password"`); n != len(ids) {
		t.Errorf("generated.tf has %d identity_user_password blocks, want %d", n, len(ids))
	}
	if n := strings.Count(generated, "import {"); n != len(ids) {
		t.Errorf("generated.tf has %d import blocks, want %d", n, len(ids))
	}
	for _, id := range ids {
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`(?s)resource "identity_user_password" "all_\d+" \{[^}]*user_id\s+= "` + id + `"`),
			regexp.MustCompile(`(?s)import \{\s+to\s+= identity_user_password\.all_\d+\s+provider\s+= identity\s+identity = \{\s+` +
				`backend = "` + f.blockName + `"\s+tenant\s+= "` + regexp.QuoteMeta(fixtureTenant(f)) + `"\s+user_id = "` + id + `"\s+\}`),
		} {
			if !want.MatchString(generated) {
				t.Errorf("generated.tf lacks %s", want)
			}
		}
	}
	if m := regexp.MustCompile(`\bpassword\s+= "`).FindString(generated); m != "" {
		t.Errorf("generated.tf sets a password: %q", m)
	}

	out, code = d.run("apply", "-auto-approve", "-input=false", "-no-color")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", len(ids))) {
		t.Fatalf("applying the generated configuration exited %d, want every user imported and nothing else:\n%s", code, out)
	}
	if out, code = d.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after adoption exited %d, want 0 (no changes):\n%s", code, out)
	}
	for _, id := range ids {
		if err := f.expectSets(id, 0)(nil); err != nil {
			t.Error(err)
		}
		if f.name == "idaas" && idaasEmailed(id, "") != 0 {
			t.Errorf("the emulator emailed user %s", id)
		}
	}
}

// lists says whether the fixture's backend lists users (terraform query).
func (f *accFixture) lists() bool {
	l, ok := f.backend.(backend.Lister)
	return ok && l.ListFilters().Supported
}
