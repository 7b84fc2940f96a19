// Package e2e holds the GraphQL connector's end-to-end tests: the connector
// in github/ is generated from examples/graphql/schema.graphql and the
// documents in operations/, and called against the graphql-yoga mock server
// of tools/graphql serving the same schema.
package e2e

//go:generate go tool connectorgen generate -config connectorgen.yaml
