package ir

import "strings"

// MediaName names a media type for Go identifiers, as words: "Form" for
// application/x-www-form-urlencoded, "Multipart", "Text", "XML", "JSON",
// "Binary" for application/octet-stream, "Any" for */*; otherwise the
// subtype without its "x-" or "vnd." prefix ("merge-patch+json" →
// "merge patch json", "image/png" → "png"), or the type for a wildcard
// subtype ("image/*" → "image"). Alternative request bodies' methods
// and inline types are named with it: CreatePetWithForm, CreatePetFormBody.
func MediaName(mt string) string {
	base := strings.ToLower(strings.TrimSpace(strings.Split(mt, ";")[0]))
	switch base {
	case "application/json":
		return "JSON"
	case "application/x-www-form-urlencoded":
		return "Form"
	case "multipart/form-data":
		return "Multipart"
	case "text/plain":
		return "Text"
	case "application/xml", "text/xml":
		return "XML"
	case "application/octet-stream":
		return "Binary"
	case "*/*", "*", "":
		return "Any"
	}
	typ, sub, _ := strings.Cut(base, "/")
	if sub == "" || sub == "*" {
		sub = typ
	}
	sub = strings.TrimPrefix(strings.TrimPrefix(sub, "x-"), "vnd.")
	words := strings.FieldsFunc(sub, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(words) == 0 {
		return "Media"
	}
	for i, w := range words {
		if acronyms[w] {
			words[i] = strings.ToUpper(w)
		}
	}
	return strings.Join(words, " ")
}

// acronyms are media subtype words written in capitals in Go names
// (UploadWithCSV), beside the initialisms package names knows.
var acronyms = map[string]bool{
	"csv": true, "tsv": true, "yaml": true, "png": true, "pdf": true, "gif": true,
	"jpeg": true, "svg": true, "zip": true, "bmp": true, "tiff": true,
}

// IsJSONMedia reports whether a media type is JSON: application/json,
// a +json suffix, or another type naming json.
func IsJSONMedia(mt string) bool {
	return strings.Contains(strings.ToLower(strings.Split(mt, ";")[0]), "json")
}
