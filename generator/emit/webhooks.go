package emit

import (
	"sort"
	"strings"

	"github.com/connectorgen/connectorgen/generator/ir"
	"github.com/dave/jennifer/jen"
)

// webhookPath is the runtime's webhook package: verification, the
// Receiver, Dedup and DeadLetters, Signer.
const webhookPath = rtPath + "/webhook"

// webhooks writes webhooks.go of a connector whose spec has events
// (api.Webhooks): the Webhooks receiver, which verifies, deduplicates and
// dead-letters through a webhook.Receiver and dispatches each delivery to
// the typed handler registered for its event, and the WebhookSender,
// which signs and posts events for tests.
func (e *emitter) webhooks(f *jen.File) {
	f.ImportName(webhookPath, "webhook")
	ws := e.api.Webhooks
	title := e.api.Title
	if title == "" {
		title = "the API"
	}
	f.Add(doc(
		"Webhooks receives the events "+specDoc(title)+" sends: an http.Handler that reads each delivery through a webhook.Receiver (which verifies its signature, skips a redelivered one, and dead-letters one that keeps failing), tells its event apart, decodes it into the event's type and calls the handler registered for it.",
		"An event is decoded as a client decodes a response (webhook.Receiver.Decode): a value that does not fit its type is left unset and reported as drift, unless the Receiver's StrictDecoding. A handler's error, or panic, answers 500 so that the sender retries; after the Receiver's MaxAttempts, or at once for an event that does not decode (webhook.Permanent), the delivery goes to its DeadLetters, from which Replay hands it to the handlers again. A delivery of no registered event goes to the OnUnknown handler, and without one is dead-lettered: none is dropped.",
		"Register handlers before serving. The handlers' context carries the delivery (webhook.FromContext): its id, headers and attempts.",
	))
	fields := []jen.Code{jen.Id("rc").Op("*").Qual(webhookPath, "Receiver")}
	for _, w := range ws {
		fields = append(fields, jen.Id(handlerField(w)).Add(e.handlerType(w)))
	}
	fields = append(fields, jen.Id("unknown").Func().Params(jen.Qual("context", "Context"), jen.Op("*").Qual(webhookPath, "Delivery")).Error())
	f.Type().Id("Webhooks").Struct(fields...)
	f.Line()

	f.Add(doc("NewWebhooks returns the receiver of the API's events on rc, whose Scheme verifies them (required) and whose Dedup, DeadLetters, MaxAttempts and Observer apply; it sets rc.Handle to its own dispatch. Serve the Webhooks, or rc itself."))
	f.Func().Id("NewWebhooks").Params(jen.Id("rc").Op("*").Qual(webhookPath, "Receiver")).Op("*").Id("Webhooks").Block(
		jen.Id("w").Op(":=").Op("&").Id("Webhooks").Values(jen.Dict{jen.Id("rc"): jen.Id("rc")}),
		jen.Id("rc").Dot("Handle").Op("=").Id("w").Dot("dispatch"),
		jen.Return(jen.Id("w")),
	)
	f.Line()
	recv := func() *jen.Statement { return jen.Id("w").Op("*").Id("Webhooks") }
	f.Add(doc("ServeHTTP receives one delivery (webhook.Receiver.ServeHTTP), of the event Event tells."))
	f.Func().Params(recv()).Id("ServeHTTP").Params(jen.Id("rw").Qual("net/http", "ResponseWriter"), jen.Id("r").Op("*").Qual("net/http", "Request")).Block(
		jen.Id("r").Dot("Header").Dot("Del").Call(jen.Qual(webhookPath, "EventHeader")),
		jen.Id("w").Dot("rc").Dot("ServeHTTP").Call(jen.Id("rw"), jen.Id("r")),
	)
	f.Line()
	f.Add(doc("For returns an http.Handler that receives every delivery at its URL as the event named event (the spec's name of a webhook or callback), whatever its body or headers: for a provider that sends each event to a URL of its own, as callbacks are (the URL the subscription gave). A name that is none of the spec's events goes to OnUnknown."))
	f.Func().Params(recv()).Id("For").Params(jen.Id("event").String()).Qual("net/http", "Handler").Block(
		jen.Return(jen.Qual("net/http", "HandlerFunc").Call(jen.Func().Params(jen.Id("rw").Qual("net/http", "ResponseWriter"), jen.Id("r").Op("*").Qual("net/http", "Request")).Block(
			jen.Id("r").Dot("Header").Dot("Set").Call(jen.Qual(webhookPath, "EventHeader"), jen.Id("event")),
			jen.Id("w").Dot("rc").Dot("ServeHTTP").Call(jen.Id("rw"), jen.Id("r")),
		))),
	)
	f.Line()
	f.Add(doc("Replay hands the dead-lettered delivery id to its handler again (webhook.Receiver.Replay): on success it leaves the DeadLetters. It returns webhook.ErrNotFound for an unknown id, webhook.ErrReplayInProgress while another replay of it runs, or the handler's error."))
	f.Func().Params(recv()).Id("Replay").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("id").String()).Error().Block(
		jen.Return(jen.Id("w").Dot("rc").Dot("Replay").Call(jen.Id("ctx"), jen.Id("id"))),
	)
	f.Line()
	for _, w := range ws {
		paras := []string{"On" + w.Op.Name + " registers h as the handler of " + quoteEvent(w.Name) + " events" + matchDoc(w) + "."}
		if s := specDoc(w.Op.Summary); s != "" {
			paras = append(paras, s)
		}
		if s := specDoc(w.Op.Description); s != "" && s != specDoc(w.Op.Summary) {
			paras = append(paras, s)
		}
		if w.Op.Deprecated {
			paras = append(paras, deprecated(true))
		}
		f.Add(doc(paras...))
		f.Func().Params(recv()).Id("On" + w.Op.Name).Params(jen.Id("h").Add(e.handlerType(w))).Block(
			jen.Id("w").Dot(handlerField(w)).Op("=").Id("h"),
		)
		f.Line()
	}
	f.Add(doc("OnUnknown registers h as the handler of deliveries of no event with a handler registered: an event the spec does not list, or one whose On method was not called. Without it such deliveries are dead-lettered."))
	f.Func().Params(recv()).Id("OnUnknown").Params(jen.Id("h").Func().Params(jen.Qual("context", "Context"), jen.Op("*").Qual(webhookPath, "Delivery")).Error()).Block(
		jen.Id("w").Dot("unknown").Op("=").Id("h"),
	)
	f.Line()

	// Event: the spec's name of a delivery's event.
	f.Add(doc("Event returns the spec's name of the event d carries, or \"\" when it is none of the spec's: " + eventRule(ws) + "."))
	var cases []jen.Code
	ordered := append([]*ir.Webhook(nil), ws...)
	sort.SliceStable(ordered, func(i, j int) bool { return len(ordered[i].Match) > len(ordered[j].Match) })
	members := map[string]bool{}
	var memberOrder []string
	for _, w := range ordered {
		for _, m := range w.Match {
			if m.In == "body" && !members[m.Name] {
				members[m.Name] = true
				memberOrder = append(memberOrder, m.Name)
			}
		}
	}
	var body []jen.Code
	memberVar := map[string]string{}
	for i, m := range memberOrder {
		v := "member"
		if len(memberOrder) > 1 {
			v += string(rune('A' + i%26))
			if i >= 26 {
				v += strings.Repeat("x", i/26)
			}
		}
		memberVar[m] = v
		body = append(body, jen.List(jen.Id(v), jen.Id("_")).Op(":=").Qual(webhookPath, "Member").Call(jen.Id("d").Dot("Body"), jen.Lit(m)))
	}
	single := len(ws) == 1 && len(ws[0].Match) == 0
	for _, w := range ordered {
		if len(w.Match) == 0 {
			continue
		}
		var cond *jen.Statement
		for _, m := range w.Match {
			var c *jen.Statement
			if m.In == "header" {
				c = jen.Id("d").Dot("Header").Dot("Get").Call(jen.Lit(m.Name)).Op("==").Lit(m.Value)
			} else {
				c = jen.Id(memberVar[m.Name]).Op("==").Lit(m.Value)
			}
			if cond == nil {
				cond = c
			} else {
				cond = cond.Op("&&").Add(c)
			}
		}
		cases = append(cases, jen.Case(cond).Block(jen.Return(jen.Lit(w.Name))))
	}
	switch {
	case single:
		body = append(body, jen.Return(jen.Lit(ws[0].Name)))
	case len(cases) > 0:
		body = append(body, jen.Switch().Block(cases...), jen.Return(jen.Lit("")))
	default:
		body = append(body, jen.Return(jen.Lit("")))
	}
	dParam := jen.Id("d")
	if single || len(cases) == 0 {
		dParam = jen.Id("_")
	}
	f.Func().Params(recv()).Id("Event").Params(dParam.Op("*").Qual(webhookPath, "Delivery")).String().Block(body...)
	f.Line()

	// dispatch
	var dcases []jen.Code
	for _, w := range ws {
		h := jen.Id("w").Dot(handlerField(w))
		var stmts []jen.Code
		stmts = append(stmts, jen.If(h.Clone().Op("==").Nil()).Block(jen.Break()))
		if t := eventType(w); t != nil {
			ptr := isNamed(t)
			stmts = append(stmts,
				jen.Var().Id("event").Add(goType(t)),
				jen.If(jen.Err().Op(":=").Id("w").Dot("rc").Dot("Decode").Call(jen.Id("ctx"), jen.Lit(w.Name), jen.Id("d").Dot("Body"), jen.Op("&").Id("event")), jen.Err().Op("!=").Nil()).Block(
					jen.Return(jen.Err()),
				),
			)
			arg := jen.Id("event")
			if ptr {
				arg = jen.Op("&").Id("event")
			}
			stmts = append(stmts, jen.Return(h.Clone().Call(jen.Id("ctx"), arg)))
		} else {
			stmts = append(stmts, jen.Return(h.Clone().Call(jen.Id("ctx"), jen.Id("d").Dot("Body"))))
		}
		dcases = append(dcases, jen.Case(jen.Lit(w.Name)).Block(stmts...))
	}
	f.Add(doc("dispatch is the Receiver's Handle: the handler of the delivery's event (For's, else Event's), else OnUnknown's."))
	f.Func().Params(recv()).Id("dispatch").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("d").Op("*").Qual(webhookPath, "Delivery")).Error().Block(
		jen.Id("name").Op(":=").Id("d").Dot("Header").Dot("Get").Call(jen.Qual(webhookPath, "EventHeader")),
		jen.If(jen.Id("name").Op("==").Lit("")).Block(jen.Id("name").Op("=").Id("w").Dot("Event").Call(jen.Id("d"))),
		jen.Switch(jen.Id("name")).Block(dcases...),
		jen.If(jen.Id("w").Dot("unknown").Op("!=").Nil()).Block(jen.Return(jen.Id("w").Dot("unknown").Call(jen.Id("ctx"), jen.Id("d")))),
		jen.If(jen.Id("name").Op("==").Lit("")).Block(
			jen.Return(jen.Qual(webhookPath, "Permanent").Call(jen.Qual("errors", "New").Call(jen.Lit("the delivery is none of the spec's events, and no OnUnknown handler is registered")))),
		),
		jen.Return(jen.Qual(webhookPath, "Permanent").Call(jen.Qual("fmt", "Errorf").Call(jen.Lit("no handler is registered for %s events, nor OnUnknown"), jen.Id("name")))),
	)
	f.Line()

	// Sender
	f.Add(doc("WebhookSender posts the API's events to a receiver as its sender would, signed with Signer (every scheme of package webhook is one), to the receiver's endpoint URL: for tests of handlers end to end. Client nil means http.DefaultClient."))
	f.Type().Id("WebhookSender").Struct(
		jen.Id("URL").String(),
		jen.Id("Signer").Qual(webhookPath, "Signer"),
		jen.Id("Client").Op("*").Qual("net/http", "Client"),
	)
	f.Line()
	srecv := func() *jen.Statement { return jen.Id("s").Op("*").Id("WebhookSender") }
	for _, w := range ws {
		var headers []jen.Code
		for _, m := range w.Match {
			if m.In == "header" {
				headers = append(headers, jen.Lit(m.Name).Op(":").Values(jen.Lit(m.Value)))
			}
		}
		hdr := jen.Nil()
		if len(headers) > 0 {
			hdr = jen.Qual("net/http", "Header").Values(headers...)
		}
		var params []jen.Code
		var stmts []jen.Code
		params = append(params, jen.Id("ctx").Qual("context", "Context"), jen.Id("id").String())
		if t := eventType(w); t != nil {
			pt := goType(t)
			if isNamed(t) {
				pt = jen.Op("*").Add(pt)
			}
			params = append(params, jen.Id("event").Add(pt))
			stmts = append(stmts,
				jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual(implPath, "Marshal").Call(jen.Id("event")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			)
		} else {
			params = append(params, jen.Id("body").Index().Byte())
		}
		stmts = append(stmts, jen.Return(jen.Qual(webhookPath, "PostHeader").Call(jen.Id("ctx"), jen.Id("s").Dot("Client"), jen.Id("s").Dot("URL"), jen.Id("s").Dot("Signer"), jen.Id("id"), jen.Id("body"), hdr)))
		f.Add(doc("Send" + w.Op.Name + " posts event as a " + quoteEvent(w.Name) + " delivery with the delivery id id" + sendDoc(w) + ". The caller closes the response's body."))
		f.Func().Params(srecv()).Id("Send"+w.Op.Name).Params(params...).Params(jen.Op("*").Qual("net/http", "Response"), jen.Error()).Block(stmts...)
		f.Line()
	}
}

// handlerField is the Webhooks field holding an event's handler.
func handlerField(w *ir.Webhook) string { return "on" + w.Op.Name }

// eventType is the type an event's JSON body decodes into, or nil when
// its body is not JSON (or absent): its handler gets the bytes.
func eventType(w *ir.Webhook) *ir.Type {
	if b := w.Op.Body; b != nil && b.Kind == ir.BodyJSON && b.Type != nil {
		return b.Type
	}
	return nil
}

// isNamed reports whether t is a declared type, passed by pointer.
func isNamed(t *ir.Type) bool { return t.Named && t.Name != "" }

// handlerType is the func type of an event's handler.
func (e *emitter) handlerType(w *ir.Webhook) *jen.Statement {
	arg := jen.Index().Byte()
	if t := eventType(w); t != nil {
		arg = goType(t)
		if isNamed(t) {
			arg = jen.Op("*").Add(arg)
		}
	}
	return jen.Func().Params(jen.Qual("context", "Context"), arg).Error()
}

// quoteEvent writes an event's spec name for a doc comment.
func quoteEvent(name string) string { return "\u201c" + specDoc(name) + "\u201d" }

// matchDoc says what selects w's deliveries, for its On method.
func matchDoc(w *ir.Webhook) string {
	if len(w.Match) == 0 {
		return ""
	}
	return ": deliveries whose " + matchWords(w.Match)
}

// sendDoc says which headers w's Send method sets.
func sendDoc(w *ir.Webhook) string {
	var hs []string
	for _, m := range w.Match {
		if m.In == "header" {
			hs = append(hs, specDoc(m.Name)+" "+specDoc(m.Value))
		}
	}
	if len(hs) == 0 {
		return ""
	}
	return " and the header " + strings.Join(hs, ", ")
}

// matchWords says a Match in words.
func matchWords(ms []ir.WebhookMatch) string {
	var parts []string
	for _, m := range ms {
		if m.In == "header" {
			parts = append(parts, "header "+specDoc(m.Name)+" is "+quoteEvent(m.Value))
		} else {
			parts = append(parts, "member "+specDoc(m.Name)+" is "+quoteEvent(m.Value))
		}
	}
	return strings.Join(parts, " and ")
}

// eventRule says how Event tells events apart.
func eventRule(ws []*ir.Webhook) string {
	if len(ws) == 1 && len(ws[0].Match) == 0 {
		return "the spec's one event, " + quoteEvent(ws[0].Name) + ", whatever the delivery holds"
	}
	header, member := "", ""
	for _, w := range ws {
		for _, m := range w.Match {
			if m.In == "header" {
				header = m.Name
			} else {
				member = m.Name
			}
		}
	}
	switch {
	case header != "" && member != "":
		return "by its header " + specDoc(header) + " and its body's member " + specDoc(member)
	case header != "":
		return "by its header " + specDoc(header)
	case member != "":
		return "by its body's member " + specDoc(member)
	}
	return "the spec gives nothing that tells its events apart (see connectorgen.yaml's webhooks section), so every delivery goes to OnUnknown"
}
