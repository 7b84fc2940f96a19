package main

// The connectors are generated, never edited: `go generate ./...` runs the
// generator pinned in go.mod's tool directive.

//go:generate go tool connectorgen generate -config connectorgen.petstore.yaml
//go:generate go tool connectorgen generate -config connectorgen.stripe.yaml
