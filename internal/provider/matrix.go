package provider

import (
	"fmt"
	"slices"
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

// matrixBackend is the provider's backend named name, as the capability
// matrix has it (a zero value).
func matrixBackend(name string) backend.Backend {
	for _, b := range matrixBackends() {
		if b.Name() == name {
			return b
		}
	}
	panic("no backend named " + name)
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
	{"`reset_when_expired`", func(c backend.Capabilities) string {
		switch resetExpiryOf(c) {
		case expiryKnown:
			return "yes"
		case expiryIfRequested:
			return "with `valid_for_days`"
		}
		return "—"
	}},
	{"refresh and `identity_user`", func(c backend.Capabilities) string { return yes(c.ReadUser) }},
	{"sees changes made outside Terraform", func(c backend.Capabilities) string { return yes(c.ReadPasswordChangedAt) }},
	{"import adopts the last change (`rotation_days`)", func(c backend.Capabilities) string {
		if rotationAfterImport(c) {
			return "yes"
		}
		return "from the first set"
	}},
	{"import of `identity_password_reset`", func(c backend.Capabilities) string { return yes(resetImportable(c)) }},
	{"`identity_user` reports `enabled`", userAttributeCell("enabled")},
	{"`identity_user` reports `password_last_changed_at`", userAttributeCell("password_last_changed_at")},
	{"`identity_user` reports `password_expires_at`", userAttributeCell("password_expires_at")},
	{"`identity_user` reports `password_must_change`", userAttributeCell("password_must_change")},
	{"`max_retries`, `requests_per_second`, `ca_certificate_pem`", func(c backend.Capabilities) string {
		if c.LocalCommand {
			return "— (runs the `zato` command)"
		}
		return "yes"
	}},
}

// expiryKnowledge says whether identity_password_reset.expires_at will be known.
type expiryKnowledge int

const (
	// expiryUnknown: the backend never says when a reset expires.
	expiryUnknown expiryKnowledge = iota
	// expiryIfRequested: only a requested lifetime (valid_for_days) gives one.
	expiryIfRequested
	// expiryKnown: the backend reports it, or documents a fixed lifetime.
	expiryKnown
)

// resetExpiryOf says when a backend's resets have a known expiry, which
// reset_when_expired acts on.
func resetExpiryOf(c backend.Capabilities) expiryKnowledge {
	switch {
	case c.ReadPasswordExpiry || c.TemporaryLifetimeDays > 0:
		return expiryKnown
	case c.ServerReset && c.ExpiryOnReset, !c.ServerReset && c.ExpiryOnSet != backend.ExpiryNone:
		return expiryIfRequested
	}
	return expiryUnknown
}

// rotationAfterImport says whether an imported password's last change is
// known, so that rotation_days counts from it (else from the first set).
func rotationAfterImport(c backend.Capabilities) bool {
	return c.ReadUser && c.ReadPasswordChangedAt
}

// userAttributes are identity_user's outputs, each with what a backend
// needs to report it.
var userAttributes = []struct {
	name  string
	known func(backend.Capabilities) bool
}{
	{"exists", func(c backend.Capabilities) bool { return c.ReadUser }},
	{"enabled", func(c backend.Capabilities) bool { return c.ReadUser && c.ReadEnabled }},
	{"password_last_changed_at", func(c backend.Capabilities) bool { return c.ReadUser && c.ReadPasswordChangedAt }},
	{"password_expires_at", func(c backend.Capabilities) bool { return c.ReadUser && c.ReadPasswordExpiry }},
	{"password_must_change", func(c backend.Capabilities) bool { return c.ReadUser && c.ReadPasswordMustChange }},
}

// userAttributeNames are the names of identity_user's outputs.
func userAttributeNames() []string {
	names := make([]string, len(userAttributes))
	for i, a := range userAttributes {
		names[i] = a.name
	}
	return names
}

// knownUserAttributes are the outputs of identity_user that a backend reports.
func knownUserAttributes(c backend.Capabilities) []string {
	var out []string
	for _, a := range userAttributes {
		if a.known(c) {
			out = append(out, a.name)
		}
	}
	return out
}

// userAttributeCell is the matrix cell of one identity_user output.
func userAttributeCell(name string) func(backend.Capabilities) string {
	return func(c backend.Capabilities) string { return yes(slices.Contains(knownUserAttributes(c), name)) }
}

// capabilityMatrix renders the capability matrix as a Markdown table. The
// docs carry it verbatim (see TestDocsTables), so that the page
// and the code cannot drift apart.
func capabilityMatrix() string { return renderMatrix(matrixRows, matrixBackendRows...) }

// userAttributeMatrix is the identity_user data source's own table: which
// attribute each backend reports (its page carries it, like the matrix).
func userAttributeMatrix() string {
	rows := make([]matrixRow, len(userAttributes))
	for i, a := range userAttributes {
		rows[i] = matrixRow{"`" + a.name + "`", userAttributeCell(a.name)}
	}
	return renderMatrix(rows)
}

// renderMatrix renders rows as a Markdown table, a column per backend.
func renderMatrix(rows []matrixRow, backendRows ...backendRow) string {
	bes := matrixBackends()
	var b strings.Builder
	b.WriteString("| |")
	for _, be := range bes {
		b.WriteString(" " + be.Name() + " |")
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(bes)))
	b.WriteString("\n")
	for _, row := range rows {
		b.WriteString("| " + row.feature + " |")
		for _, be := range bes {
			b.WriteString(" " + row.cell(be.Capabilities()) + " |")
		}
		b.WriteString("\n")
	}
	for _, row := range backendRows {
		b.WriteString("| " + row.feature + " |")
		for _, be := range bes {
			b.WriteString(" " + row.cell(be) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// backendRow is a feature of the capability matrix read off the backend
// itself rather than its Capabilities (the interfaces it implements).
type backendRow struct {
	feature string
	cell    func(backend.Backend) string
}

var matrixBackendRows = []backendRow{
	{"import by `identity` (Terraform 1.12+)", func(be backend.Backend) string {
		if resetImportable(be.Capabilities()) {
			return "yes"
		}
		return "`identity_user_password`"
	}},
	{"list resource `identity_user_password` (`terraform query`)", listingCell},
	{"action `identity_expire_password`", func(be backend.Backend) string {
		_, ok := be.(backend.Expirer)
		return yes(ok)
	}},
}

// listingCell says whether a backend lists users, and which filters its
// listing applies.
func listingCell(be backend.Backend) string {
	l, ok := be.(backend.Lister)
	if !ok || !l.ListFilters().Supported {
		return "—"
	}
	if f := supportedFilters(l.ListFilters()); f != "none" {
		return "yes (" + "`" + strings.ReplaceAll(f, ", ", "`, `") + "`)"
	}
	return "yes (no filters)"
}
