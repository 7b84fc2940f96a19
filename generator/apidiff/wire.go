package apidiff

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/load/openapi"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
	"github.com/oasdiff/yaml"
)

// OasdiffVersion is the oasdiff release the wire comparison uses (pinned in
// go.mod).
const OasdiffVersion = "v1.33.0"

// WireChange is one finding of oasdiff's breaking-change checker, in
// oasdiff's words.
type WireChange struct {
	// Level is oasdiff's: "error" (breaking), "warning" (may break a
	// client; for instance a response enum value added, which connectorgen's
	// open enums absorb) or "info".
	Level string `json:"level"`
	// ID is oasdiff's rule id, e.g. "request-parameter-became-required".
	ID string `json:"id"`
	// Method, Path and OperationID name the operation, when the change is
	// about one.
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	// Text is oasdiff's message.
	Text string `json:"text"`
	// Location is where in the new spec (or, for a removal, the old one)
	// the change is, when oasdiff knows.
	Location *Location `json:"location,omitempty"`
}

// Location is a position in a spec file.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

func (l *Location) String() string {
	switch {
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}

// compareWire runs oasdiff's checker (every check, default severities) on
// the two specs. When they use allOf, it is flattened first (oasdiff's
// --flatten-allof), as the generator merges allOf into one type: unflattened,
// oasdiff compares allOf branches one by one and rates what changes in them
// warning at most. Flattening costs the source locations of the merged
// schemas. Where it fails, the specs are compared unflattened and a note
// says so.
//
// Every finding is kept in changes only when findings is set (they are
// many: a change to a schema shared through a graph of references is one
// finding per operation and reference path, 1.8 million on a Stripe
// upgrade); groups always hold them all, folded.
func compareWire(old, new Spec, findings bool) (changes []WireChange, groups []WireGroup, flattened bool, notes []string, err error) {
	flatten := bytes.Contains(old.Data, []byte("allOf")) || bytes.Contains(new.Data, []byte("allOf"))
	s1, s2, notes, err := loadPair(old, new, flatten)
	if err != nil {
		return nil, nil, false, nil, err
	}
	flattened = flatten && len(notes) == 0
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, nil, false, nil, fmt.Errorf("oasdiff: %v", err)
	}
	ops := &opTable{index: map[string]int{}}
	var reach *reachIndex
	// Every finding one by one needs the walk unpruned; so does a
	// flattened spec, whose merged schemas lost their positions (the
	// operations a change reaches are found by its position).
	if !findings && !flattened && pruneWalk {
		reach = pruneDiff(d, old.File, new.File, ops)
	}
	found := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	l := checker.NewDefaultLocalizer()
	if findings {
		sort.SliceStable(found, func(i, j int) bool { return checker.CompareChanges(found[i], found[j]) < 0 })
		changes = make([]WireChange, 0, len(found))
		for _, c := range found {
			w := WireChange{
				Level: c.GetLevel().String(), ID: c.GetId(),
				Method: c.GetOperation(), Path: c.GetPath(), OperationID: c.GetOperationId(),
				Text: c.GetUncolorizedText(l), Location: location(c),
			}
			changes = append(changes, w)
		}
	}
	places := map[string]*placeIndex{}
	if s1.Spec != nil {
		places[old.File] = indexPlaces(s1.Spec)
	}
	if s2.Spec != nil {
		places[new.File] = indexPlaces(s2.Spec)
	}
	return changes, groupWire(found, l, places, ops, reach), flattened, notes, nil
}

// pruneWalk is false in a test comparing the pruned walk with the full one.
var pruneWalk = true

// location is where a finding is: in the new spec, else (a removal) in
// the old one; nil when oasdiff does not know.
func location(c checker.Change) *Location {
	src := c.GetRevisionSource()
	if src == nil || src.File == "" {
		src = c.GetBaseSource()
	}
	if src == nil || src.File == "" {
		return nil
	}
	return &Location{File: src.File, Line: src.Line, Column: src.Column}
}

// loadPair loads both specs, flattened if asked, but both unflattened when
// either cannot be flattened (so that the two sides stay comparable).
func loadPair(old, new Spec, flatten bool) (s1, s2 *load.SpecInfo, notes []string, err error) {
	var flatErr [2]error
	for _, flatten := range []bool{flatten, false} {
		for i, s := range []Spec{old, new} {
			info, err := loadWire(s)
			if err != nil {
				return nil, nil, nil, diag.List{{Severity: diag.Error, Pos: diag.Pos{File: s.File}, Pointer: "#",
					Message: "oasdiff cannot load the spec: " + err.Error()}}
			}
			if flatten {
				var flat []*load.SpecInfo
				if flat, flatErr[i] = load.WithFlattenAllOf()(nil, []*load.SpecInfo{info}); flatErr[i] == nil {
					info = flat[0]
				}
			}
			if i == 0 {
				s1 = info
			} else {
				s2 = info
			}
		}
		if flatErr[0] == nil && flatErr[1] == nil {
			return s1, s2, nil, nil
		}
	}
	for i, s := range []Spec{old, new} {
		if flatErr[i] != nil {
			notes = append(notes, fmt.Sprintf("%s: oasdiff cannot flatten allOf (%v); allOf branches are compared one by one, and oasdiff rates what changes in them warning at most", s.File, flatErr[i]))
		}
	}
	return s1, s2, notes, nil
}

// loadWire loads a spec for oasdiff with kin-openapi, each with its own
// loader (as oasdiff asks). Swagger 2.0 is converted to OpenAPI 3 first, as
// the generator does. References to other local files resolve from the
// spec's directory; remote references are refused.
func loadWire(s Spec) (*load.SpecInfo, error) {
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = localOnly
	if openapi.IsSwagger2(s.Data) {
		var doc2 openapi2.T
		if _, err := yaml.Unmarshal(s.Data, &doc2, yaml.DecodeOpts{DisableTimestamps: true}); err != nil {
			return nil, err
		}
		// as the generator converts it, resolving references as below
		doc, _, err := openapi.ConvertSwagger2(&doc2, loader, &url.URL{Path: filepath.ToSlash(s.File)})
		if err != nil {
			return nil, err
		}
		info := &load.SpecInfo{Url: s.File, Spec: doc}
		if doc.Info != nil {
			info.Version = doc.Info.Version
		}
		return info, nil
	}
	return load.NewSpecInfoFromData(loader, s.Data, s.File)
}

func localOnly(loader *openapi3.Loader, u *url.URL) ([]byte, error) {
	if u.Scheme != "" && u.Scheme != "file" {
		return nil, errors.New("remote reference " + u.String() + " is not followed")
	}
	return openapi3.ReadFromFile(loader, u)
}
