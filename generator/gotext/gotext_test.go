package gotext

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"a\u2028b\u2029c\u0085d", "a\nb\nc\nd"},
		{"nul\x00here", `nul\x00here`},
		{"bell\a del\x7f c1\u0090", `bell\x07 del\x7f c1\x90`},
		{"tab\tkept", "tab\tkept"},
		{"rlo\u202eevil\u202c lri\u2066x\u2069", `rlo\u202eevil\u202c lri\u2066x\u2069`},
		{"bom\ufeff lrm\u200e", `bom\ufeff lrm\u200e`},
		{"bad\xffutf8", "bad\ufffdutf8"},
		{"emoji 👩\u200d💻 and é", "emoji 👩\u200d💻 and é"},
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLine(t *testing.T) {
	if got := Line(" a\n//go:generate x\r\n  b\t c "); got != "a //go:generate x b c" {
		t.Errorf("Line = %q", got)
	}
}

func TestComment(t *testing.T) {
	got := Comment("Title */ var x = 1 /*\n//go:generate rm -rf /\n\n\n+build ignore\r//line x.go:1", "", "second\u2028//export F")
	// Lines of prose are one paragraph (reflowed); none starts a directive.
	want := "// Title */ var x = 1 /* //go:generate rm -rf /\n//\n// \\+build ignore //line x.go:1\n//\n// second //export F"
	if got != want {
		t.Errorf("Comment =\n%s\nwant\n%s", got, want)
	}
	// Wrapping or a code block cannot bring "+build" to the start of a line.
	wrapped := Comment(strings.Repeat("a ", Width/2-1)+"+build linux", "code:\n\n\t+build linux\n\n    //go:generate x")
	for _, line := range strings.Split(wrapped, "\n") {
		if Directive(line) {
			t.Errorf("comment line %q is a directive:\n%s", line, wrapped)
		}
	}
	for _, line := range strings.Split(got, "\n") {
		if Directive(line) {
			t.Errorf("comment line %q is a directive", line)
		}
	}
	if Comment("", " \n ") != "" {
		t.Error("Comment of empty paragraphs is not empty")
	}
}

func TestDirective(t *testing.T) {
	for _, l := range []string{"//go:generate rm", "//go:build x", "\t//go:linkname a b", "//line x.go:1", "/*line x.go:1*/", "//export F", "//extern f", "// +build linux", "//+build linux"} {
		if !Directive(l) {
			t.Errorf("Directive(%q) = false", l)
		}
	}
	for _, l := range []string{"// //go:generate rm", "// go:generate", "//nolint:all", "// line 3", "x := 1 //go:generate"} {
		if Directive(l) {
			t.Errorf("Directive(%q) = true", l)
		}
	}
}

func TestCheckSource(t *testing.T) {
	ok := "package p\n\n// A is a.\nconst A = \"x`y\"\n"
	if err := CheckSource("ok.go", []byte(ok)); err != nil {
		t.Errorf("CheckSource(ok) = %v", err)
	}
	for name, src := range map[string]string{
		"directive":  "package p\n\n//go:generate rm -rf /\nconst A = 1\n",
		"block":      "package p\n\n/* x */\nconst A = 1\n",
		"parse":      "package p\n\nconst A = `x` y`\n",
		"bidi":       "package p\n\n// x \u202e y\nconst A = 1\n",
		"rawcr":      "package p\n\nconst A = `a\rb`\n",
		"plusbuild":  "// +build ignore\n\npackage p\n",
		"linecommnt": "package p\n\nconst A = 1 /*line x.go:1*/\n",
	} {
		if err := CheckSource(name+".go", []byte(src)); err == nil {
			t.Errorf("CheckSource(%s) = nil, want an error", name)
		}
	}
}

func TestMarkdown(t *testing.T) {
	if got := MarkdownText("A **b** | c <x>\n`d`"); got != "A \\*\\*b\\*\\* \\| c \\<x\\> \\`d\\`" {
		t.Errorf("MarkdownText = %q", got)
	}
	for in, want := range map[string]string{
		"https://x": "`https://x`",
		"a`b":       "``a`b``",
		"`a``":      "``` `a`` ```",
		"x\n`y":     "``x `y``",
		"":          "``",
	} {
		if got := MarkdownCode(in); got != want {
			t.Errorf("MarkdownCode(%q) = %q, want %q", in, got, want)
		}
	}
}
