package provider

// The CLI support table: what each feature of the provider needs of the
// Terraform or OpenTofu CLI. It is the one source of
//
//   - the acceptance tests' version checks (cliFeature.check): a test of a
//     feature the CLI under test lacks is skipped, saying why, and make test
//     counts and lists the skips of each leg;
//   - the support table on the provider page (TestDocsTables, which
//     UPDATE_DOCS=1 rewrites, as make docs does);
//   - what TestAccCLISupport_refusals expects of a CLI that lacks a feature.
//
// make test runs the acceptance suite on one CLI per column of the table
// (Terraform 1.11.4, Terraform 1.15.9, OpenTofu 1.12.6): each "yes" is a
// leg on which the feature's tests ran and passed, each "—" a leg on which
// they were skipped and the CLI was seen to refuse the feature.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
)

// cliFeature is one row of the support table.
type cliFeature struct {
	// name is the feature as the docs say it.
	name string
	// terraform is the first Terraform version that has it.
	terraform *version.Version
	// openTofu is the first OpenTofu version that has it; nil: none does.
	openTofu *version.Version
	// instead is what to use where the CLI lacks it (Markdown).
	instead string
	// probe is a configuration that uses the feature, and refusal what a
	// CLI that lacks it answers (TestAccCLISupport_refusals); empty for a
	// feature every supported CLI has.
	probe, refusal string
}

// The oldest CLIs the provider supports: Terraform 1.11 brought write-only
// attributes (password_wo); OpenTofu has them since 1.11.
var (
	minTerraform = version.Must(version.NewVersion("1.11.0"))
	minOpenTofu  = version.Must(version.NewVersion("1.11.0"))
)

// cliActions is the feature of identity_send_password_reset.
var cliActions = &cliFeature{
	name:      "action `identity_send_password_reset` (`action_trigger`, `terraform apply -invoke`)",
	terraform: tfversion.Version1_14_0,
	instead:   "`identity_password_reset` with `send_email` and `triggers`, below",
	probe: `
action "identity_send_password_reset" "probe" {
  config {
    user_id = "a11ce000-0000-4000-8000-000000000001"
  }
}
`,
	refusal: `Blocks of type "action" are not expected here`,
}

// cliExpireAction is the feature of identity_expire_password.
var cliExpireAction = &cliFeature{
	name:      "action `identity_expire_password`",
	terraform: tfversion.Version1_14_0,
	instead:   "`identity_password_reset` with `force_change_on_next_login` and `triggers`, which sets a new password",
	probe: `
action "identity_expire_password" "probe" {
  config {
    user_id = "zusr1alice0sandbox0000000000"
  }
}
`,
	refusal: `Blocks of type "action" are not expected here`,
}

// cliIdentity is resource identity: import blocks by identity, identity in
// state (Terraform 1.12; OpenTofu 1.12.6 is tested, older ones are not).
var cliIdentity = &cliFeature{
	name:      "resource identity (`import` blocks with `identity`)",
	terraform: tfversion.Version1_12_0,
	openTofu:  version.Must(version.NewVersion("1.12.0")),
	instead:   "`import` blocks with `id`",
	probe: `
import {
  to       = identity_user_password.probe
  identity = { user_id = "a11ce000-0000-4000-8000-000000000001" }
}
resource "identity_user_password" "probe" {
  user_id = "a11ce000-0000-4000-8000-000000000001"
}
`,
	refusal: `Unsupported argument`,
}

// cliQuery is the identity_user_password list resource: terraform query and
// -generate-config-out (Terraform 1.14; OpenTofu has no query command). Its
// blocks live in .tfquery.hcl files, which no CLI reads as configuration:
// there is no probe.
var cliQuery = &cliFeature{
	name:      "list resource `identity_user_password` (`terraform query`)",
	terraform: tfversion.Version1_14_0,
	instead:   "`import` blocks per user",
}

// cliFeatures are the rows of the support table, in docs order.
var cliFeatures = []*cliFeature{
	{name: "`identity_user_password`, `identity_password_reset`, import", terraform: minTerraform, openTofu: minOpenTofu},
	{name: "write-only `password_wo`", terraform: minTerraform, openTofu: minOpenTofu},
	{name: "`encrypt_to` (age-encrypted results)", terraform: minTerraform, openTofu: minOpenTofu},
	{name: "data source `identity_user`", terraform: minTerraform, openTofu: minOpenTofu},
	cliEphemeral,
	cliActions,
	cliExpireAction,
	cliIdentity,
	cliQuery,
}

// cliColumn is one column of the support table: a range of CLI versions,
// from from up to (not including) below (nil: no end).
type cliColumn struct {
	title       string
	openTofu    bool
	from, below *version.Version
}

var cliColumns = []cliColumn{
	{title: "Terraform 1.11–1.13", from: minTerraform, below: tfversion.Version1_14_0},
	{title: "Terraform 1.14+", from: tfversion.Version1_14_0},
	{title: "OpenTofu 1.11+", openTofu: true, from: minOpenTofu},
}

// minimum is the first version of the CLI (OpenTofu or Terraform) that has
// the feature, nil if none.
func (f *cliFeature) minimum(openTofu bool) *version.Version {
	if openTofu {
		return f.openTofu
	}
	return f.terraform
}

// cell is the table's cell of the feature for a column.
func (f *cliFeature) cell(c cliColumn) string {
	first := f.minimum(c.openTofu)
	switch {
	case first != nil && !first.GreaterThan(c.from):
		return "yes"
	case first != nil && (c.below == nil || first.LessThan(c.below)):
		return "from " + first.String()
	case f.instead != "":
		return "— (use " + f.instead + ")"
	}
	return "—"
}

// check is the tests' version check of the feature: on Terraform,
// tfversion.SkipBelow its first version; on OpenTofu (which tfversion cannot
// tell from Terraform) skip where OpenTofu lacks it.
func (f *cliFeature) check() tfversion.TerraformVersionCheck { return cliFeatureCheck{f} }

type cliFeatureCheck struct{ f *cliFeature }

func (c cliFeatureCheck) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if !testCLI.OpenTofu {
		tfversion.SkipBelow(c.f.terraform).CheckTerraformVersion(ctx, req, resp)
		return
	}
	switch first := c.f.openTofu; {
	case first == nil:
		resp.Skip = fmt.Sprintf("OpenTofu %s has no %s: skipping test", req.TerraformVersion, c.f.name)
	case req.TerraformVersion.Core().LessThan(first):
		resp.Skip = fmt.Sprintf("OpenTofu %s is below %s, the first with %s: skipping test", req.TerraformVersion, first, c.f.name)
	}
}

// supported reports whether the CLI under test (testCLI) has the feature.
func (f *cliFeature) supported() bool {
	first := f.minimum(testCLI.OpenTofu)
	return first != nil && testCLI.Version != nil && !testCLI.Version.Core().LessThan(first)
}

// skipUnlessCLISupports skips a test that runs the CLI itself (not through
// resource.Test) when the CLI lacks the feature, as the feature's check
// would.
func skipUnlessCLISupports(t *testing.T, f *cliFeature) {
	t.Helper()
	if testCLI.Version == nil {
		t.Fatal("the CLI under test was not detected: acceptance tests need TF_ACC=1 (make test)")
	}
	var resp tfversion.CheckTerraformVersionResponse
	f.check().CheckTerraformVersion(context.Background(), tfversion.CheckTerraformVersionRequest{TerraformVersion: testCLI.Version}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	if resp.Skip != "" {
		t.Skip(resp.Skip)
	}
}

// cliSupportTable renders the support table as Markdown.
func cliSupportTable() string {
	var b strings.Builder
	b.WriteString("| |")
	for _, c := range cliColumns {
		b.WriteString(" " + c.title + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(cliColumns)) + "\n")
	for _, f := range cliFeatures {
		b.WriteString("| " + f.name + " |")
		for _, c := range cliColumns {
			b.WriteString(" " + f.cell(c) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestCLISupportChecks: the version checks skip a feature's tests exactly
// where the table says "—", with a reason naming the CLI, and the cells read
// as the docs promise.
func TestCLISupportChecks(t *testing.T) {
	saved := testCLI
	t.Cleanup(func() { testCLI = saved })
	below := func(v, first string) string {
		return "Terraform CLI version " + v + " is below minimum version " + first + ": skipping test"
	}
	noTofu := func(v string, f *cliFeature) string { return "OpenTofu " + v + " has no " + f.name + ": skipping test" }
	for _, tc := range []struct {
		cli      string
		openTofu bool
		version  string
		want     map[*cliFeature]string // the skip reasons, none for the features not named
	}{
		{"Terraform", false, "1.11.4", map[*cliFeature]string{
			cliActions: below("1.11.4", "1.14.0"), cliExpireAction: below("1.11.4", "1.14.0"), cliIdentity: below("1.11.4", "1.12.0"), cliQuery: below("1.11.4", "1.14.0"),
		}},
		{"Terraform", false, "1.12.2", map[*cliFeature]string{cliActions: below("1.12.2", "1.14.0"), cliExpireAction: below("1.12.2", "1.14.0"), cliQuery: below("1.12.2", "1.14.0")}},
		{"Terraform", false, "1.14.0-rc1", nil},
		{"Terraform", false, "1.15.9", nil},
		{"OpenTofu", true, "1.11.2", map[*cliFeature]string{
			cliActions: noTofu("1.11.2", cliActions), cliExpireAction: noTofu("1.11.2", cliExpireAction), cliQuery: noTofu("1.11.2", cliQuery),
			cliIdentity: "OpenTofu 1.11.2 is below 1.12.0, the first with " + cliIdentity.name + ": skipping test",
		}},
		{"OpenTofu", true, "1.12.6", map[*cliFeature]string{cliActions: noTofu("1.12.6", cliActions), cliExpireAction: noTofu("1.12.6", cliExpireAction), cliQuery: noTofu("1.12.6", cliQuery)}},
		{"OpenTofu", true, "1.15.0", map[*cliFeature]string{cliActions: noTofu("1.15.0", cliActions), cliExpireAction: noTofu("1.15.0", cliExpireAction), cliQuery: noTofu("1.15.0", cliQuery)}},
	} {
		testCLI = sandbox.CLI{OpenTofu: tc.openTofu, Version: version.Must(version.NewVersion(tc.version))}
		for _, f := range cliFeatures {
			var resp tfversion.CheckTerraformVersionResponse
			f.check().CheckTerraformVersion(context.Background(), tfversion.CheckTerraformVersionRequest{TerraformVersion: testCLI.Version}, &resp)
			want := tc.want[f]
			if resp.Skip != want || resp.Error != nil {
				t.Errorf("%s %s, %s: skip %q (error %v), want %q", tc.cli, tc.version, f.name, resp.Skip, resp.Error, want)
			}
			if f.supported() != (want == "") {
				t.Errorf("%s %s, %s: supported() = %t, want %t", tc.cli, tc.version, f.name, f.supported(), want == "")
			}
		}
	}
	table := cliSupportTable()
	for _, row := range []string{
		"| write-only `password_wo` | yes | yes | yes |",
		"| " + cliActions.name + " | — (use " + cliActions.instead + ") | yes | — (use " + cliActions.instead + ") |",
		"| " + cliIdentity.name + " | from 1.12.0 | yes | from 1.12.0 |",
		"| " + cliQuery.name + " | — (use " + cliQuery.instead + ") | yes | — (use " + cliQuery.instead + ") |",
	} {
		if !strings.Contains(table, row) {
			t.Errorf("the table lacks the row %q:\n%s", row, table)
		}
	}
}
