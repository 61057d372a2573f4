package provider

// Resource identity (Terraform 1.12+, OpenTofu 1.12+; skipped below, saying
// why: see cliIdentity): identity_user_password and identity_password_reset
// hold the backend block, the tenant and the user id in their identity, and
// an import block with an identity adopts the user without changing the
// password, as an import by user id does.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	finspaceemu "github.com/identityops/terraform-provider-identity/internal/sandbox/finspace"
	huaweiemu "github.com/identityops/terraform-provider-identity/internal/sandbox/huawei"
)

// fixtureTenant is the tenant of a fixture's provider block, as the docs
// define it: written out here, not computed as the provider does.
func fixtureTenant(f *accFixture) string {
	switch f.name {
	case "finspace":
		return finspaceemu.TestRegion
	case "huawei":
		return huaweiemu.TestIdentityStoreID
	case "zato_cli":
		return f.serverPath
	}
	return strings.TrimPrefix(f.url(), "https://") // the emulators' URLs: https://127.0.0.1:<port>
}

// expectUserIdentity checks the identity of addr: the fixture's backend
// block and tenant, and the user; and that its user_id is the state's.
func expectUserIdentity(f *accFixture, addr, user string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
			"backend": knownvalue.StringExact(f.blockName),
			"tenant":  knownvalue.StringExact(fixtureTenant(f)),
			"user_id": knownvalue.StringExact(user),
		}),
		statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("user_id")),
	}
}

// importByIdentity is an import block for addr with the given identity
// attributes (HCL, one a line).
func importByIdentity(addr string, attrs ...string) string {
	return fmt.Sprintf("\nimport {\n  to       = %s\n  identity = {\n    %s\n  }\n}\n", addr, strings.Join(attrs, "\n    "))
}

// TestAccUserPassword_identity: a created password's identity names the
// backend block, the tenant and the user; an import block with that
// identity plans a no-op import with the same identity; after Terraform
// forgets the resource, an import block with the user id alone adopts the
// user (one with another tenant is refused), and nothing sets the password
// again: the emulator recorded the create's change only.
func TestAccUserPassword_identity(t *testing.T) {
	skipUnlessCLISupports(t, cliIdentity)
	testAccParallel(t, accBackends(t), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := userPasswordConfig(f, user)
		changes := f.expectChanges(user, 1)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliIdentity.check()},
			Steps: []resource.TestStep{
				{Config: config, Check: changes, ConfigStateChecks: expectUserIdentity(f, userPasswordAddr, user)},
				{
					ResourceName:    userPasswordAddr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithResourceIdentity,
					ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionNoop),
					}},
				},
				{Config: f.provider() + removedBlock(userPasswordAddr), Check: changes},
				{
					Config:      config + importByIdentity(userPasswordAddr, fmt.Sprintf("user_id = %q", user), `tenant  = "other.example"`),
					ExpectError: regexp.MustCompile(`Import Identity Of Another Identity System`),
				},
				{
					Config: config + importByIdentity(userPasswordAddr, fmt.Sprintf("user_id = %q", user)),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(userPasswordAddr, plancheck.ResourceActionNoop),
					}},
					ConfigStateChecks: expectUserIdentity(f, userPasswordAddr, user),
					Check:             changes,
				},
				unchangedStep(config, changes),
			},
		})
	})
}

// TestAccUserPassword_identityOfAnotherTenant: a password created through
// one address of the identity system fails to refresh through another (the
// same IDaaS emulator as localhost), saying what to do, and works again
// through the first.
func TestAccUserPassword_identityOfAnotherTenant(t *testing.T) {
	skipUnlessCLISupports(t, cliIdentity)
	testAccParallel(t, []*accFixture{accIDaaS(t)}, func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := userPasswordConfig(f, user)
		other := f.providerWith(f.settings, f.blockAt(strings.Replace(f.url(), "127.0.0.1", "localhost", 1))) +
			fmt.Sprintf("\nresource \"identity_user_password\" \"test\" {\n  user_id = %q\n}\n", user)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliIdentity.check()},
			Steps: []resource.TestStep{
				{Config: config, Check: f.expectSets(user, 1)},
				{
					Config:      other,
					ExpectError: regexp.MustCompile(`(?s)Resource Of Another Identity System.*entrust_idaas\s+tenant\s+"127\.0\.0\.1:\d+".*"localhost:\d+".*import\s+it\s+again`),
				},
				unchangedStep(config, f.expectSets(user, 1)),
			},
		})
	})
}

// TestAccPasswordReset_identity: a reset's identity names the backend
// block, the tenant and the user, and stays as it is through a refresh.
func TestAccPasswordReset_identity(t *testing.T) {
	skipUnlessCLISupports(t, cliIdentity)
	testAccParallel(t, accBackends(t), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		config := passwordResetConfig(f, user)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliIdentity.check()},
			Steps: []resource.TestStep{
				{Config: config, ConfigStateChecks: expectUserIdentity(f, passwordResetAddr, user)},
				unchangedStep(config, nil),
			},
		})
	})
}

// TestAccPasswordReset_identityImport: on the backends that can import a
// reset (resetImportable), an import block with the user id alone as
// identity adopts the user's current password as a reset, with the full
// identity, and no reset is sent; an import block with that identity
// plans a no-op import.
func TestAccPasswordReset_identityImport(t *testing.T) {
	skipUnlessCLISupports(t, cliIdentity)
	testAccParallel(t, accBackendsWith(t, resetImportable), func(t *testing.T, f *accFixture) {
		user := f.newUser(t)
		f.setBehindBack(t, user, "Set-Before-Import-Passw0rd-7")
		config := passwordResetConfig(f, user)
		noReset := f.expectSets(user, 0)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(nil),
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{cliIdentity.check()},
			Steps: []resource.TestStep{
				{
					Config: config + importByIdentity(passwordResetAddr, fmt.Sprintf("user_id = %q", user)),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(passwordResetAddr, plancheck.ResourceActionNoop),
					}},
					ConfigStateChecks: append(expectUserIdentity(f, passwordResetAddr, user),
						statecheck.ExpectKnownValue(passwordResetAddr, tfjsonpath.New("reset_at"), knownvalue.NotNull()),
						statecheck.ExpectKnownValue(passwordResetAddr, tfjsonpath.New("temporary_password"), knownvalue.Null())),
					Check: noReset,
				},
				{
					Config:          config, // the import block of the step is added to it
					ResourceName:    passwordResetAddr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithResourceIdentity,
				},
				unchangedStep(config, noReset),
			},
		})
	})
}
