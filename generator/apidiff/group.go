package apidiff

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// WireGroup is one change of the wire contract, reported once however many
// of oasdiff's findings it caused: oasdiff reports a change to a shared
// schema once per operation and per reference path that reaches it (a
// schema reached through a graph of anyOf members gives one finding per
// path), so findings of one rule at one place in the spec are folded into
// one group.
type WireGroup struct {
	// Level is oasdiff's level of the findings: "error", "warning" or
	// "info".
	Level string `json:"level"`
	// Absorbed is set when the generated connector absorbs the change by
	// design (see absorbedBy): it says how. Such a group does not count as
	// breaking whatever its Level.
	Absorbed string `json:"absorbed,omitempty"`
	// ID is oasdiff's rule id.
	ID string `json:"id"`
	// Text is oasdiff's message of the group's most direct finding (the
	// shortest).
	Text string `json:"text"`
	// Location is where the change is in the spec, when oasdiff knows.
	Location *Location `json:"location,omitempty"`
	// Component is the JSON pointer of the spec object that holds
	// Location: a component (#/components/schemas/Card), else a path item
	// or operation; empty when unknown.
	Component string `json:"component,omitempty"`
	// Operations are the operations the change reaches, as "operation
	// listPets (GET /pets)", sorted; empty for a change about no operation.
	Operations []string `json:"operations,omitempty"`
	// Findings is the number of oasdiff findings folded into the group.
	Findings int `json:"findings"`
}

// Breaking reports whether the group breaks a connector generated from the
// old spec: an error oasdiff rates and the connector does not absorb.
func (g *WireGroup) Breaking() bool {
	return g.Level == "error" && g.Absorbed == ""
}

// Absorbed reasons, in the words of the report.
const (
	absorbedEnum        = "open enums: an unknown value decodes, keeps its text and round-trips"
	absorbedConstraints = "responses are decoded, not validated: a response constraint changed"
	absorbedMembers     = "unknown response members are kept, not refused"
)

// absorbedBy says whether a connector generated from the old spec absorbs
// a change oasdiff reports with rule id by design, and how; "" when it does
// not. Only changes to what a server sends qualify: the connector's enums
// are open (a value it does not know is kept as its text), its decoder
// checks types, not constraints (maximum, lengths, item counts, patterns,
// multipleOf), and members a type does not declare are kept, so a server
// sending the new value, the wider range or the new member is decoded as
// before. oasdiff rates several of these "error" because a closed client
// (a generated switch over the enum, a validating decoder) would fail.
func absorbedBy(id string) string {
	rest, ok := strings.CutPrefix(id, "response-")
	if !ok {
		return ""
	}
	switch {
	case strings.HasSuffix(rest, "-enum-value-added"):
		return absorbedEnum
	case rest == "optional-property-added" || rest == "required-property-added" ||
		rest == "optional-write-only-property-added" || rest == "required-write-only-property-added":
		return absorbedMembers
	}
	for _, kw := range []string{"-max-", "-min-", "-multiple-of-", "-pattern-added", "-pattern-changed", "-pattern-removed"} {
		if strings.Contains("-"+rest, kw) && !strings.Contains(rest, "-contains-") {
			return absorbedConstraints
		}
	}
	return ""
}

// groupWire folds findings into groups: findings of one rule at one
// location in a spec are one change (the location is the changed node:
// the enum member added, the keyword changed), whichever operations and
// reference paths reach it. Findings without a location fold only with
// findings of the same rule and the same text. places maps a spec file to
// the index of its objects' positions, for Component.
func groupWire(changes []WireChange, places map[string]*placeIndex) []WireGroup {
	type key struct {
		id, level, file string
		line, col       int
		text            string // only without a location
	}
	idx := map[key]int{}
	var groups []WireGroup
	ops := []map[string]bool{}
	for _, c := range changes {
		k := key{id: c.ID, level: c.Level}
		if c.Location != nil && c.Location.Line > 0 {
			k.file, k.line, k.col = c.Location.File, c.Location.Line, c.Location.Column
		} else {
			k.text = c.Text
			if c.Location != nil {
				k.file = c.Location.File
			}
		}
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			g := WireGroup{Level: c.Level, Absorbed: absorbedBy(c.ID), ID: c.ID, Text: c.Text, Location: c.Location}
			if c.Location != nil && c.Location.Line > 0 {
				g.Component = places[c.Location.File].find(c.Location.Line, c.Location.Column)
			}
			groups = append(groups, g)
			ops = append(ops, map[string]bool{})
		}
		g := &groups[i]
		g.Findings++
		if len(c.Text) < len(g.Text) {
			g.Text = c.Text
		}
		if op := c.operation(); op != "" {
			ops[i][op] = true
		}
	}
	for i := range groups {
		for op := range ops[i] {
			groups[i].Operations = append(groups[i].Operations, op)
		}
		sort.Strings(groups[i].Operations)
	}
	slices.SortStableFunc(groups, func(a, b WireGroup) int {
		if c := cmp.Compare(levelRank(a), levelRank(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.place(), b.place()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.Text, b.Text)
	})
	return groups
}

// levelRank orders groups: breaking errors, warnings, absorbed, info.
func levelRank(g WireGroup) int {
	switch {
	case g.Absorbed != "":
		return 2
	case g.Level == "error":
		return 0
	case g.Level == "warning":
		return 1
	}
	return 3
}

// operation names the operation a finding is about, "" when none.
func (c WireChange) operation() string {
	if c.Method == "" && c.Path == "" {
		return ""
	}
	return Source{Kind: "operation", OperationID: c.OperationID, Method: c.Method, Path: c.Path}.String()
}

// place is what the report lists a group under: its operation when it
// reaches one, else its component, else "the spec".
func (g WireGroup) place() string {
	switch {
	case len(g.Operations) == 1:
		return g.Operations[0]
	case g.Component != "":
		return g.Component
	case len(g.Operations) > 1 && len(g.Operations) <= 3:
		short := make([]string, len(g.Operations))
		for i, op := range g.Operations {
			short[i] = shortOp(op)
		}
		return "operations " + strings.Join(short, ", ")
	case len(g.Operations) > 3:
		return plural(len(g.Operations), "operation")
	}
	return "the spec"
}

// shortOp names an operation by its operationId alone, else by its method
// and path: "operation listPets (GET /pets)" gives "listPets".
func shortOp(op string) string {
	op = strings.TrimPrefix(op, "operation ")
	if i := strings.Index(op, " ("); i > 0 && strings.HasSuffix(op, ")") {
		return op[:i]
	}
	return op
}

// placeIndex maps positions in one spec file to the objects that start
// there: components of every kind, path items and operations. A position
// belongs to the last object that starts at or before it, as the objects
// of a spec file do not interleave.
type placeIndex struct {
	starts []placeStart
}

type placeStart struct {
	line, col int
	pointer   string
}

// find returns the pointer of the object holding line:col, "" when none.
func (p *placeIndex) find(line, col int) string {
	if p == nil {
		return ""
	}
	i := sort.Search(len(p.starts), func(i int) bool {
		s := p.starts[i]
		return s.line > line || s.line == line && s.col > col
	})
	if i == 0 {
		return ""
	}
	return p.starts[i-1].pointer
}

// indexPlaces builds the placeIndex of a spec loaded with origins.
func indexPlaces(doc *openapi3.T) *placeIndex {
	p := &placeIndex{}
	add := func(o *openapi3.Origin, pointer string) {
		if o == nil || o.Key == nil || o.Key.Line == 0 {
			return
		}
		p.starts = append(p.starts, placeStart{line: o.Key.Line, col: o.Key.Column, pointer: pointer})
	}
	ptr := func(parts ...string) string {
		var b strings.Builder
		b.WriteString("#")
		for _, s := range parts {
			b.WriteString("/")
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
		}
		return b.String()
	}
	if c := doc.Components; c != nil {
		for name, s := range c.Schemas {
			if s != nil && s.Value != nil && s.Ref == "" {
				add(s.Value.Origin, ptr("components", "schemas", name))
			}
		}
		for name, v := range c.Parameters {
			if v != nil && v.Value != nil && v.Ref == "" {
				add(v.Value.Origin, ptr("components", "parameters", name))
			}
		}
		for name, v := range c.Headers {
			if v != nil && v.Value != nil && v.Ref == "" {
				add(v.Value.Origin, ptr("components", "headers", name))
			}
		}
		for name, v := range c.RequestBodies {
			if v != nil && v.Value != nil && v.Ref == "" {
				add(v.Value.Origin, ptr("components", "requestBodies", name))
			}
		}
		for name, v := range c.Responses {
			if v != nil && v.Value != nil && v.Ref == "" {
				add(v.Value.Origin, ptr("components", "responses", name))
			}
		}
		for name, v := range c.SecuritySchemes {
			if v != nil && v.Value != nil && v.Ref == "" {
				add(v.Value.Origin, ptr("components", "securitySchemes", name))
			}
		}
	}
	if doc.Paths != nil {
		for path, item := range doc.Paths.Map() {
			if item == nil {
				continue
			}
			add(item.Origin, ptr("paths", path))
			for method, op := range item.Operations() {
				if op != nil {
					add(op.Origin, ptr("paths", path, strings.ToLower(method)))
				}
			}
		}
	}
	slices.SortFunc(p.starts, func(a, b placeStart) int {
		if c := cmp.Compare(a.line, b.line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.col, b.col); c != 0 {
			return c
		}
		return cmp.Compare(a.pointer, b.pointer)
	})
	return p
}

// describe names a group's place for a heading.
func (g WireGroup) describe() string {
	s := g.place()
	if len(g.Operations) > 1 {
		s += fmt.Sprintf(", reached from %s", plural(len(g.Operations), "operation"))
	}
	return s
}
