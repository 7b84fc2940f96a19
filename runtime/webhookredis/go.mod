module github.com/connectorgen/connectorgen/runtime/webhookredis

go 1.26.0

require (
	github.com/connectorgen/connectorgen/runtime v0.0.0
	github.com/redis/go-redis/v9 v9.17.2
	go.uber.org/goleak v1.3.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/sony/gobreaker/v2 v2.4.0 // indirect
	github.com/standard-webhooks/standard-webhooks/libraries v1.3.0 // indirect
	golang.org/x/oauth2 v0.37.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)

// Inside this repository the runtime comes from the checkout; a consumer
// requires a released version instead.
replace github.com/connectorgen/connectorgen/runtime => ../
