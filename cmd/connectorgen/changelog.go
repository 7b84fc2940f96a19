package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/connectorgen/connectorgen/generator"
	"github.com/connectorgen/connectorgen/generator/apidiff"
	"github.com/connectorgen/connectorgen/generator/config"
)

// changelogName is the file the changelog is written to, in out.
const changelogName = "CHANGES.md"

// addChangelog adds CHANGES.md to the files of o when its config asks for
// a changelog (changelog: true, -changelog). With regenerate (generate),
// when the Go files differ from those of the connector on disk (the ones
// its manifest lists), CHANGES.md says what the regeneration changes in
// the Go API, compared as `connectorgen diff` compares (type-checked
// against the runtime the current module requires). Otherwise, and for
// check, the CHANGES.md on disk is kept as it is: regenerating an
// unchanged spec does not empty it. When the comparison cannot be made
// (no runtime module found, code that does not type-check), a warning
// says why and the file on disk is kept.
func addChangelog(ctx context.Context, o *output, regenerate bool, stderr io.Writer) {
	if o.cfg == nil || !o.cfg.Changelog || o.res == nil {
		return
	}
	path := filepath.Join(o.dir, changelogName)
	disk := inspect(path)
	keep := func() {
		if disk.exists && disk.generated && disk.err == "" {
			o.files = append(o.files, generator.File{Name: changelogName, Content: disk.data})
			sortFiles(o.files)
		}
	}
	if !regenerate {
		keep()
		return
	}
	old, ok := previousGoFiles(o.dir, o.pkg)
	if !ok || sameGoFiles(old, o.files) {
		keep()
		return
	}
	rt, err := runtimeDir(ctx, "")
	if err != nil {
		fmt.Fprintf(stderr, "%s: warning: not updated: %v\n", path, err)
		keep()
		return
	}
	importPath := ""
	if o.cfg.Split == config.SplitTags {
		importPath = o.cfg.ImportPath
	}
	changes, err := apidiff.CompareGenerated(ctx, old, o.res, apidiff.Options{Package: o.pkg, Version: version(), RuntimeDir: rt}, importPath)
	if err != nil {
		fmt.Fprintf(stderr, "%s: warning: not updated: %v\n", path, err)
		keep()
		return
	}
	rep := &apidiff.Report{Old: o.dir, New: o.source, Package: o.pkg, GoAPI: changes}
	var b bytes.Buffer
	if err := rep.Changelog(&b, generatedMarker+version()+" from "+o.source+". DO NOT EDIT."); err != nil {
		fmt.Fprintf(stderr, "%s: warning: not updated: %v\n", path, err)
		keep()
		return
	}
	o.files = append(o.files, generator.File{Name: changelogName, Content: b.Bytes()})
	sortFiles(o.files)
}

// previousGoFiles reads the Go files the manifest in dir lists, when it is
// the manifest of package pkg and every file reads.
func previousGoFiles(dir, pkg string) ([]generator.File, bool) {
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, false
	}
	m, err := parseManifest(data)
	if err != nil || m.pkg != pkg {
		return nil, false
	}
	var out []generator.File
	for _, name := range m.files {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		d := inspect(filepath.Join(dir, filepath.FromSlash(name)))
		if !d.exists || !d.generated || d.err != "" {
			return nil, false
		}
		out = append(out, generator.File{Name: name, Content: d.data})
	}
	return out, len(out) > 0
}

// sameGoFiles reports whether the new files' Go files are old's.
func sameGoFiles(old, new []generator.File) bool {
	var goNew []generator.File
	for _, f := range new {
		if strings.HasSuffix(f.Name, ".go") {
			goNew = append(goNew, f)
		}
	}
	if len(goNew) != len(old) {
		return false
	}
	byName := map[string][]byte{}
	for _, f := range old {
		byName[f.Name] = f.Content
	}
	for _, f := range goNew {
		if c, ok := byName[f.Name]; !ok || !bytes.Equal(c, f.Content) {
			return false
		}
	}
	return true
}

func sortFiles(files []generator.File) {
	slices.SortFunc(files, func(a, b generator.File) int { return strings.Compare(a.Name, b.Name) })
}
