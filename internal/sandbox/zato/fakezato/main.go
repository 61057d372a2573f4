// Command fakezato is a fake `zato` command for tests and the demo: it
// implements `zato sso reset-user-password` and `zato sso
// change-user-password` against a JSON state file in the server path (see
// zato.RunFakeCLI). Build it with zato.BuildFakeZato.
package main

import (
	"os"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/zato"
)

func main() {
	os.Exit(zato.RunFakeCLI(os.Args[1:], os.Stdout, os.Stderr))
}
