module github.com/connectorgen/connectorgen/examples/demo

go 1.25

tool github.com/connectorgen/connectorgen/cmd/connectorgen

require (
	github.com/connectorgen/connectorgen v0.0.0
	github.com/connectorgen/connectorgen/runtime v0.0.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/getkin/kin-openapi v0.152.0 // indirect
	github.com/go-openapi/jsonpointer v0.22.5 // indirect
	github.com/go-openapi/swag/jsonname v0.25.5 // indirect
	github.com/oasdiff/yaml v0.1.1 // indirect
	github.com/oasdiff/yaml3 v0.0.14 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/rogpeppe/go-internal v1.9.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	github.com/sony/gobreaker/v2 v2.4.0 // indirect
	golang.org/x/text v0.14.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)

// Inside this repository the generator and the runtime come from the
// checkout; a consumer requires released versions instead.
replace (
	github.com/connectorgen/connectorgen => ../..
	github.com/connectorgen/connectorgen/runtime => ../../runtime
)
