module github.com/connectorgen/connectorgen/runtime/internal/loadtest

go 1.26.0

require github.com/connectorgen/connectorgen/runtime v0.0.0

require (
	github.com/sony/gobreaker/v2 v2.4.0 // indirect
	golang.org/x/oauth2 v0.37.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)

// The runtime under test comes from the checkout.
replace github.com/connectorgen/connectorgen/runtime => ../../
