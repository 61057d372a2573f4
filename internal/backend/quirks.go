package backend

import (
	"bytes"
	"encoding/json"
)

// Guide is what a backend tells its users about its identity system: how
// the system really behaves where that matters to the provider (its
// quirks), and the system's own codes the provider explains. The docs'
// guide per identity system is generated from it (internal/provider), so
// that the page says what the code does: where a quirk's provider side is
// also a diagnostic (a plan-time refusal, say), both use the same text.
type Guide struct {
	// Intro is the page's opening paragraph.
	Intro string `json:"intro"`
	// Quirks are the behaviours, most consequential first.
	Quirks []Quirk `json:"quirks"`
	// Codes are the system's own codes the provider's diagnostics explain,
	// with what they say.
	Codes []Code `json:"codes,omitempty"`
}

// Quirk is one behaviour of an identity system that a user of the
// provider may meet.
type Quirk struct {
	// Title names it, in a few words.
	Title string `json:"title"`
	// Behaviour is what the identity system does.
	Behaviour string `json:"behaviour"`
	// Source is where that is documented: the vendor's source file and
	// lines, SDK model or API definition.
	Source string `json:"source"`
	// Provider is what the provider does about it.
	Provider string `json:"provider"`
}

// Code is an identity system's code and what a diagnostic says about it.
type Code struct {
	Code    string `json:"code"`
	Meaning string `json:"meaning"`
	Advice  string `json:"advice"`
}

// Documented is a backend with a Guide.
type Documented interface {
	Guide() Guide
}

// GuideFrom reads a Guide that a backend embeds as JSON (its guide.json),
// where a guide with no diagnostic text of the backend's own belongs: the
// prose stays out of the code, and every backend's is read the same way.
// The file is part of the build, so a malformed one is a defect of the
// build and panics; TestQuirksGuides meets it first.
func GuideFrom(data []byte) Guide {
	var g Guide
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		panic("backend: a malformed guide: " + err.Error())
	}
	return g
}
