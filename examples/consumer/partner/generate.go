// Package partner wraps the vendored Petstore connector for the rest of
// this (example) consumer module.
package partner

//go:generate go tool connectorgen generate -config connectorgen.yaml
