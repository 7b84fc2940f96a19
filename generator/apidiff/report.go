package apidiff

import (
	"encoding/json"
	"fmt"
	"io"
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
	// Wire lists oasdiff's findings in oasdiff's order: errors first, then
	// by path, method and rule.
	Wire []WireChange
	// AllOfFlattened says the wire comparison merged allOf first (it does
	// when the specs use allOf, unless one cannot be merged; WireNotes then
	// say which).
	AllOfFlattened bool
	// WireNotes say where the wire comparison is less exact than usual.
	WireNotes []string
}

// Breaking reports whether anything breaks: an incompatible change of the
// generated Go API, or a wire change oasdiff rates an error. oasdiff's
// warnings (changes that may break some client) do not count.
func (r *Report) Breaking() bool {
	goAPI, wire := r.counts()
	return goAPI["breaking"] > 0 || wire["error"] > 0
}

func (r *Report) counts() (goAPI, wire map[string]int) {
	goAPI, wire = map[string]int{}, map[string]int{}
	for _, c := range r.GoAPI {
		if c.Breaking {
			goAPI["breaking"]++
		} else {
			goAPI["compatible"]++
		}
	}
	for _, c := range r.Wire {
		wire[c.Level]++
	}
	return goAPI, wire
}

// Text writes the human-readable report: a section per tool, one line per
// change. Compatible Go changes and oasdiff's info-level findings appear
// only with all.
func (r *Report) Text(w io.Writer, all bool) error {
	var b strings.Builder
	goAPI, wire := r.counts()
	fmt.Fprintf(&b, "connectorgen diff %s %s (package %s)\n\n", r.Old, r.New, r.Package)

	fmt.Fprintf(&b, "Go API (apidiff): %s\n", plural(goAPI["breaking"], "breaking change")+", "+plural(goAPI["compatible"], "compatible change"))
	notes := false
	for _, c := range r.GoAPI {
		if !c.Breaking && !all {
			continue
		}
		kind := "breaking"
		if !c.Breaking {
			kind = "compatible"
		}
		mark := ""
		if c.Note != "" {
			mark, notes = " (*)", true
		}
		fmt.Fprintf(&b, "  %s: %s: %s [%s]%s\n", kind, c.Object, c.Change, c.Source, mark)
	}
	if notes {
		fmt.Fprintf(&b, "  (*) %s\n", typeArgsNote)
	}

	how := ""
	if r.AllOfFlattened {
		how = ", allOf flattened"
	}
	fmt.Fprintf(&b, "\nWire (oasdiff %s%s): %s, %s, %s\n", OasdiffVersion, how,
		plural(wire["error"], "error"), plural(wire["warning"], "warning"), plural(wire["info"], "info"))
	for _, n := range r.WireNotes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	for _, c := range r.Wire {
		if c.Level == "info" && !all {
			continue
		}
		fmt.Fprintf(&b, "  %s: ", c.Level)
		if c.Method != "" || c.Path != "" {
			fmt.Fprintf(&b, "%s %s", c.Method, c.Path)
			if c.OperationID != "" {
				fmt.Fprintf(&b, " (%s)", c.OperationID)
			}
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, "%s [%s]", oneLine(c.Text), c.ID)
		if c.Location != nil {
			fmt.Fprintf(&b, " at %s", c.Location)
		}
		b.WriteByte('\n')
	}

	b.WriteByte('\n')
	if r.Breaking() {
		fmt.Fprintf(&b, "breaking: %s of the Go API, %s on the wire\n", plural(goAPI["breaking"], "change"), plural(wire["error"], "error"))
	} else {
		b.WriteString("no breaking changes\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonReport is the stable JSON form of a Report.
type jsonReport struct {
	Old      string       `json:"old"`
	New      string       `json:"new"`
	Package  string       `json:"package"`
	Breaking bool         `json:"breaking"`
	Oasdiff  string       `json:"oasdiff"`
	Flat     bool         `json:"allOfFlattened"`
	GoAPI    []GoChange   `json:"goAPI"`
	Wire     []WireChange `json:"wire"`
	Notes    []string     `json:"wireNotes,omitempty"`
}

// JSON writes the report as one indented JSON document; like Text, it
// leaves compatible Go changes and info-level wire findings out unless all.
// "breaking" is computed on every change either way.
func (r *Report) JSON(w io.Writer, all bool) error {
	out := jsonReport{Old: r.Old, New: r.New, Package: r.Package, Breaking: r.Breaking(), Oasdiff: OasdiffVersion, Flat: r.AllOfFlattened,
		GoAPI: []GoChange{}, Wire: []WireChange{}, Notes: r.WireNotes}
	for _, c := range r.GoAPI {
		if c.Breaking || all {
			out.GoAPI = append(out.GoAPI, c)
		}
	}
	for _, c := range r.Wire {
		if c.Level != "info" || all {
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
