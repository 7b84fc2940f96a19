package runtime

// Version is this runtime's release, in semantic-versioning form. It is also
// sent in the default User-Agent ("connectorgen-runtime/" + Version).
const Version = "0.2.0"

// MinVersion and MaxVersion bound the generated-code API versions this runtime
// supports. Generated code declares the version it was written against
// through [EnforceVersion].
const (
	// MinVersion is the oldest generated-code API version supported.
	MinVersion = 1
	// MaxVersion is the newest generated-code API version supported.
	// Version 2 added the API of several request media types, JSON
	// content parameters, patternProperties and required-member union
	// dispatch (SetJSONBodyAs, AddQueryJSON, PathParamJSON, MatchAny,
	// HasMembers, ...). Version 3 added members whose names encoding/json
	// cannot use as a tag key: fields tagged jsonname, which MarshalNamed,
	// UnmarshalNamed, MarshalWithExtra and UnmarshalWithExtra encode under
	// their exact names (an older runtime compiles such code but drops
	// them); schemas with items but no type (DecodeExact); and the
	// one-pass decoder: generated objects and unions implement DecoderFrom
	// (DecodeObject, DecodeNamed, Decoder.Union, Union), and their
	// UnmarshalJSON calls Unmarshal. Version 4 added the one-pass
	// encoder: generated objects tag AdditionalProperties jsonextra and
	// have no DecodeFrom (the runtime codes a struct so tagged, or with
	// jsonname fields, from its fields), their MarshalJSON calls Marshal,
	// and unions implement EncoderTo (Encoder.Union); an older runtime
	// would call those MarshalJSON methods recursively, so it must not
	// compile such code.
	MaxVersion = 4
)

// EnforceVersion turns a runtime/generated-code version mismatch into a
// compile error instead of a run-time surprise (the protobuf-go
// protoimpl.EnforceVersion idea). Code generated for API version N contains:
//
//	const _ = runtime.EnforceVersion(N - runtime.MinVersion)
//	const _ = runtime.EnforceVersion(runtime.MaxVersion - N)
//
// When N is outside [MinVersion, MaxVersion] one of the constants is negative,
// and converting it to this unsigned type fails with "constant overflows".
type EnforceVersion uint
