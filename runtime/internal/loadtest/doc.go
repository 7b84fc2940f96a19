// Package loadtest holds the runtime's load and fault test (issue 19): many
// goroutines call a generated connector (petstore/, a copy of the consumer
// example's vendored Petstore connector, kept identical by a test) against
// a loopback server that injects a fault mix (503 with Retry-After: 1,
// connection resets, slow answers) and a partner-down phase, beside a bare
// net/http client on the same tuned transport. `make load` runs the long
// form (LOADTEST=long: 30 s of faults at 256 goroutines, a 10 s outage,
// 64-goroutine throughput); `make load-short` (part of `make test`) the
// bounded one. It is a module of its own so that it can import the
// generated code like a user's service does.
package loadtest
