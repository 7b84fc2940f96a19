package apidiff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
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
	ops       *opSet // the operations the change reaches
	where     string // place(), computed once
}

// Operations returns the operations the change reaches, as "operation
// listPets (GET /pets)", sorted; none for a change about no operation.
func (g *WireGroup) Operations() []string {
	return g.ops.list()
}

// MarshalJSON writes the group with its operations ("operations").
func (g WireGroup) MarshalJSON() ([]byte, error) {
	type plain WireGroup
	return json.Marshal(struct {
		plain
		Operations []string `json:"operations,omitempty"`
	}{plain(g), g.Operations()})
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
//
// It is linear in the findings and keeps little per finding: an
// operation is a bit in its group's set, and the text is written once per
// group, for the finding whose arguments are shortest (the most direct
// reference path).
func groupWire(found []checker.Change, l checker.Localizer, places map[string]*placeIndex, ops *opTable, reach *reachIndex) []WireGroup {
	type key struct {
		id, level, file string
		line, col       int
		text            string // only without a location
	}
	if ops == nil {
		ops = &opTable{index: map[string]int{}}
	}
	idx := map[key]int{}
	var groups []WireGroup
	var reps []checker.Change // each group's representative finding
	var repLen []int
	for _, c := range found {
		loc := location(c)
		k := key{id: c.GetId(), level: c.GetLevel().String()}
		if loc != nil && loc.Line > 0 {
			k.file, k.line, k.col = loc.File, loc.Line, loc.Column
		} else {
			k.text = c.GetUncolorizedText(l)
			if loc != nil {
				k.file = loc.File
			}
		}
		n := argsLen(c)
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			g := WireGroup{Level: k.level, Absorbed: absorbedBy(k.id), ID: k.id, Location: loc, ops: &opSet{table: ops}}
			if loc != nil && loc.Line > 0 {
				g.Component = places[loc.File].find(loc.Line, loc.Column)
				if (c.GetOperation() != "" || c.GetPath() != "") && !strings.Contains(k.id, "-body-") {
					// the operations whose bodies hold the changed schema,
					// however the pruned walk reached it (a change to a
					// body itself is found for each operation: pruning
					// keeps a node's own changes)
					g.ops.union(reach.find(loc.File, loc.Line, loc.Column))
				}
			}
			groups = append(groups, g)
			reps = append(reps, c)
			repLen = append(repLen, n)
		} else if n < repLen[i] {
			reps[i], repLen[i] = c, n
		}
		g := &groups[i]
		if c.GetOperation() != "" || c.GetPath() != "" {
			g.ops.add(ops.id(Source{Kind: "operation", OperationID: c.GetOperationId(), Method: c.GetOperation(), Path: c.GetPath()}.String()))
		}
	}
	for i := range groups {
		groups[i].Text = reps[i].GetUncolorizedText(l)
		groups[i].where = groups[i].place()
	}
	slices.SortStableFunc(groups, func(a, b WireGroup) int {
		if c := cmp.Compare(levelRank(a), levelRank(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.where, b.where); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.Text, b.Text)
	})
	return groups
}

// argsLen is the length of a finding's arguments as text: the shorter,
// the more direct the reference path it names.
func argsLen(c checker.Change) int {
	n := 0
	for _, a := range c.GetArgs() {
		if s, ok := a.(string); ok {
			n += len(s)
		} else {
			n += len(fmt.Sprint(a))
		}
	}
	return n
}

// opTable numbers the operations findings name, so a group keeps a set
// of small integers, not of strings.
type opTable struct {
	names []string
	index map[string]int
}

func (t *opTable) id(name string) int {
	i, ok := t.index[name]
	if !ok {
		i = len(t.names)
		t.index[name] = i
		t.names = append(t.names, name)
	}
	return i
}

// opSet is a set of operations of one opTable, as a bitset.
type opSet struct {
	table *opTable
	bits  []uint64
	n     int
	names []string // sorted, made on first use
}

func (s *opSet) add(i int) {
	for len(s.bits) <= i/64 {
		s.bits = append(s.bits, 0)
	}
	if s.bits[i/64]&(1<<(i%64)) == 0 {
		s.bits[i/64] |= 1 << (i % 64)
		s.n++
	}
}

// union adds the operations of o (of the same table).
func (s *opSet) union(o *opSet) {
	if o == nil {
		return
	}
	for len(s.bits) < len(o.bits) {
		s.bits = append(s.bits, 0)
	}
	n := 0
	for i := range s.bits {
		if i < len(o.bits) {
			s.bits[i] |= o.bits[i]
		}
		n += bits.OnesCount64(s.bits[i])
	}
	s.n = n
	s.names = nil
}

// len is the number of operations in the set.
func (s *opSet) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// first returns the k operations that sort first, sorted, without
// listing the set.
func (s *opSet) first(k int) []string {
	if s == nil {
		return nil
	}
	if s.names != nil {
		return s.names[:min(k, len(s.names))]
	}
	var out []string
	for w, word := range s.bits {
		for b := 0; b < 64; b++ {
			if word&(1<<b) == 0 {
				continue
			}
			name := s.table.names[w*64+b]
			i, _ := slices.BinarySearch(out, name)
			if i < k {
				out = slices.Insert(out, i, name)
				if len(out) > k {
					out = out[:k]
				}
			}
		}
	}
	return out
}

// list returns the operations, sorted.
func (s *opSet) list() []string {
	if s == nil {
		return nil
	}
	if s.names == nil && s.n > 0 {
		s.names = make([]string, 0, s.n)
		for w, word := range s.bits {
			for b := 0; b < 64; b++ {
				if word&(1<<b) != 0 {
					s.names = append(s.names, s.table.names[w*64+b])
				}
			}
		}
		sort.Strings(s.names)
	}
	return s.names
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

// place is what the report lists a group under: its operation when it
// reaches one, else its component, else "the spec".
func (g WireGroup) place() string {
	switch {
	case g.ops.len() == 1:
		return g.ops.first(1)[0]
	case g.Component != "":
		return g.Component
	case g.ops.len() > 1 && g.ops.len() <= 3:
		var short []string
		for _, op := range g.ops.first(3) {
			short = append(short, shortOp(op))
		}
		return "operations " + strings.Join(short, ", ")
	case g.ops.len() > 3:
		return plural(g.ops.len(), "operation")
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
