package provider

import (
	"fmt"
	"strings"

	"github.com/identityops/terraform-provider-identity/internal/backend"
	"github.com/identityops/terraform-provider-identity/internal/backend/finspace"
	"github.com/identityops/terraform-provider-identity/internal/backend/huawei"
	"github.com/identityops/terraform-provider-identity/internal/backend/idaas"
	"github.com/identityops/terraform-provider-identity/internal/backend/ocariot"
	"github.com/identityops/terraform-provider-identity/internal/backend/zato"
)

// matrixBackends are the backends of the capability matrix, in docs order.
// Name and Capabilities depend on no configuration, so zero values serve.
func matrixBackends() []backend.Backend {
	return []backend.Backend{
		&idaas.Backend{},
		&finspace.Backend{},
		&huawei.Backend{},
		&ocariot.Backend{},
		&zato.RESTBackend{},
		&zato.CLIBackend{},
	}
}

// matrixRow is one feature of the capability matrix: the attributes it
// governs and how to read it off a backend's capabilities.
type matrixRow struct {
	feature string
	cell    func(backend.Capabilities) string
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "—"
}

var matrixRows = []matrixRow{
	{"chosen `password`", func(c backend.Capabilities) string { return yes(c.SetChosen) }},
	{"`generated_by = \"server\"`", func(c backend.Capabilities) string {
		switch {
		case c.ServerGenerate && c.ServerGenerateTemporary && c.TemporaryLifetimeDays > 0:
			return fmt.Sprintf("temporary (%d days)", c.TemporaryLifetimeDays)
		case c.ServerGenerate && c.ServerGenerateTemporary:
			return "temporary"
		}
		return yes(c.ServerGenerate)
	}},
	{"`generated_by = \"provider\"`", func(c backend.Capabilities) string { return yes(c.SetChosen) }},
	{"ephemeral `identity_password`", func(c backend.Capabilities) string { return yes(c.SetChosen) }},
	{"`identity_password_reset`", func(c backend.Capabilities) string {
		if c.ServerReset {
			return "server-side reset"
		}
		return "sets a generated password"
	}},
	{"`send_email`", func(c backend.Capabilities) string { return yes(c.EmailReset) }},
	{"`notify_user`", func(c backend.Capabilities) string { return yes(c.NotifyUser) }},
	{"`expires_at` (requested)", func(c backend.Capabilities) string {
		switch c.ExpiryOnSet {
		case backend.ExpiryTimestamp:
			return "yes"
		case backend.ExpiryDays:
			return "yes (in days)"
		}
		return "—"
	}},
	{"`valid_for_days`", func(c backend.Capabilities) string {
		if c.ServerReset {
			return yes(c.ExpiryOnReset)
		}
		return yes(c.ExpiryOnSet != backend.ExpiryNone)
	}},
	{"`force_change_on_next_login`", func(c backend.Capabilities) string {
		set, reset := c.ForceChangeOnSet, c.ForceChangeOnReset
		if !c.ServerReset {
			reset = c.ForceChangeOnSet
		}
		switch {
		case set && reset:
			return "yes"
		case reset:
			return "reset only"
		case set:
			return "password only"
		}
		return "—"
	}},
	{"`clear_password_history`", func(c backend.Capabilities) string { return yes(c.ClearPasswordHistory) }},
	{"`bcrypt_hash`", func(c backend.Capabilities) string { return yes(c.BcryptImport) }},
	{"refresh and `identity_user`", func(c backend.Capabilities) string { return yes(c.ReadUser) }},
	{"sees changes made outside Terraform", func(c backend.Capabilities) string { return yes(c.ReadPasswordChangedAt) }},
}

// capabilityMatrix renders the capability matrix as a Markdown table. The
// docs carry it verbatim (see TestCapabilityMatrixInDocs), so that the page
// and the code cannot drift apart.
func capabilityMatrix() string {
	bes := matrixBackends()
	var b strings.Builder
	b.WriteString("| |")
	for _, be := range bes {
		b.WriteString(" " + be.Name() + " |")
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(bes)))
	b.WriteString("\n")
	for _, row := range matrixRows {
		b.WriteString("| " + row.feature + " |")
		for _, be := range bes {
			b.WriteString(" " + row.cell(be.Capabilities()) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}
