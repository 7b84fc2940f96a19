package gotext

import (
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Width is the column near which Comment wraps a line of prose: the text
// after "// ", so a top-level comment line is at most Width+3 columns
// wide. A word longer than that (a URL, a JSON pointer) stays whole.
const Width = 96

// DocText converts a description written in CommonMark with inline HTML
// (what OpenAPI 3 §4.8.1 and the GraphQL spec §2.2 say descriptions are)
// into Go doc comment text (https://go.dev/doc/comment), the form gofmt
// keeps as it is:
//
//   - paragraphs are joined into one line each (Comment wraps them);
//     HTML <p>, <br>, <div> and <hr> separate them;
//   - "#" to "######" headings and <h1>…<h6> become "# Heading";
//   - "-", "*", "+" and "1." lists and <ul>/<ol>/<li> become Go doc lists
//     ("  - item", "  1. item"; nested lists are flattened);
//   - fenced and indented code, <pre> and Markdown tables become code
//     blocks (a tab before each line);
//   - [text](url) and <a href="url">text</a> with an absolute http, https
//     or mailto URL become a Go doc link [text] with its definition
//     "[text]: url" at the end; a relative or "#anchor" link keeps its
//     text only; <http://...> autolinks become the bare URL;
//   - emphasis (**, __, *, _) and the inline tags b, strong, i, em, u,
//     span, small, sup, sub, font and code are dropped, keeping their text;
//     `code spans` keep their backticks; HTML entities and backslash
//     escapes are decoded; other tags are kept as text.
//
// The result is still untrusted text: it reaches source only through
// Comment, which cleans it and prefixes every line. DocText works in time
// linear in len(s).
func DocText(s string) string {
	s = strings.TrimSpace(Clean(s))
	if s == "" {
		return ""
	}
	lines := strings.Split(fromHTML(s), "\n")
	var d docWriter
	d.blocks(lines)
	return d.finish()
}

// docWriter collects the converted blocks and the link definitions.
type docWriter struct {
	out   []string // blocks, each one or more lines, without blank lines between
	links []string // "[text]: url" definitions, in order of first use
	urlOf map[string]string
}

func (d *docWriter) finish() string {
	d.merge()
	var b strings.Builder
	for i, blk := range d.out {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(blk)
	}
	if len(d.links) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.Join(d.links, "\n"))
	}
	return b.String()
}

// fence reports whether line opens or closes a fenced code block, and the
// fence (``` or ~~~ and longer).
func fence(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return "", false
	}
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(t) && t[n] == c {
			n++
		}
		if n >= 3 && (c == '~' || !strings.Contains(t[n:], "`")) {
			return t[:n], true
		}
	}
	return "", false
}

// indentOf returns the width of line's leading space (a tab counts 4).
func indentOf(line string) int {
	w := 0
	for _, c := range line {
		switch c {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w
		}
	}
	return w
}

// listItem reports whether line starts a list item, and returns its
// marker ("-" or "N.") and its text.
func listItem(line string) (marker, text string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	if len(t) >= 2 && strings.ContainsRune("-*+", rune(t[0])) && (t[1] == ' ' || t[1] == '\t') {
		if isRule(t) {
			return "", "", false
		}
		return "-", strings.TrimSpace(t[2:]), true
	}
	n := 0
	for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
		num, _ := strconv.Atoi(t[:n])
		return strconv.Itoa(num) + ".", strings.TrimSpace(t[n+2:]), true
	}
	return "", "", false
}

// isRule reports whether t (trimmed on the left) is a thematic break.
func isRule(t string) bool {
	t = strings.TrimSpace(t)
	if len(t) < 3 || !strings.ContainsRune("-*_", rune(t[0])) {
		return false
	}
	n := 0
	for _, c := range t {
		switch {
		case c == rune(t[0]):
			n++
		case c != ' ' && c != '\t':
			return false
		}
	}
	return n >= 3
}

// heading returns the text of an ATX heading line ("## Text ##").
func heading(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return "", false
	}
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(t) && t[n] != ' ' && t[n] != '\t' {
		return "", false
	}
	text := strings.TrimSpace(t[n:])
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	return text, text != ""
}

// isTableRow reports whether line is a row of a Markdown table.
func isTableRow(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) > 1 && t[0] == '|'
}

// blocks converts the lines of a Markdown document into d.out.
func (d *docWriter) blocks(lines []string) {
	var para []string
	flush := func() {
		if len(para) > 0 {
			if text := d.inline(strings.Join(para, " ")); text != "" {
				if strings.HasPrefix(text, "# ") {
					text = `\` + text // not a heading
				}
				d.out = append(d.out, text)
			}
			para = para[:0]
		}
	}
	code := func(block []string) {
		// Trim blank lines around, keep relative indentation.
		for len(block) > 0 && strings.TrimSpace(block[0]) == "" {
			block = block[1:]
		}
		for len(block) > 0 && strings.TrimSpace(block[len(block)-1]) == "" {
			block = block[:len(block)-1]
		}
		if len(block) == 0 {
			return
		}
		var b strings.Builder
		for i, l := range block {
			if i > 0 {
				b.WriteByte('\n')
			}
			if l = strings.TrimRight(l, " \t"); l != "" {
				b.WriteByte('\t')
				b.WriteString(l)
			}
		}
		d.out = append(d.out, b.String())
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case len(para) == 0 && indentOf(line) >= 4:
			// Indented code: up to the next unindented non-blank line.
			var block []string
			base := indentOf(line)
			for ; i < len(lines) && (strings.TrimSpace(lines[i]) == "" || indentOf(lines[i]) >= 4); i++ {
				block = append(block, dropIndent(lines[i], base))
			}
			i--
			code(block)
		default:
			if f, ok := fence(line); ok {
				flush()
				var block []string
				for i++; i < len(lines); i++ {
					if g, ok := fence(lines[i]); ok && strings.HasPrefix(g, f[:1]) && len(g) >= len(f) && strings.TrimSpace(lines[i]) == g {
						break
					}
					block = append(block, lines[i])
				}
				code(block)
				continue
			}
			if h, ok := heading(line); ok {
				flush()
				if text := d.inline(h); text != "" {
					d.out = append(d.out, "# "+text)
				}
				continue
			}
			if isRule(line) && indentOf(line) < 4 {
				flush()
				continue
			}
			if isTableRow(line) {
				flush()
				var block []string
				for ; i < len(lines) && isTableRow(lines[i]); i++ {
					block = append(block, strings.TrimSpace(lines[i]))
				}
				i--
				code(block)
				continue
			}
			if _, _, ok := listItem(line); ok {
				flush()
				i = d.list(lines, i) - 1
				continue
			}
			if i+1 < len(lines) && setext(lines[i+1]) {
				// "Text\n====": the paragraph so far is a heading.
				para = append(para, trimmed)
				text := d.inline(strings.Join(para, " "))
				para = para[:0]
				if text != "" {
					d.out = append(d.out, "# "+text)
				}
				i++
				continue
			}
			if q, ok := strings.CutPrefix(trimmed, ">"); ok {
				trimmed = strings.TrimSpace(q)
			}
			para = append(para, trimmed)
		}
	}
	flush()
}

// setext reports whether line underlines a setext heading.
func setext(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= 2 && strings.Trim(t, "=") == "" || len(t) >= 3 && strings.Trim(t, "-") == "" && indentOf(line) < 4
}

// dropIndent removes up to width columns of leading space from line.
func dropIndent(line string, width int) string {
	w := 0
	for i, c := range line {
		if w >= width || c != ' ' && c != '\t' {
			return line[i:]
		}
		if c == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
	}
	return ""
}

// list converts the list starting at lines[i] into one block and returns
// the index of the first line after it. Items end at a blank line
// followed by a line that is neither indented nor an item; nested items
// become items of the same list.
func (d *docWriter) list(lines []string, i int) int {
	var b strings.Builder
	var item []string
	marker := ""
	numbered, next := false, 1 // the first item's kind is the list's (Go doc lists are one kind)
	emit := func() {
		if len(item) == 0 {
			return
		}
		if text := d.inline(strings.Join(item, " ")); text != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(itemPrefix(marker) + text)
		}
		item = item[:0]
	}
	for ; i < len(lines); i++ {
		line := lines[i]
		t := strings.TrimSpace(line)
		if t == "" {
			// A blank line ends the list unless an item or an indented
			// continuation follows.
			j := i + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j < len(lines) {
				if _, _, ok := listItem(lines[j]); ok || indentOf(lines[j]) >= 2 {
					if _, ok := fence(lines[j]); !ok {
						i = j - 1
						continue
					}
				}
			}
			break
		}
		if m, text, ok := listItem(line); ok {
			emit()
			if b.Len() == 0 && len(item) == 0 && marker == "" {
				numbered = m != "-"
			}
			marker = listMarker(m, numbered, &next)
			item = append(item, text)
			continue
		}
		if _, ok := fence(line); ok {
			break
		}
		if _, ok := heading(line); ok && indentOf(line) == 0 {
			break
		}
		item = append(item, t) // a continuation line, lazy or indented
	}
	emit()
	if b.Len() > 0 {
		d.out = append(d.out, b.String())
	}
	return i
}

// listMarker returns the marker of an item whose own marker is m in a
// list that is numbered or not, counting numbers in *next.
func listMarker(m string, numbered bool, next *int) string {
	switch {
	case !numbered:
		return "-"
	case m != "-":
		n, _ := strconv.Atoi(strings.TrimSuffix(m, "."))
		*next = n + 1
		return m
	}
	m = strconv.Itoa(*next) + "."
	*next++
	return m
}

// itemPrefix is what gofmt writes before a list item's text: "  - " for
// a bullet, " 1. " for a number (go/doc/comment's printer).
func itemPrefix(marker string) string {
	if marker == "-" {
		return "  - "
	}
	return " " + marker + " "
}

// indentedBlock reports whether a converted block is a list or code:
// Go doc reads consecutive ones, with only blank lines between, as one.
func indentedBlock(b string) bool { return b[0] == ' ' || b[0] == '\t' }

// merge joins consecutive list and code blocks into the one block Go doc
// reads them as, in the form gofmt writes it (go/doc/comment parseSpans):
// after code, a list is more code; after a list, code lines and items of
// the other kind are more text of its last item.
func (d *docWriter) merge() {
	out := d.out[:0]
	for _, blk := range d.out {
		n := len(out)
		if n == 0 || !indentedBlock(out[n-1]) || !indentedBlock(blk) {
			out = append(out, blk)
			continue
		}
		prev := out[n-1]
		var b strings.Builder
		b.WriteString(prev)
		if prev[0] == '\t' {
			b.WriteString("\n")
			for _, l := range strings.Split(blk, "\n") {
				b.WriteString("\n")
				if l != "" && l[0] != '\t' {
					l = "\t" + l
				}
				b.WriteString(l)
			}
		} else {
			numbered := !strings.HasPrefix(prev, itemPrefix("-"))
			next := 1
			for _, l := range strings.Split(prev, "\n") {
				if m, _, ok := listItem(l); ok && l[0] == ' ' && m != "-" {
					n, _ := strconv.Atoi(strings.TrimSuffix(m, "."))
					next = n + 1
				}
			}
			for _, l := range strings.Split(blk, "\n") {
				t := strings.TrimSpace(l)
				if t == "" {
					continue
				}
				b.WriteString("\n")
				if m, text, ok := listItem(l); ok && l[0] == ' ' {
					b.WriteString(itemPrefix(listMarker(m, numbered, &next)) + text)
				} else {
					b.WriteString("    " + t)
				}
			}
		}
		out[n-1] = b.String()
	}
	d.out = out
}

// inline converts the inline Markdown of one paragraph, list item or
// heading: links, emphasis, escapes; code spans are kept as written.
func (d *docWriter) inline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := run(s, i, '`')
			if end := strings.Index(window(s, i+n), s[i:i+n]); end >= 0 {
				b.WriteString(s[i : i+n+end+n])
				i += n + end + n
			} else {
				b.WriteString(s[i : i+n])
				i += n
			}
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if text, _, n, ok := link(s[i+1:]); ok {
				b.WriteString(d.inline(text))
				i += 1 + n
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '[':
			if text, url, n, ok := link(s[i:]); ok {
				b.WriteString(d.link(d.inline(text), url))
				i += n
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '<':
			if end := strings.IndexByte(window(s, i), '>'); end > 0 && absolute(s[i+1:i+end]) { // an autolink
				b.WriteString(s[i+1 : i+end])
				i += end + 1
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '*' || c == '_':
			n := run(s, i, c)
			if n <= 3 && opens(s, i, n, c) {
				if end := closing(s, i+n, n, c); end > 0 {
					b.WriteString(d.inline(s[i+n : end]))
					i = end + n
					continue
				}
			}
			b.WriteString(s[i : i+n])
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	// gofmt writes `` and '' in doc text as “ and ” (go/doc/comment).
	return quotes.Replace(strings.Join(strings.Fields(b.String()), " "))
}

var quotes = strings.NewReplacer("``", "\u201c", "''", "\u201d")

// link reports a Markdown inline link at the start of s ("[text](url)" or
// "[text](url "title")"), its text, its destination and its length.
func link(s string) (text, url string, n int, ok bool) {
	s = window(s, 0)
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				if i+1 >= len(s) || s[i+1] != '(' {
					return "", "", 0, false
				}
				end := strings.IndexByte(s[i+2:], ')')
				if end < 0 {
					return "", "", 0, false
				}
				dest := strings.TrimSpace(s[i+2 : i+2+end])
				if sp := strings.IndexAny(dest, " \t"); sp >= 0 {
					dest = dest[:sp] // drop a title
				}
				dest = strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
				return s[1:i], dest, i + 3 + end, true
			}
		}
	}
	return "", "", 0, false
}

// link returns the Go doc form of a link: [text] with a definition for an
// absolute http, https or mailto URL (a second URL for the same text, or
// text a Go doc link cannot hold, gives "text (url)"); the text alone for
// any other destination.
func (d *docWriter) link(text, url string) string {
	if !absolute(url) {
		if text == "" {
			return ""
		}
		return text
	}
	if text == "" || text == url {
		return url
	}
	if strings.ContainsAny(text, "[]") || strings.HasPrefix(text, "#") || strings.Contains(text, "``") || strings.Contains(text, "''") {
		return text + " (" + url + ")"
	}
	if d.urlOf == nil {
		d.urlOf = map[string]string{}
	}
	if prev, ok := d.urlOf[text]; ok && prev != url {
		return text + " (" + url + ")"
	} else if !ok {
		d.urlOf[text] = url
		d.links = append(d.links, "["+text+"]: "+url)
	}
	return "[" + text + "]"
}

// absolute reports whether url is an absolute http, https or mailto URL
// without spaces.
func absolute(url string) bool {
	l := strings.ToLower(url)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "mailto:")) &&
		!strings.ContainsAny(url, " \t")
}

// maxSpan bounds how far a construct (a code span, a link, a tag, an
// emphasis) is looked for from where it opens, so that text full of
// unclosed openers is converted in linear time.
const maxSpan = 1000

// window returns s[i:], cut at maxSpan bytes.
func window(s string, i int) string {
	return s[i:min(len(s), i+maxSpan)]
}

// run counts the bytes equal to c from s[i].
func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// opens reports whether the run of n c's at s[i] can open emphasis: the
// next character is not space, and for "_" the previous one is not a
// letter or digit (snake_case is not emphasis).
func opens(s string, i, n int, c byte) bool {
	if i+n >= len(s) || s[i+n] == ' ' || s[i+n] == '\t' {
		return false
	}
	if c == '_' && i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// closing returns the index of the run of exactly n c's closing emphasis
// opened before from, or -1: preceded by a non-space, and for "_" not
// followed by a letter or digit. It looks no further than maxSpan.
func closing(s string, from, n int, c byte) int {
	limit := min(len(s), from+maxSpan)
	for j := from; j < limit; j++ {
		if s[j] == '`' {
			return -1
		}
		if s[j] != c {
			continue
		}
		m := run(s, j, c)
		if m == n && s[j-1] != ' ' && s[j-1] != '\t' && j > from {
			if c == '_' && j+m < len(s) {
				r, _ := utf8.DecodeRuneInString(s[j+m:])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					j += m - 1
					continue
				}
			}
			return j
		}
		j += m - 1
	}
	return -1
}

func isPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

// fromHTML rewrites the HTML tags of s (outside code spans and fences) as
// Markdown the block and inline passes understand, and decodes entities
// in the text between them.
func fromHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	var lists []int // per open list: -1 bulleted, else the next number
	inPre, inFence := false, ""
	text := func(t string) { b.WriteString(html.UnescapeString(t)) }
	for i := 0; i < len(s); {
		// Fenced code and code spans are copied as written.
		if i == 0 || s[i-1] == '\n' {
			end := strings.IndexByte(s[i:], '\n') + 1 // the line with its newline
			if end <= 0 {
				end = len(s) - i
			}
			if f, ok := fence(s[i : i+end]); ok && !inPre {
				switch {
				case inFence == "":
					inFence = f
				case strings.HasPrefix(f, inFence[:1]) && len(f) >= len(inFence):
					inFence = ""
				}
				b.WriteString(s[i : i+end])
				i += end
				continue
			}
			if inFence != "" {
				b.WriteString(s[i : i+end])
				i += end
				continue
			}
		}
		c := s[i]
		if c == '`' && !inPre {
			n := run(s, i, '`')
			if end := strings.Index(window(s, i+n), s[i:i+n]); end >= 0 && !strings.Contains(s[i+n:i+n+end], "\n\n") {
				b.WriteString(s[i : i+n+end+n])
				i += n + end + n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		if c != '<' {
			j := i + 1
			for j < len(s) && s[j] != '<' && s[j] != '`' && s[j] != '\n' {
				j++
			}
			if j < len(s) && s[j] == '\n' {
				j++
			}
			text(s[i:j])
			i = j
			continue
		}
		end := strings.IndexByte(window(s, i), '>')
		if end < 0 {
			text(s[i : i+1])
			i++
			continue
		}
		tag := s[i+1 : i+end]
		name, closing, attrs := tagName(tag)
		repl, known := "", true
		switch name {
		case "p", "div", "hr", "table", "blockquote", "dl":
			repl = "\n\n"
		case "br":
			repl = "\n\n"
			if inPre {
				repl = "\n"
			}
		case "tr", "dt", "dd":
			repl = "\n"
			if !closing {
				repl = "\n\n"
			}
		case "td", "th":
			repl = " "
		case "h1", "h2", "h3", "h4", "h5", "h6":
			repl = "\n\n"
			if !closing {
				repl = "\n\n# "
			}
		case "ul", "ol":
			repl = "\n\n"
			if closing {
				if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
			} else if name == "ul" {
				lists = append(lists, -1)
			} else {
				lists = append(lists, 1)
			}
		case "li":
			switch {
			case closing:
				repl = "\n"
			case len(lists) > 0 && lists[len(lists)-1] > 0:
				repl = "\n" + strconv.Itoa(lists[len(lists)-1]) + ". "
				lists[len(lists)-1]++
			default:
				repl = "\n- "
			}
		case "pre":
			inPre = !closing
			repl = "\n\n```\n"
			if closing {
				repl = "\n```\n\n"
			}
		case "code", "tt", "kbd", "samp":
			if !inPre {
				repl = "`"
			}
		case "a":
			if closing {
				repl = "]" + "(" + "\x00" + ")"
			} else {
				href := attr(attrs, "href")
				repl = "[" + "\x01" + href + "\x01"
			}
		case "b", "strong", "i", "em", "u", "span", "small", "sup", "sub", "font", "mark", "abbr", "cite", "del", "s", "ins", "img", "thead", "tbody", "tfoot":
			if name == "img" {
				repl = attr(attrs, "alt")
			}
		default:
			known = false
		}
		if !known {
			text(s[i : i+end+1])
		} else {
			b.WriteString(repl)
		}
		i += end + 1
	}
	return fixAnchors(b.String())
}

// fixAnchors turns the markers fromHTML writes for <a href="u">t</a>
// ("[\x01u\x01t](\x00)") into the Markdown link "[t](u)".
func fixAnchors(s string) string {
	if !strings.Contains(s, "\x01") {
		return s
	}
	var b strings.Builder
	for {
		start := strings.Index(s, "[\x01")
		if start < 0 {
			break
		}
		mid := strings.IndexByte(s[start+2:], '\x01')
		if mid < 0 {
			break
		}
		href := s[start+2 : start+2+mid]
		rest := s[start+3+mid:]
		end := strings.Index(rest, "](\x00)")
		b.WriteString(s[:start])
		if end < 0 { // no closing tag after this one, nor after any later one
			s = rest
			break
		}
		b.WriteString("[" + rest[:end] + "](" + href + ")")
		s = rest[end+4:]
	}
	b.WriteString(s)
	return strings.NewReplacer("\x01", "", "](\x00)", "").Replace(b.String())
}

// tagName splits the inside of an HTML tag into its lower-case name,
// whether it closes, and its attributes; name is "" when it is not a tag.
func tagName(tag string) (name string, closing bool, attrs string) {
	if t, ok := strings.CutPrefix(tag, "/"); ok {
		tag, closing = t, true
	}
	tag = strings.TrimSuffix(tag, "/")
	n := 0
	for n < len(tag) && (tag[n] >= 'a' && tag[n] <= 'z' || tag[n] >= 'A' && tag[n] <= 'Z' || n > 0 && tag[n] >= '0' && tag[n] <= '9') {
		n++
	}
	if n == 0 || n < len(tag) && tag[n] != ' ' && tag[n] != '\t' && tag[n] != '\n' {
		return "", false, ""
	}
	return strings.ToLower(tag[:n]), closing, tag[n:]
}

// attr returns the value of the attribute name in attrs (quoted with " or
// ', or bare), entities decoded.
func attr(attrs, name string) string {
	l := strings.ToLower(attrs)
	for from := 0; ; {
		i := strings.Index(l[from:], name)
		if i < 0 {
			return ""
		}
		i += from
		from = i + len(name)
		if i > 0 && l[i-1] != ' ' && l[i-1] != '\t' && l[i-1] != '\n' {
			continue
		}
		rest := strings.TrimLeft(attrs[i+len(name):], " ")
		v, ok := strings.CutPrefix(rest, "=")
		if !ok {
			continue
		}
		v = strings.TrimLeft(v, " ")
		if v != "" && (v[0] == '"' || v[0] == '\'') {
			if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
				return html.UnescapeString(v[1 : 1+end])
			}
			return ""
		}
		if end := strings.IndexAny(v, " \t"); end >= 0 {
			v = v[:end]
		}
		return html.UnescapeString(v)
	}
}
