package emit

import (
	"bytes"
	"strings"
)

// groupImports splits the import block jennifer writes into the standard
// library and the rest, separated by a blank line, as goimports does, so
// generated files read like hand-written ones.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	body := start + len("\nimport (\n")
	end := bytes.Index(src[body:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	var std, other []string
	for _, line := range strings.Split(string(src[body:body+end]), "\n") {
		path := strings.Trim(strings.TrimSpace(line[strings.LastIndex(line, " ")+1:]), `"`)
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	if len(std) == 0 || len(other) == 0 {
		return src
	}
	var out bytes.Buffer
	out.Write(src[:body])
	out.WriteString(strings.Join(std, "\n") + "\n\n" + strings.Join(other, "\n"))
	out.Write(src[body+end:])
	return out.Bytes()
}
