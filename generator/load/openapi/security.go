package openapi

import (
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi3"
)

// servers lowers the document's servers, replacing each server variable by
// its default (OpenAPI 3.1 §4.8.5).
func (l *lowerer) servers() {
	for _, s := range l.doc.Servers {
		if s == nil {
			continue
		}
		url := s.URL
		names := make([]string, 0, len(s.Variables))
		for name := range s.Variables {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if v := s.Variables[name]; v != nil {
				url = strings.ReplaceAll(url, "{"+name+"}", v.Default)
			}
		}
		l.api.Servers = append(l.api.Servers, ir.Server{URL: url, Description: s.Description})
	}
}

// securitySchemes lowers components/securitySchemes in name order.
func (l *lowerer) securitySchemes() {
	if l.doc.Components == nil {
		return
	}
	names := make([]string, 0, len(l.doc.Components.SecuritySchemes))
	for name := range l.doc.Components.SecuritySchemes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ref := l.doc.Components.SecuritySchemes[name]
		ptr := diag.Pointer("components", "securitySchemes", name)
		if ref == nil || ref.Value == nil {
			l.warn(ptr, "security scheme %q is empty; ignored", name)
			continue
		}
		s := ref.Value
		l.api.SecuritySchemes = append(l.api.SecuritySchemes, &ir.SecurityScheme{
			Name: name, Type: s.Type, In: s.In, ParamName: s.Name,
			Scheme: strings.ToLower(s.Scheme), Description: s.Description, Source: ptr,
		})
	}
}

// requirements turns security requirements into OR-of-AND scheme names,
// each AND set sorted; an empty set means anonymous access is allowed.
func requirements(reqs openapi3.SecurityRequirements) [][]string {
	out := make([][]string, 0, len(reqs))
	for _, r := range reqs {
		set := make([]string, 0, len(r))
		for name := range r {
			set = append(set, name)
		}
		sort.Strings(set)
		out = append(out, set)
	}
	return out
}
