package apidiff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Report is the outcome of a comparison.
type Report struct {
	Old     string // the old spec's file
	New     string // the new spec's file
	Package string
	// GoAPI lists apidiff's changes, breaking ones first, then by
	// identifier.
	GoAPI []GoChange
	// Wire lists every finding of oasdiff in oasdiff's order (errors
	// first, then by path, method and rule), when Options.Findings asked
	// for them.
	Wire []WireChange
	// WireGroups are the wire changes, each reported once: Wire's findings
	// folded by rule and place in the spec (see WireGroup), breaking ones
	// first.
	WireGroups []WireGroup
	// AllOfFlattened says the wire comparison merged allOf first (it does
	// when the specs use allOf, unless one cannot be merged; WireNotes then
	// say which).
	AllOfFlattened bool
	// WireNotes say where the wire comparison is less exact than usual.
	WireNotes []string
	// GraphQL marks the comparison of a GraphQL project's connector
	// (CompareGraphQL): there is no wire comparison of specs, but the
	// operations are validated against the new schema.
	GraphQL bool
	// Invalid are the project's operations that no longer validate
	// against the new GraphQL schema; each is breaking.
	Invalid []InvalidOperation
}

// Breaking reports whether anything breaks a connector generated from the
// old spec: an incompatible change of the generated Go API, or a wire
// change oasdiff rates an error that the connector does not absorb (see
// WireGroup.Absorbed). oasdiff's warnings do not count.
func (r *Report) Breaking() bool {
	s := r.summarize()
	return s.goBreaking > 0 || s.wireBreaking > 0 || len(r.Invalid) > 0
}

// summary is what the report's first section says.
type summary struct {
	goBreaking, goCompatible                          int
	wireBreaking, wireWarning, wireAbsorbed, wireInfo int
	byPlace                                           []placeCount // breaking changes by operation or schema
	byRule                                            []ruleCount  // wire groups by rule
	goByPlace                                         map[string][]GoChange
	goPlaces                                          []string
}

type placeCount struct {
	place       string
	goAPI, wire int
}

// counts says how many breaking changes of each kind a place has.
func (pc placeCount) counts() string {
	var parts []string
	if pc.goAPI > 0 {
		parts = append(parts, plural(pc.goAPI, "Go API change"))
	}
	if pc.wire > 0 {
		parts = append(parts, plural(pc.wire, "wire change"))
	}
	return strings.Join(parts, ", ")
}

type ruleCount struct {
	class    string // "error", "warning", "absorbed", "info"
	id       string
	changes  int
	absorbed string
}

func (g WireGroup) class() string {
	if g.Absorbed != "" {
		return "absorbed"
	}
	return g.Level
}

func (r *Report) summarize() *summary {
	s := &summary{goByPlace: map[string][]GoChange{}}
	places := map[string]*placeCount{}
	place := func(p string) *placeCount {
		pc := places[p]
		if pc == nil {
			pc = &placeCount{place: p}
			places[p] = pc
		}
		return pc
	}
	for _, c := range r.GoAPI {
		p := sourcePlace(c.Source)
		if c.Breaking {
			s.goBreaking++
			place(p).goAPI++
		} else {
			s.goCompatible++
		}
		if _, ok := s.goByPlace[p]; !ok {
			s.goPlaces = append(s.goPlaces, p)
		}
		s.goByPlace[p] = append(s.goByPlace[p], c)
	}
	slices.Sort(s.goPlaces)
	rules := map[[2]string]*ruleCount{}
	for _, g := range r.WireGroups {
		switch g.class() {
		case "absorbed":
			s.wireAbsorbed++
		case "error":
			s.wireBreaking++
			place(g.place()).wire++
		case "warning":
			s.wireWarning++
		default:
			s.wireInfo++
		}
		k := [2]string{g.class(), g.ID}
		rc := rules[k]
		if rc == nil {
			rc = &ruleCount{class: g.class(), id: g.ID, absorbed: g.Absorbed}
			rules[k] = rc
		}
		rc.changes++
	}
	for _, pc := range places {
		s.byPlace = append(s.byPlace, *pc)
	}
	slices.SortFunc(s.byPlace, func(a, b placeCount) int {
		if c := cmp.Compare(b.goAPI+b.wire, a.goAPI+a.wire); c != 0 {
			return c
		}
		return cmp.Compare(a.place, b.place)
	})
	for _, rc := range rules {
		s.byRule = append(s.byRule, *rc)
	}
	rank := map[string]int{"error": 0, "warning": 1, "absorbed": 2, "info": 3}
	slices.SortFunc(s.byRule, func(a, b ruleCount) int {
		if c := cmp.Compare(rank[a.class], rank[b.class]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.changes, a.changes); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return s
}

// place is the operation or schema a Go change is listed under: its
// source without the detail.
func sourcePlace(s Source) string {
	s.Detail = ""
	return s.String()
}

// summaryRows is how many places and rules the summary lists before "and
// N more": the summary fits one screen.
const summaryRows = 10

// reportWidth is the column text lines are wrapped at.
const reportWidth = 100

// Text writes the report for people: a summary (the verdict, counts, the
// operations and schemas with breaking changes, wire changes by rule),
// then the Go API changes grouped by operation or schema, then the wire
// changes, each once, under its operation or the component it is in, with
// the operations it reaches. Lines are wrapped near 100 columns. Compatible
// Go changes, absorbed wire changes and oasdiff's info-level findings are
// counted in the summary and listed only with all.
func (r *Report) Text(w io.Writer, all bool) error {
	s := r.summarize()
	var b strings.Builder
	fmt.Fprintf(&b, "connectorgen diff (package %s)\n  old: %s\n  new: %s\n\n", r.Package, r.Old, r.New)
	b.WriteString("Summary\n")
	writeWrapped(&b, "  ", "    ", "Verdict: "+r.verdict(s))
	writeWrapped(&b, "  ", "    ", fmt.Sprintf("Go API (apidiff): %s, %s", plural(s.goBreaking, "breaking change"), plural(s.goCompatible, "compatible change")))
	if r.GraphQL {
		writeWrapped(&b, "  ", "    ", fmt.Sprintf("Operations (validated against the new schema): %d no longer valid", len(r.Invalid)))
		if len(r.Invalid) > 0 {
			b.WriteString("    (the Go APIs are compared once every operation validates)\n")
		}
	} else {
		writeWrapped(&b, "  ", "    ", fmt.Sprintf("Wire (oasdiff %s%s): %s", OasdiffVersion, r.how(), r.wireCounts(s)))
	}
	for _, n := range r.WireNotes {
		writeWrapped(&b, "  ", "    ", "note: "+n)
	}
	if len(s.byPlace) > 0 {
		b.WriteString("  Breaking changes by operation or schema:\n")
		for i, pc := range s.byPlace {
			if i == summaryRows {
				fmt.Fprintf(&b, "    and %d more\n", len(s.byPlace)-i)
				break
			}
			writeWrapped(&b, "    ", "      ", pc.counts()+" in "+pc.place)
		}
	}
	if len(s.byRule) > 0 {
		b.WriteString("  Wire changes by rule:\n")
		for i, rc := range s.byRule {
			if i == summaryRows {
				fmt.Fprintf(&b, "    and %d more rules\n", len(s.byRule)-i)
				break
			}
			fmt.Fprintf(&b, "    %-8s %5d  %s\n", rc.class, rc.changes, rc.id)
		}
	}
	absorbed := absorbedReasons(r.WireGroups)
	if len(absorbed) > 0 {
		b.WriteString("  Absorbed: the connector generated from the old spec handles these as they are:\n")
		for _, a := range absorbed {
			writeWrapped(&b, "    - ", "      ", a)
		}
	}

	goLines := false
	for _, p := range s.goPlaces {
		lines := placeLines(s.goByPlace[p], all)
		if len(lines) == 0 {
			continue
		}
		if !goLines {
			b.WriteString("\nGo API changes\n")
			goLines = true
		}
		writeWrapped(&b, "  ", "    ", p)
		notes := false
		for _, l := range lines {
			writeWrapped(&b, "    ", "      ", l.text(false))
			notes = notes || l.note
		}
		if notes {
			writeWrapped(&b, "    ", "      ", "(*) "+typeArgsNote)
		}
	}

	if len(r.Invalid) > 0 {
		b.WriteString("\nOperations that no longer validate\n")
		for _, inv := range r.Invalid {
			writeWrapped(&b, "  ", "    ", "breaking: "+inv.Diagnostic)
			if len(inv.Touches) > 0 {
				writeWrapped(&b, "    ", "      ", "touches "+strings.Join(inv.Touches, ", "))
			}
		}
	}

	last := ""
	wireLines := false
	for _, g := range r.WireGroups {
		if !all && (g.Absorbed != "" || g.Level == "info") {
			continue
		}
		if !wireLines {
			b.WriteString("\nWire changes\n")
			wireLines = true
		}
		if h := g.heading(); h != last {
			writeWrapped(&b, "  ", "    ", h)
			last = h
		}
		writeWrapped(&b, "    ", "      ", fmt.Sprintf("%s: %s [%s]%s", g.class(), oneLine(g.Text), g.ID, r.at(g)))
	}

	b.WriteByte('\n')
	b.WriteString(r.verdict(s))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// Markdown writes the report as GitHub-flavoured Markdown for a pull
// request comment: the same sections as Text, tables for the counts.
func (r *Report) Markdown(w io.Writer, all bool) error {
	s := r.summarize()
	var b strings.Builder
	fmt.Fprintf(&b, "## connectorgen diff: `%s` → `%s` (package `%s`)\n\n", mdCode(r.Old), mdCode(r.New), mdCode(r.Package))
	fmt.Fprintf(&b, "**Verdict:** %s\n\n", mdText(r.verdict(s)))
	b.WriteString("| | breaking | compatible or warning | absorbed | info |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| Go API (apidiff) | %d | %d | | |\n", s.goBreaking, s.goCompatible)
	if r.GraphQL {
		fmt.Fprintf(&b, "| Operations (validated against the new schema) | %d | | | |\n\n", len(r.Invalid))
	} else {
		fmt.Fprintf(&b, "| Wire (oasdiff %s%s) | %d | %d | %d | %d |\n\n", OasdiffVersion, mdText(r.how()), s.wireBreaking, s.wireWarning, s.wireAbsorbed, s.wireInfo)
	}
	if len(r.Invalid) > 0 {
		b.WriteString("### Operations that no longer validate\n\n")
		for _, inv := range r.Invalid {
			fmt.Fprintf(&b, "- **breaking**: %s", mdText(inv.Diagnostic))
			if len(inv.Touches) > 0 {
				var codes []string
				for _, t := range inv.Touches {
					codes = append(codes, "`"+mdCode(t)+"`")
				}
				fmt.Fprintf(&b, " (touches %s)", strings.Join(codes, ", "))
			}
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	for _, n := range r.WireNotes {
		fmt.Fprintf(&b, "> note: %s\n\n", mdText(n))
	}
	if len(s.byPlace) > 0 {
		b.WriteString("### Breaking changes by operation or schema\n\n| operation or schema | Go API | wire |\n|---|---:|---:|\n")
		for i, pc := range s.byPlace {
			if i == summaryRows && !all {
				fmt.Fprintf(&b, "| and %d more | | |\n", len(s.byPlace)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %d | %d |\n", mdText(pc.place), pc.goAPI, pc.wire)
		}
		b.WriteByte('\n')
	}
	if len(s.byRule) > 0 {
		b.WriteString("### Wire changes by rule\n\n| class | rule | changes |\n|---|---|---:|\n")
		for _, rc := range s.byRule {
			fmt.Fprintf(&b, "| %s | `%s` | %d |\n", rc.class, rc.id, rc.changes)
		}
		b.WriteByte('\n')
	}
	if reasons := absorbedReasons(r.WireGroups); len(reasons) > 0 {
		b.WriteString("Absorbed: the connector generated from the old spec handles these as they are:\n\n")
		for _, a := range reasons {
			fmt.Fprintf(&b, "- %s\n", mdText(a))
		}
		b.WriteByte('\n')
	}
	goHeader := false
	for _, p := range s.goPlaces {
		var lines []string
		for _, l := range placeLines(s.goByPlace[p], all) {
			lines = append(lines, "- "+l.text(true))
		}
		if len(lines) == 0 {
			continue
		}
		if !goHeader {
			b.WriteString("### Go API changes\n")
			goHeader = true
		}
		fmt.Fprintf(&b, "\n#### %s\n\n%s\n\n", mdText(p), strings.Join(lines, "\n"))
	}
	last := ""
	wireHeader := false
	for _, g := range r.WireGroups {
		if !all && (g.Absorbed != "" || g.Level == "info") {
			continue
		}
		if !wireHeader {
			b.WriteString("### Wire changes\n")
			wireHeader = true
		}
		if h := g.heading(); h != last {
			fmt.Fprintf(&b, "\n#### %s\n\n", mdText(h))
			last = h
		}
		class := g.class()
		if g.Breaking() {
			class = "**" + class + "**"
		}
		at := ""
		if a := r.at(g); a != "" {
			at = ", at `" + mdCode(strings.TrimPrefix(a, " at ")) + "`"
		}
		fmt.Fprintf(&b, "- %s: %s (`%s`%s)\n", class, mdText(oneLine(g.Text)), g.ID, at)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// goLine is one line of the Go API changes of a place: a change, or the
// identifiers a place lost or gained, folded into one line.
type goLine struct {
	breaking bool
	// objects and change: "removed" or "added" with every identifier of the
	// place, else one identifier and apidiff's description
	objects []string
	change  string
	detail  string
	note    bool // found by connectorgen (missedTypeArgs)
	consts  int  // enum constants folded into the removed or added type
}

// placeLines folds the Go changes of one place (operation or schema) into
// lines: the identifiers removed in one line, those added in another (an
// enum type's constants counted with their type when it goes too), and
// every other change in a line of its own. Compatible changes only with
// all.
func placeLines(changes []GoChange, all bool) []goLine {
	var out []goLine
	folded := map[[2]any]int{} // {breaking, change} -> index in out
	for _, c := range changes {
		if !c.Breaking && !all {
			continue
		}
		if (c.Change == "removed" || c.Change == "added") && c.Note == "" {
			k := [2]any{c.Breaking, c.Change}
			i, ok := folded[k]
			if !ok {
				i = len(out)
				folded[k] = i
				out = append(out, goLine{breaking: c.Breaking, change: c.Change})
			}
			out[i].objects = append(out[i].objects, c.Object)
			out[i].detail = ""
			if len(out[i].objects) == 1 {
				out[i].detail = c.Source.Detail // shown for a single identifier
			}
			if strings.HasPrefix(c.Source.Detail, "enum value ") {
				out[i].consts++
			}
			continue
		}
		out = append(out, goLine{breaking: c.Breaking, objects: []string{c.Object}, change: c.Change, detail: c.Source.Detail, note: c.Note != ""})
	}
	for i := range out {
		l := &out[i]
		if l.consts == 0 || l.consts == len(l.objects) {
			l.consts = 0
			continue
		}
		// Constants go with their type when it goes too: the place is the
		// enum's schema, so its one other identifier is the type.
		var kept []string
		for _, c := range changes {
			if c.Breaking == l.breaking && c.Change == l.change && !strings.HasPrefix(c.Source.Detail, "enum value ") && c.Note == "" {
				kept = append(kept, c.Object)
			}
		}
		l.objects = kept
	}
	return out
}

// text writes the line, for Markdown with code spans.
func (l goLine) text(markdown bool) string {
	kind := "breaking"
	if !l.breaking {
		kind = "compatible"
	}
	code := func(s string) string { return s }
	if markdown {
		if l.breaking {
			kind = "**breaking**"
		}
		code = func(s string) string { return "`" + mdCode(s) + "`" }
	}
	var objs []string
	for _, o := range l.objects {
		objs = append(objs, code(o))
	}
	var line string
	if (l.change == "removed" || l.change == "added") && !l.note && (len(objs) > 1 || l.consts > 0) {
		line = fmt.Sprintf("%s: %s %s", kind, l.change, strings.Join(objs, ", "))
		if l.consts > 0 {
			line += fmt.Sprintf(" and its %s", plural(l.consts, "enum constant"))
		}
		return line
	}
	change := l.change
	if markdown {
		change = mdText(change)
	}
	line = fmt.Sprintf("%s: %s: %s", kind, strings.Join(objs, ", "), change)
	if l.note {
		if markdown {
			line += " (found by connectorgen: " + mdText(typeArgsNote) + ")"
		} else {
			line += " (*)"
		}
	}
	if l.detail != "" {
		if markdown {
			line += " (" + mdText(l.detail) + ")"
		} else {
			line += " [" + l.detail + "]"
		}
	}
	return line
}

// verdict is the report's one-line conclusion.
func (r *Report) verdict(s *summary) string {
	if r.GraphQL {
		switch {
		case len(r.Invalid) > 0:
			return fmt.Sprintf("breaking: %s", plural(len(r.Invalid), "operation error"))
		case s.goBreaking > 0:
			return fmt.Sprintf("breaking: %s of the Go API", plural(s.goBreaking, "change"))
		}
		return "no breaking changes"
	}
	if s.goBreaking > 0 || s.wireBreaking > 0 {
		return fmt.Sprintf("breaking: %s of the Go API, %s on the wire", plural(s.goBreaking, "change"), plural(s.wireBreaking, "breaking change"))
	}
	return "no breaking changes"
}

func (r *Report) how() string {
	if r.AllOfFlattened {
		return ", allOf flattened"
	}
	return ""
}

func (r *Report) wireCounts(s *summary) string {
	return fmt.Sprintf("%s, %s, %d absorbed, %d info", plural(s.wireBreaking, "breaking change"), plural(s.wireWarning, "warning"),
		s.wireAbsorbed, s.wireInfo)
}

// heading is the line a wire group is listed under: its operation, or its
// place in the spec with the operations it reaches.
func (g WireGroup) heading() string {
	h := g.place()
	n := g.ops.len()
	if n <= 1 || g.Component == "" && n <= 3 {
		return h
	}
	var examples []string
	for _, op := range g.ops.first(3) {
		examples = append(examples, shortOp(op))
	}
	if g.Component == "" {
		return h + ", e.g. " + strings.Join(examples, ", ")
	}
	if n > 3 {
		examples = append(examples, "...")
	}
	return fmt.Sprintf("%s, reached from %s: %s", h, plural(n, "operation"), strings.Join(examples, ", "))
}

// at says where a group's change is in the specs: "old:12:5" in the old
// spec, "new:30:7" in the new one, else the file's name.
func (r *Report) at(g WireGroup) string {
	l := g.Location
	if l == nil || l.File == "" {
		return ""
	}
	short := *l
	switch l.File {
	case r.New:
		short.File = "new"
	case r.Old:
		short.File = "old"
	}
	return " at " + short.String()
}

// absorbedReasons lists, once each, why the report's absorbed changes are
// absorbed.
func absorbedReasons(groups []WireGroup) []string {
	var out []string
	for _, g := range groups {
		if g.Absorbed != "" && !slices.Contains(out, g.Absorbed) {
			out = append(out, g.Absorbed)
		}
	}
	slices.Sort(out)
	return out
}

// writeWrapped writes text after first, wrapping at spaces near
// reportWidth columns and indenting continuation lines with rest. A word
// longer than the line is not broken.
func writeWrapped(b *strings.Builder, first, rest, text string) {
	prefix := first
	line := 0
	for i, word := range strings.Fields(text) {
		switch {
		case i == 0:
			b.WriteString(prefix)
			line = len(prefix)
		case line+1+len(word) > reportWidth:
			b.WriteByte('\n')
			b.WriteString(rest)
			line = len(rest)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	b.WriteByte('\n')
}

// mdText escapes text for Markdown prose and table cells: characters that
// would start markup, pipes and line breaks.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode makes s safe inside a `code span`: backquotes and pipes cannot
// be escaped there, so they are replaced.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", "¦", "\n", " ").Replace(s)
}

// jsonReport is the stable JSON form of a Report.
type jsonReport struct {
	Old        string             `json:"old"`
	New        string             `json:"new"`
	Package    string             `json:"package"`
	Breaking   bool               `json:"breaking"`
	Oasdiff    string             `json:"oasdiff"`
	Flat       bool               `json:"allOfFlattened"`
	GoAPI      []GoChange         `json:"goAPI"`
	WireGroups []WireGroup        `json:"wireChanges"`
	Wire       []WireChange       `json:"wire,omitempty"`
	Notes      []string           `json:"wireNotes,omitempty"`
	GraphQL    bool               `json:"graphql,omitempty"`
	Invalid    []InvalidOperation `json:"invalidOperations,omitempty"`
}

// JSON writes the report as one indented JSON document: the Go changes,
// the wire changes (grouped, "wireChanges") and oasdiff's findings each
// ("wire"). Like Text, it leaves compatible Go changes, absorbed wire
// changes and info-level findings out unless all; "breaking" is computed
// on every change either way.
func (r *Report) JSON(w io.Writer, all bool) error {
	out := jsonReport{Old: r.Old, New: r.New, Package: r.Package, Breaking: r.Breaking(), Oasdiff: OasdiffVersion, Flat: r.AllOfFlattened,
		GoAPI: []GoChange{}, WireGroups: []WireGroup{}, Notes: r.WireNotes, GraphQL: r.GraphQL, Invalid: r.Invalid}
	for _, c := range r.GoAPI {
		if c.Breaking || all {
			out.GoAPI = append(out.GoAPI, c)
		}
	}
	for _, g := range r.WireGroups {
		if all || g.Absorbed == "" && g.Level != "info" {
			out.WireGroups = append(out.WireGroups, g)
		}
	}
	for _, c := range r.Wire {
		if all || absorbedBy(c.ID) == "" && c.Level != "info" {
			out.Wire = append(out.Wire, c)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "info") {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
