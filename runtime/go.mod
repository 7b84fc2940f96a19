module github.com/connectorgen/connectorgen/runtime

go 1.24
