package generator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorgen/connectorgen/generator/config"
	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
)

// webhooks adds the events of connectorgen.yaml's webhooks section (s may
// be nil) to the spec's and decides what tells each event's deliveries
// apart (ir.Webhook.Match): the section's header and member, or, without
// them, a body member that is a single enum or const value in every
// event's body, with a value of its own in each. One event needs nothing.
// Events that cannot be told apart are warned about: their deliveries go
// to the receiver's fallback handler.
func webhooks(api *ir.API, s *config.File) diag.List {
	var diags diag.List
	var cfg config.Webhooks
	name := ""
	if s != nil && s.Webhooks != nil {
		cfg, name = *s.Webhooks, s.Name()
	}
	at := func(sev diag.Severity, ptr, format string, args ...any) {
		d := diag.Diagnostic{Severity: sev, Pointer: ptr, Message: fmt.Sprintf(format, args...)}
		if strings.HasPrefix(ptr, "#/webhooks/events/") && s != nil {
			d.Pos = diag.Pos{File: name, Line: s.Line("webhooks", "events")}
		}
		diags = append(diags, d)
	}
	fromConfig := map[*ir.Webhook]config.WebhookEvent{}
	if len(cfg.Events) > 0 {
		bySource := map[string]*ir.Type{}
		for _, t := range api.Types {
			if _, seen := bySource[t.Source]; !seen {
				bySource[t.Source] = t
			}
		}
		keys := make([]string, 0, len(cfg.Events))
		for k := range cfg.Events {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			e := cfg.Events[k]
			ptr := "#/webhooks/events/" + diag.EscapeToken(k)
			t := bySource[e.Schema]
			if t == nil {
				at(diag.Error, ptr+"/schema", "event %q: no schema of the spec at %s", k, e.Schema)
				continue
			}
			w := &ir.Webhook{Name: k, Source: ptr, Op: &ir.Operation{ID: k, Method: "POST", Source: ptr,
				Body: &ir.Body{MediaType: "application/json", Kind: ir.BodyJSON, Type: t, Required: true, Source: ptr}}}
			fromConfig[w] = e
			api.Webhooks = append(api.Webhooks, w)
		}
	}
	if diags.HasErrors() || len(api.Webhooks) == 0 {
		return diags
	}
	member := cfg.Member
	if cfg.Header == "" && member == "" && len(api.Webhooks) > 1 {
		member = autoMember(api.Webhooks)
	}
	for _, w := range api.Webhooks {
		e, configured := fromConfig[w]
		if h := cfg.Header; h != "" {
			v := e.Header
			if v == "" {
				v = extensionValue(w.Op.Extensions, cfg.HeaderValue)
			}
			if v == "" {
				for _, p := range w.Op.Params {
					if p.In == "header" && strings.EqualFold(p.Name, h) {
						v, _ = single(p.Type)
					}
				}
			}
			if v != "" {
				w.Match = append(w.Match, ir.WebhookMatch{In: "header", Name: h, Value: v})
			}
		}
		if member != "" {
			v := e.Member
			if v == "" {
				v = extensionValue(w.Op.Extensions, cfg.MemberValue)
			}
			if v == "" && w.Op.Body != nil {
				v, _ = single(memberType(w.Op.Body.Type, member))
			}
			if v == "" && configured {
				v = w.Name
			}
			if v != "" {
				w.Match = append(w.Match, ir.WebhookMatch{In: "body", Name: member, Value: v})
			}
		}
	}
	if len(api.Webhooks) == 1 && cfg.Header == "" && cfg.Member == "" {
		return diags
	}
	seen := map[string]*ir.Webhook{}
	for _, w := range api.Webhooks {
		if len(w.Match) == 0 {
			at(diag.Warning, w.Source, "webhook event %q: nothing tells its deliveries apart from the other events' (set webhooks.header or webhooks.member in connectorgen.yaml, or serve the event's own URL with Webhooks.For); they go to the receiver's OnUnknown handler", w.Name)
			continue
		}
		key := fmt.Sprint(w.Match)
		if first := seen[key]; first != nil {
			at(diag.Warning, w.Source, "webhook event %q: its deliveries look like event %q's (%s); they go to %q", w.Name, first.Name, describeMatch(w.Match), first.Name)
			continue
		}
		seen[key] = w
	}
	return diags
}

// describeMatch says a Match in words: `header X-GitHub-Event "issues"
// and member /action "opened"`.
func describeMatch(m []ir.WebhookMatch) string {
	parts := make([]string, 0, len(m))
	for _, c := range m {
		in := "header"
		if c.In == "body" {
			in = "member"
		}
		parts = append(parts, fmt.Sprintf("%s %s %q", in, c.Name, c.Value))
	}
	return strings.Join(parts, " and ")
}

// autoMember is a top-level body member that every event's body declares
// with a single enum or const value, one per event ("/type"), or "".
func autoMember(ws []*ir.Webhook) string {
	var candidates []string
	for i, w := range ws {
		var fields []*ir.Field
		if w.Op.Body != nil && w.Op.Body.Type != nil {
			fields = resolve(w.Op.Body.Type).Fields
		}
		here := map[string]bool{}
		for _, f := range fields {
			if _, ok := single(f.Type); ok {
				here["/"+diag.EscapeToken(f.JSONName)] = true
			}
		}
		if i == 0 {
			for k := range here {
				candidates = append(candidates, k)
			}
			sort.Strings(candidates)
			continue
		}
		kept := candidates[:0]
		for _, c := range candidates {
			if here[c] {
				kept = append(kept, c)
			}
		}
		candidates = kept
	}
	for _, c := range candidates {
		values := map[string]bool{}
		for _, w := range ws {
			v, _ := single(memberType(w.Op.Body.Type, c))
			values[v] = true
		}
		if len(values) == len(ws) {
			return c
		}
	}
	return ""
}

// resolve follows aliases to the type that has the shape.
func resolve(t *ir.Type) *ir.Type {
	for i := 0; t != nil && t.Kind == ir.Alias && t.Elem != nil && i < 64; i++ {
		t = t.Elem
	}
	if t == nil {
		return &ir.Type{}
	}
	return t
}

// memberType is the type of the member at pointer (a JSON pointer of
// object members, "/data/object/type") below t, or nil.
func memberType(t *ir.Type, pointer string) *ir.Type {
	for _, tok := range diag.Tokens(pointer) {
		var next *ir.Type
		for _, f := range resolve(t).Fields {
			if f.JSONName == tok {
				next = f.Type
			}
		}
		if next == nil {
			return nil
		}
		t = next
	}
	return t
}

// single is the one value an enum of one value allows (a const is one),
// as the text a receiver compares: a string's text, a number's or
// boolean's JSON.
func single(t *ir.Type) (string, bool) {
	t = resolve(t)
	value := t.Const
	if value == nil {
		if t.Kind != ir.Enum || len(t.Enum) != 1 {
			return "", false
		}
		value = t.Enum[0].Value
	}
	switch v := value.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// extensionValue is the string (or number) at a dotted path into the
// operation's extensions ("x-github.subcategory"), or "".
func extensionValue(ext map[string]any, path string) string {
	if path == "" {
		return ""
	}
	parts := strings.Split(path, ".")
	var v any = ext[parts[0]]
	for _, p := range parts[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}
