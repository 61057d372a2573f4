package provider

// The identity_user_password list resource against each backend's own
// Lister and its emulator's paging (Terraform 1.14+; skipped, saying why,
// on older ones and on OpenTofu: see cliQuery): more users than a page
// (every API here pages by 100 at most), listed across pages with their
// identity and display name; and -generate-config-out adopting users with
// no password request.

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
	idaasemu "github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
	zatoemu "github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

// listedUser is a user a test added to an emulator, with the name its
// listing reports.
type listedUser struct{ id, name string }

// listRequests is where each emulator's listing goes: its method and path.
var listRequests = map[string][2]string{
	"idaas":    {http.MethodPost, "/api/web/v4/userspaged"},
	"finspace": {http.MethodGet, "/user"},
	"huawei":   {http.MethodGet, "/users"},
	"ocariot":  {http.MethodGet, "/v1/children"},
	"zato":     {http.MethodPost, "/zato/sso/user/search"},
}

// addListedUsers adds n users named prefix-NNN (FinSpace: first name prefix,
// last name NNN) to the fixture's emulator, through its own API.
func addListedUsers(t *testing.T, f *accFixture, prefix string, n int) []listedUser {
	t.Helper()
	out := make([]listedUser, n)
	for i := range out {
		name := fmt.Sprintf("%s-%03d", prefix, i)
		switch f.name {
		case "idaas":
			id := randomUUID(t)
			testSandbox.IDaaS.AddUser(idaasemu.User{ID: id, UserID: name, Email: name + "@example.com"})
			out[i] = listedUser{id, name + " <" + name + "@example.com>"}
		case "finspace":
			id := "fs-lst-" + randomHex(t, 8)
			testSandbox.FinSpace.AddUser(finspaceemu.User{ID: id, FirstName: prefix, LastName: fmt.Sprintf("%03d", i), EmailAddress: name + "@example.com", Status: "ENABLED"})
			out[i] = listedUser{id, fmt.Sprintf("%s %03d <%s@example.com>", prefix, i, name)}
		case "huawei":
			id := randomUUID(t)
			testSandbox.Huawei.AddUser(huaweiemu.User{ID: id, UserName: name, DisplayName: name, Email: name + "@example.com", Enabled: true})
			out[i] = listedUser{id, name + " <" + name + "@example.com>"}
		case "ocariot":
			id := newOCARIoTID(t)
			testSandbox.OCARIoT.AddTypedUser(id, name, "child")
			out[i] = listedUser{id, name}
		case "zato":
			id := testSandbox.Zato.AddUser(zatoemu.User{Username: name, Password: zatoInitialPassword(t)})
			out[i] = listedUser{id, name}
		default:
			t.Fatalf("no listing for fixture %s", f.name)
		}
	}
	return out
}

// listIdentity is the identity a listed user of f has.
func listIdentity(f *accFixture, id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"backend": knownvalue.StringExact(f.blockName),
		"tenant":  knownvalue.StringExact(fixtureTenant(f)),
		"user_id": knownvalue.StringExact(id),
	}
}

// TestAccUserPasswordList_backends: on every backend that lists, terraform
// query lists 105 users the test added, more than a page of the API: each
// with its identity and display name (and, where the backend filters by
// name prefix server-side, exactly those users); the emulator answered more
// than one page request.
func TestAccUserPasswordList_backends(t *testing.T) {
	skipUnlessCLISupports(t, cliQuery)
	var fixtures []*accFixture
	for _, f := range accBackends(t) {
		if f.lists() {
			fixtures = append(fixtures, f)
		}
	}
	if len(fixtures) < 5 {
		t.Fatalf("%d backends list users, want the five HTTP ones", len(fixtures))
	}
	testAccParallel(t, fixtures, func(t *testing.T, f *accFixture) {
		const n, addr = 105, "identity_user_password.all"
		prefix := "lst" + randomHex(t, 3)
		users := addListedUsers(t, f, prefix, n)
		method, path := listRequests[f.name][0], listRequests[f.name][1]
		var before int
		checks := []querycheck.QueryResultCheck{querycheck.ExpectLengthAtLeast(addr, n)}
		limit, filter := 5000, ""
		if f.backend.(backend.Lister).ListFilters().NamePrefix {
			limit, filter = 1000, fmt.Sprintf("name_prefix = %q", prefix+"-")
			checks = []querycheck.QueryResultCheck{querycheck.ExpectLength(addr, n)}
		}
		for _, u := range []listedUser{users[0], users[n/2], users[n-1]} {
			id := listIdentity(f, u.id)
			checks = append(checks,
				querycheck.ExpectIdentity(addr, id),
				querycheck.ExpectResourceDisplayName(addr, queryfilter.ByResourceIdentity(id), knownvalue.StringExact(u.name)))
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliQuery.check()},
			Steps: []resource.TestStep{
				{Config: f.provider()},
				{
					PreConfig:         func() { before = f.recorder.Count(method, path) },
					Query:             true,
					Config:            listBlock(limit, filter),
					QueryResultChecks: checks,
				},
			},
		})
		if pages := f.recorder.Count(method, path) - before; pages < 2 {
			t.Errorf("the query sent %d %s %s requests, want a page of 100 and more", pages, method, path)
		}
	})
}

// TestAccUserPasswordList_generateConfigBackends: on the backends that
// filter by name prefix (so that the query lists the test's users only),
// `terraform query -generate-config-out` against the backend's own listing
// writes the blocks that adopt the users, and applying them sets no
// password (adoptGenerated).
func TestAccUserPasswordList_generateConfigBackends(t *testing.T) {
	skipUnlessCLISupports(t, cliQuery)
	var fixtures []*accFixture
	for _, f := range accBackends(t) {
		if f.lists() && f.backend.(backend.Lister).ListFilters().NamePrefix {
			fixtures = append(fixtures, f)
		}
	}
	testAccParallel(t, fixtures, func(t *testing.T, f *accFixture) {
		t.Parallel()
		prefix := "gen" + randomHex(t, 3)
		users := addListedUsers(t, f, prefix, 4)
		ids := make([]string, len(users))
		for i, u := range users {
			ids[i] = u.id
		}
		p := &identityProvider{version: "test", now: time.Now}
		adoptGenerated(t, f, queryDir(t, p, f, listBlock(100, fmt.Sprintf("name_prefix = %q", prefix+"-"))), ids)
	})
}
