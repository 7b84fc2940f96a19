package runtime

// Version is this runtime's release, in semantic-versioning form. It is also
// sent in the default User-Agent ("connectorgen-runtime/" + Version).
const Version = "0.5.0"

// MinVersion and MaxVersion bound the generated-code API versions this runtime
// supports. Generated code declares the version it was written against
// through [EnforceVersion].
const (
	// MinVersion is the oldest generated-code API version supported.
	// Runtime 0.4.0 raised it from 1 to 5: its Opt and Nullable have no
	// methods, and code generated for versions 1 to 4 calls their Get
	// (a runtime v0 minor release is its major one: Go's semantic
	// import versioning makes no promise below v1). Regenerate.
	MinVersion = 5
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
	// compile such code. Runtime 0.3.0 also took DecodeFrom off Opt and
	// Nullable (no generated code calls it; the decoder takes them apart
	// itself), because each method of theirs is compiled once per type
	// argument, thousands of times in a large connector. Version 5 took
	// the rest off (Get, Or, IsZero, IsNull, MarshalJSON, UnmarshalJSON):
	// generated code reads their fields, and every generated object with
	// an Opt or Nullable member has MarshalJSON and UnmarshalJSON calling
	// Marshal and Unmarshal, which code them.
	MaxVersion = 5
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
