package gotext

import (
	"fmt"
	"go/format"
	"strings"
	"testing"
)

func TestDocText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Retrieves a customer.", "Retrieves a customer."},
		{"soft breaks join", "Line one\nline two.\n\nNext paragraph.", "Line one line two.\n\nNext paragraph."},
		{"html paragraphs", "<p>Retrieves a Customer object.</p><p>Second &amp; last.</p>", "Retrieves a Customer object.\n\nSecond & last."},
		{"html br and inline", "A <b>bold</b> <em>claim</em><br/>and <code>x &lt; 1</code>.", "A bold claim\n\nand `x < 1`."},
		{"html list", "Kinds:<ul><li>one</li><li>two <i>too</i></li></ul>After.", "Kinds:\n\n  - one\n  - two too\n\nAfter."},
		{"html ordered list", "<ol><li>first</li><li>second</li></ol>", " 1. first\n 2. second"},
		{"html link", `See <a href="https://example.com/docs">the docs</a>.`, "See [the docs].\n\n[the docs]: https://example.com/docs"},
		{"html anchor link", `See <a href="#section">below</a>.`, "See below."},
		{"unknown tag kept", "GET /users/<id> returns <3 items", "GET /users/<id> returns <3 items"},
		{"markdown link", "See [Pagination](https://api.example.com/pagination \"title\") for more.", "See [Pagination] for more.\n\n[Pagination]: https://api.example.com/pagination"},
		{"relative link", "See [errors](#errors) and [guide](/docs/guide).", "See errors and guide."},
		{"same text two urls", "[a](https://x.test/1) and [a](https://x.test/2)", "[a] and a (https://x.test/2)\n\n[a]: https://x.test/1"},
		{"autolink", "Visit <https://example.com>.", "Visit https://example.com."},
		{"image", "![logo](https://x.test/l.png) Logo.", "logo Logo."},
		{"emphasis", "This is **very** _important_ and *so* is __this__.", "This is very important and so is this."},
		{"snake case kept", "Use created_at_gte or field_name_ here, 2 * 3 = 6.", "Use created_at_gte or field_name_ here, 2 * 3 = 6."},
		{"code span kept", "Set `**not bold**` to `a_b_c`.", "Set `**not bold**` to `a_b_c`."},
		{"escapes", `A \*literal\* star and \[brackets\].`, "A *literal* star and [brackets]."},
		{"heading", "## Authentication ##\nUse a key.", "# Authentication\n\nUse a key."},
		{"setext heading", "Errors\n======\nThey happen.", "# Errors\n\nThey happen."},
		{"list", "Statuses:\n- `open`: new\n- `closed`: done,\n  for good\n* other marker", "Statuses:\n\n  - `open`: new\n  - `closed`: done, for good\n  - other marker"},
		{"numbered list", "1. one\n2) two\n10. ten", " 1. one\n 2. two\n 10. ten"},
		{"nested list flattened", "- a\n  - b\n- c", "  - a\n  - b\n  - c"},
		{"loose list", "- a\n\n- b\n\nAfter.", "  - a\n  - b\n\nAfter."},
		{"fenced code", "Example:\n```json\n{\n  \"a\": 1\n}\n```\nDone.", "Example:\n\n\t{\n\t  \"a\": 1\n\t}\n\nDone."},
		{"fenced html not converted", "```\n<p>x &amp; y</p>\n```", "\t<p>x &amp; y</p>"},
		{"fence with a blank line and html around", "<b>Example</b>\n```\na\n\nb\n```\n", "Example\n\n\ta\n\n\tb"},
		{"unclosed fence with html", "<i>x</i>\n```\n\n\n", "x"},
		{"indented code", "Run:\n\n    curl -X GET\n      https://x.test\n\nThen.", "Run:\n\n\tcurl -X GET\n\t  https://x.test\n\nThen."},
		{"pre", "<pre>a &lt; b\n  c</pre>", "\ta < b\n\t  c"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", "\t| a | b |\n\t|---|---|\n\t| 1 | 2 |"},
		{"rule", "a\n\n---\n\nb", "a\n\nb"},
		{"blockquote", "> Note: careful.", "Note: careful."},
		{"paragraph starting with hash escaped", "Text\n\n#hashtag and # sign", "Text\n\n#hashtag and # sign"},
		{"empty", "  \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DocText(tt.in); got != tt.want {
				t.Errorf("DocText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCommentWraps(t *testing.T) {
	long := strings.Repeat("word ", 40) + "https://example.com/" + strings.Repeat("x", 120) + " end"
	c := Comment(DocText(long + "\n\n- " + long))
	for _, line := range strings.Split(c, "\n") {
		if n := len(line); n > Width+3 && !strings.Contains(line, "xxxxx") {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
	if !strings.Contains(c, "\n//   - word") || !strings.Contains(c, "\n//     word") {
		t.Errorf("list item not wrapped with a four-space continuation:\n%s", c)
	}
	// A wrapped line never starts with something that reads as a list
	// marker or a heading.
	text := strings.Repeat("a", Width-2) + " - b 1. c # d"
	for _, line := range strings.Split(Comment(text), "\n")[1:] {
		if w := strings.Fields(strings.TrimPrefix(line, "//")); len(w) > 0 && markerLike(w[0]) {
			t.Errorf("continuation line starts with a marker: %q", line)
		}
	}
}

func TestCommentHoistsLinks(t *testing.T) {
	c := Comment("T is the schema #/components/schemas/T.", DocText("See [docs](https://x.test/d)."), "Deprecated: old.")
	want := "// T is the schema #/components/schemas/T.\n//\n// See [docs].\n//\n// Deprecated: old.\n//\n// [docs]: https://x.test/d"
	if c != want {
		t.Errorf("got\n%s\nwant\n%s", c, want)
	}
}

// TestDocTextIsGofmtCanonical: the comment Comment makes of converted text
// is what gofmt (go/doc/comment) writes, so generated files and gofmt'ed
// ones agree, on declarations gofmt reformats and on fields it does not.
func TestDocTextIsGofmtCanonical(t *testing.T) {
	inputs := []string{
		"<p>Retrieves a Customer.</p><ul><li>one</li><li>two</li></ul><p>After the list.</p>",
		"Intro:\n- a\n- b\n\n1. x\n2. y\n\n```\ncode\n  more\n```\n\n## Heading\n\nSee [docs](https://x.test/docs) and <https://x.test>.",
		"| a | b |\n|---|---|\n\nText " + strings.Repeat("long words here ", 20),
		"Param docs with a list right away:\n* one\n* two " + strings.Repeat("wrapped item text ", 10),
		"- a\n- b\n\n```\ncode {\n  x\n}\n```\n\n1. n\n\n    indented code\n\n- c",
		"```\nfirst code\n```\n\n- then a list\n\nText.",
	}
	for _, in := range inputs {
		c := Comment("T is a type.", DocText(in), "Deprecated: x.")
		src := "package p\n\n" + c + "\ntype T int\n"
		out, err := format.Source([]byte(src))
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		if string(out) != src {
			t.Errorf("gofmt changes the comment of %q:\n--- ours\n%s\n--- gofmt\n%s", in, src, out)
		}
	}
}

func FuzzDocText(f *testing.F) {
	for _, s := range []string{"<p>a</p>\n```\n\nx\n", "- a\n- b", "```\nx\n```", "[a](https://b)", "**x** _y_ `z`", "<a href='u'>t</a>", "# h\n===", "<ol><li>x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// As the emitter writes a declaration's doc: its own sentence, then
		// the spec's text. (A comment of indented lines alone gofmt would
		// dedent.)
		c := Comment("T is a type.", DocText(s))
		if c == "" {
			return
		}
		for _, line := range strings.Split(c, "\n") {
			if !strings.HasPrefix(line, "//") || Directive(line) {
				t.Fatalf("unsafe line %q", line)
			}
		}
		src := "package p\n\n" + c + "\ntype T int\n"
		if err := CheckSource("f.go", []byte(src)); err != nil {
			t.Fatal(err)
		}
		if out, err := format.Source([]byte(src)); err != nil || string(out) != src {
			t.Fatalf("gofmt changes the comment of %q (%v):\n--- ours\n%s\n--- gofmt\n%s", s, err, src, out)
		}
	})
}

// BenchmarkDocTextUnclosed is text full of openers that never close
// (links, code spans, tags, emphasis): work stays linear in its length
// (ns/op grows with n, not n²; compare the sizes).
func BenchmarkDocTextUnclosed(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		s := strings.Repeat("[a ` <b *c _d ", n/14)
		b.Run(fmt.Sprintf("bytes=%d", len(s)), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				DocText(s)
			}
		})
	}
}
