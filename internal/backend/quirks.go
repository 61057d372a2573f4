package backend

// Guide is what a backend tells its users about its identity system: how
// the system really behaves where that matters to the provider (its
// quirks), and the system's own codes the provider explains. The docs'
// guide per identity system is generated from it (internal/provider), so
// that the page says what the code does: where a quirk's provider side is
// also a diagnostic (a plan-time refusal, say), both use the same text.
type Guide struct {
	// Intro is the page's opening paragraph.
	Intro string
	// Quirks are the behaviours, most consequential first.
	Quirks []Quirk
	// Codes are the system's own codes the provider's diagnostics explain,
	// with what they say.
	Codes []Code
}

// Quirk is one behaviour of an identity system that a user of the
// provider may meet.
type Quirk struct {
	// Title names it, in a few words.
	Title string
	// Behaviour is what the identity system does.
	Behaviour string
	// Source is where that is documented: the vendor's source file and
	// lines, SDK model or API definition.
	Source string
	// Provider is what the provider does about it.
	Provider string
}

// Code is an identity system's code and what a diagnostic says about it.
type Code struct {
	Code, Meaning, Advice string
}

// Documented is a backend with a Guide.
type Documented interface {
	Guide() Guide
}
