package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/sandbox"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
	"github.com/identityops/terraform-provider-identity/internal/sandbox/idaas"
)

// subjectInfo is what the report knows of a subject.
type subjectInfo struct {
	// Name is a short key: "terraform_data", "idaas", "ocariot".
	Name string
	// Label is the table's description.
	Label string
	// Baseline marks terraform_data, the subject the others are compared to.
	Baseline bool
}

// subject is what a benchmark run configures: terraform_data, or
// identity_user_password on one backend.
type subject struct {
	subjectInfo
	// backend is nil for terraform_data.
	backend *backendProbe
}

// backendProbe is one emulator seen from the bench: how to seed its users,
// how to write the provider block, and how to classify what it received.
type backendProbe struct {
	// block is the provider's backend block (settings come from the environment).
	block string
	// userIDFormat is a format with one %d, for fmt.Sprintf and HCL's format().
	userIDFormat string
	addUser      func(id string)
	base         *emu.Base
	// auths is the emulator's running count of authentications.
	auths func() int
	// isSet says whether a request changes a password.
	isSet func(r emu.Request) bool
	// isAuth says whether a request is an authentication.
	isAuth func(r emu.Request) bool
}

func (b *backendProbe) addUsers(n int) {
	for i := range n {
		b.addUser(fmt.Sprintf(b.userIDFormat, i))
	}
}

// backendKinds builds the probes by name.
var backendKinds = map[string]func(*sandbox.Sandbox) *subject{
	"idaas": func(sbx *sandbox.Sandbox) *subject {
		e := sbx.IDaaS
		return &subject{
			subjectInfo: subjectInfo{Name: "idaas", Label: "identity_user_password, IDaaS (server-generated)"},
			backend: &backendProbe{
				block:        "entrust_idaas {}",
				userIDFormat: "be4c0000-0000-4000-8000-%012d",
				addUser: func(id string) {
					e.AddUser(idaas.User{ID: id, UserID: "bench-" + id[len(id)-6:], Email: "bench@example.com", State: "ACTIVE"})
				},
				base:   &e.Base,
				auths:  e.Authentications,
				isSet:  func(r emu.Request) bool { return r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/passwords") },
				isAuth: func(r emu.Request) bool { return strings.HasSuffix(r.Path, "/adminapi/authenticate") },
			},
		}
	},
	"ocariot": func(sbx *sandbox.Sandbox) *subject {
		e := sbx.OCARIoT
		return &subject{
			subjectInfo: subjectInfo{Name: "ocariot", Label: "identity_user_password, OCARIoT (provider-generated)"},
			backend: &backendProbe{
				block:        "ocariot {}",
				userIDFormat: "be4c000000000000%08d",
				addUser:      e.AddUser,
				base:         &e.Base,
				auths:        e.Logins,
				isSet:        func(r emu.Request) bool { return strings.HasSuffix(r.Path, "/reset-password") },
				isAuth:       func(r emu.Request) bool { return r.Path == "/v1/auth" },
			},
		}
	},
}

func baselineSubject() *subject {
	return &subject{subjectInfo: subjectInfo{Name: "terraform_data", Label: "terraform_data", Baseline: true}}
}

// config is the subject's Terraform configuration with n resources; rps > 0
// sets the provider's requests_per_second.
func (s *subject) config(n int, rps float64) string {
	var b strings.Builder
	if s.backend == nil {
		fmt.Fprintf(&b, `variable "rotation" {
  type = string
}

resource "terraform_data" "bench" {
  count            = %d
  triggers_replace = var.rotation
}
`, n)
		return b.String()
	}
	limit := ""
	if rps > 0 {
		limit = fmt.Sprintf("  requests_per_second = %g\n", rps)
	}
	fmt.Fprintf(&b, `terraform {
  required_providers {
    identity = {
      source = "identityops/identity"
    }
  }
}

variable "sandbox_ca_file" {
  type = string
}

variable "rotation" {
  type = string
}

provider "identity" {
  ca_certificate_pem = file(var.sandbox_ca_file)
%s  %s
}

resource "identity_user_password" "bench" {
  count    = %d
  user_id  = format(%q, count.index)
  triggers = { rotation = var.rotation }
}
`, limit, s.backend.block, n, s.backend.userIDFormat)
	return b.String()
}
