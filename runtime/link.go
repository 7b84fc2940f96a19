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
			Tolerant: x.settings != nil && !x.settings.strictDecoding}
		if d.Ctx == nil {
			d.Ctx = context.Background()
		}
		return d, r.buffer()
	}
	link.ReportDrift = func(resp any, drift any, total int) {
		r := resp.(*Response)
		r.exchange.reportDrift(r.StatusCode, drift.([]Drift), total)
	}
}
