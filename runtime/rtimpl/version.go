package rtimpl

// MinVersion and MaxVersion bound the generated-code API versions this runtime
// supports; generated code states the version it was written against with
// [EnforceVersion]. The history of the versions is in docs/compatibility.md.
const (
	// MinVersion is the oldest generated-code API version supported: 7, the
	// first that takes credentials from package runtime/auth (runtime 0.7.0).
	MinVersion = 7
	// MaxVersion is the newest generated-code API version supported: 9,
	// whose Webhooks receiver calls webhook.Member, webhook.PostHeader and
	// passes webhook.FromContext's delivery (runtime 0.9.0); 8's paginated
	// operations call PageSeq, Items, PageURL and NextLink (runtime 0.8.0).
	MaxVersion = 9
)

// EnforceVersion turns a runtime/generated-code version mismatch into a
// compile error instead of a run-time surprise (protobuf-go's
// protoimpl.EnforceVersion). Code generated for API version N contains:
//
//	_ = rtimpl.EnforceVersion(N - rtimpl.MinVersion)
//	_ = rtimpl.EnforceVersion(rtimpl.MaxVersion - N)
//
// When N is outside [MinVersion, MaxVersion] one of the constants is negative,
// and converting it to this unsigned type fails with "constant overflows".
type EnforceVersion uint
