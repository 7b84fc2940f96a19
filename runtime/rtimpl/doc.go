// Package rtimpl is the part of connectorgen's runtime that generated code
// calls and people do not: the JSON codec behind generated MarshalJSON and
// UnmarshalJSON methods (Marshal, Unmarshal, Decoder, Encoder, unions),
// validation (Checker), parameter serialization (OpenAPI 3.1 §4.8.12.4 styles:
// AddQuery, PathParam, SetHeader, form and multipart bodies), response
// decoding (DecodeJSON) and the generated-code API version (EnforceVersion).
//
// It is to package runtime what protobuf-go's protoimpl is to proto: its API
// is shaped for generated code, may change in any release, and is guarded by
// [EnforceVersion], so a connector and a runtime that do not fit fail to
// compile. Programs use package runtime (options, errors, credentials, Opt and
// Nullable) and the connector's own types; nothing here is needed by hand.
package rtimpl
