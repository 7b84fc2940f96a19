package openapi

import (
	"encoding/json"
	"strings"

	"github.com/connectorgen/connectorgen/generator/diag"
	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/getkin/kin-openapi/openapi3"
)

// webhooks lowers the events the provider sends: the document's webhooks
// (OpenAPI 3.1 §4.8.1; a 3.0 document's x-webhooks, see xWebhooks), in
// name order, then the callbacks of every operation (§4.8.18), in path,
// method, callback name and expression order. Each method of an event's
// path item is one ir.Webhook whose Op carries the request the provider
// sends; its inline body schema is named after the event ("NewPetEvent").
func (l *lowerer) webhooks() {
	prefix, items := "webhooks", l.doc.Webhooks
	if l.xWebhooks != nil {
		prefix, items = xWebhooksKey, l.xWebhooks
	}
	for _, name := range sortedKeys(items) {
		l.webhookItem(name, items[name], diag.Pointer(prefix, name))
	}
	if l.doc.Paths == nil {
		return
	}
	paths := l.doc.Paths.Map()
	for _, path := range sortedKeys(paths) {
		item := paths[path]
		if item == nil {
			continue
		}
		for _, m := range methods {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			for _, name := range sortedKeys(op.Callbacks) {
				cb := op.Callbacks[name]
				if cb == nil || cb.Value == nil {
					continue
				}
				exprs := cb.Value.Map()
				for _, expr := range sortedKeys(exprs) {
					l.webhookItem(name, exprs[expr], diag.Pointer("paths", path, strings.ToLower(m), "callbacks", name, expr))
				}
			}
		}
	}
}

// webhookItem lowers each operation of one event's path item.
func (l *lowerer) webhookItem(name string, item *openapi3.PathItem, ptr string) {
	if item == nil {
		return
	}
	var found []string
	for _, m := range methods {
		if item.GetOperation(m) != nil {
			found = append(found, m)
		}
	}
	for _, m := range found {
		o := item.GetOperation(m)
		event := name
		if len(found) > 1 {
			event = name + " " + strings.ToLower(m)
		}
		op := &ir.Operation{ID: o.OperationID, Method: m, Summary: strings.TrimSpace(o.Summary),
			Description: strings.TrimSpace(o.Description), Deprecated: o.Deprecated, Tags: o.Tags,
			Source: ptr + "/" + strings.ToLower(m)}
		if op.ID == "" {
			op.ID = event
		}
		op.GoNameOverride = goName(o.Extensions)
		if len(o.Extensions) > 0 {
			op.Extensions = map[string]any{}
			for k, v := range o.Extensions {
				op.Extensions[k] = v
			}
		}
		l.params(op, "", "", item.Parameters, o.Parameters)
		if rb := o.RequestBody; rb != nil && rb.Value != nil && len(rb.Value.Content) > 0 {
			mt, kind := pickMedia(rb.Value.Content)
			op.Body = l.body(op, rb.Value, rb.Ref, mt, kind, "Event")
		}
		l.api.Webhooks = append(l.api.Webhooks, &ir.Webhook{Name: event, Op: op, Source: ptr})
	}
}

// xWebhooksKey is the extension OpenAPI 3.0 documents describe their
// webhooks in, before 3.1 had the webhooks member (Apideck, Vonage).
const xWebhooksKey = "x-webhooks"

// xWebhooks reads a 3.0 document's x-webhooks into doc.Webhooks, so that
// its $refs resolve with the rest: each entry a path item (Apideck), or a
// callback (Vonage: an expression mapped to a path item), whose first
// expression's path item is taken. Entries of neither shape are left out.
func xWebhooks(doc *openapi3.T) {
	raw, ok := doc.Extensions[xWebhooksKey].(map[string]any)
	if !ok || len(doc.Webhooks) > 0 {
		return
	}
	isItem := func(v any) bool {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, method := range methods {
			if _, ok := m[strings.ToLower(method)]; ok {
				return true
			}
		}
		return false
	}
	out := map[string]*openapi3.PathItem{}
	for _, name := range sortedKeys(raw) {
		v := raw[name]
		if !isItem(v) {
			m, ok := v.(map[string]any)
			if !ok {
				continue
			}
			v = nil
			for _, expr := range sortedKeys(m) {
				if isItem(m[expr]) {
					v = m[expr]
					break
				}
			}
			if v == nil {
				continue
			}
		}
		data, err := json.Marshal(v)
		if err != nil {
			continue
		}
		item := &openapi3.PathItem{}
		if err := item.UnmarshalJSON(data); err != nil {
			continue
		}
		out[name] = item
	}
	if len(out) > 0 {
		doc.Webhooks = out
	}
}
