package runtime

import (
	"context"

	"github.com/connectorgen/connectorgen/runtime/internal/link"
)

// The hooks through which package rtimpl, the generated-code half of the
// runtime, reaches into Request and Response (runtime/internal/link).
func init() {
	link.RequestOf = func(r any) *link.Request { return &r.(*Request).p }
	link.Decoding = func(resp any) (link.Decode, error) {
		r := resp.(*Response)
		x := r.exchange
		d := link.Decode{Ctx: x.ctx, Operation: x.op, Method: x.method,
			Tolerant: x.settings != nil && !x.settings.strictDecoding,
			Validate: x.settings != nil && x.settings.validateResponses}
		if d.Ctx == nil {
			d.Ctx = context.Background()
		}
		return d, r.buffer()
	}
	link.PageURL = func(u string) any {
		return callOption(func(s *Settings) { s.pageURL = u })
	}
	link.PageLimits = func(opts any) (pages, items int) {
		var s Settings
		for _, o := range opts.([]CallOption) {
			if o, ok := o.(callOption); ok { // the limits are callOptions; Options may need a full Settings
				o(&s)
			}
		}
		return s.maxPages, s.maxItems
	}
	link.ReportDrift = func(resp any, drift any, total int) {
		r := resp.(*Response)
		r.exchange.reportDrift(r.StatusCode, drift.([]Drift), total)
	}
}
