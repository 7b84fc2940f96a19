module github.com/connectorgen/connectorgen/runtime

go 1.26.0

require (
	github.com/sony/gobreaker/v2 v2.4.0
	golang.org/x/oauth2 v0.37.0
	golang.org/x/time v0.14.0
)

require go.uber.org/goleak v1.3.0

require github.com/standard-webhooks/standard-webhooks/libraries v1.3.0
