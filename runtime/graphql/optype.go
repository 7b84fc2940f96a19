package graphql

// OperationType returns "query", "mutation" or "subscription": the type of
// the operation named name in document (GraphQL spec §2.3), or of its first
// operation when name is "". A shorthand "{ ... }" operation is a query. It
// returns "" when no such operation is found; callers then treat the
// request as not idempotent.
//
// It is a scanner, not a parser: it skips comments, strings and block
// strings and looks only at definitions at the top level of the document.
func OperationType(document, name string) string {
	s := scanner{src: document}
	depth := 0
	for {
		tok, kind := s.next()
		switch kind {
		case tokEOF:
			return ""
		case tokPunct:
			switch tok {
			case "{":
				if depth == 0 && name == "" {
					return "query"
				}
				depth++
			case "}":
				if depth > 0 {
					depth--
				}
			}
		case tokName:
			if depth != 0 || (tok != "query" && tok != "mutation" && tok != "subscription") {
				continue
			}
			n, k := s.next()
			switch {
			case k == tokName && n == name:
				return tok
			case name == "":
				return tok // the first operation
			case n == "{":
				depth++
			}
		}
	}
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokName
	tokPunct
	tokOther
)

type scanner struct {
	src string
	i   int
}

// next returns the next significant token.
func (s *scanner) next() (string, tokKind) {
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			s.i++
		case c == 0xEF && len(s.src) >= s.i+3 && s.src[s.i:s.i+3] == "\uFEFF":
			s.i += 3
		case c == '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' && s.src[s.i] != '\r' {
				s.i++
			}
		case c == '"':
			s.skipString()
			return "", tokOther
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			start := s.i
			for s.i < len(s.src) && isNameChar(s.src[s.i]) {
				s.i++
			}
			return s.src[start:s.i], tokName
		case c == '{' || c == '}':
			s.i++
			return string(c), tokPunct
		default:
			s.i++
			return string(c), tokOther
		}
	}
	return "", tokEOF
}

func isNameChar(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// skipString skips a "string" or a """block string""" starting at s.i.
func (s *scanner) skipString() {
	if len(s.src) >= s.i+3 && s.src[s.i:s.i+3] == `"""` {
		s.i += 3
		for s.i < len(s.src) {
			switch {
			case len(s.src) >= s.i+4 && s.src[s.i:s.i+4] == `\"""`:
				s.i += 4
			case len(s.src) >= s.i+3 && s.src[s.i:s.i+3] == `"""`:
				s.i += 3
				return
			default:
				s.i++
			}
		}
		return
	}
	s.i++
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case '\\':
			s.i += 2
		case '"', '\n', '\r':
			s.i++
			return
		default:
			s.i++
		}
	}
}
