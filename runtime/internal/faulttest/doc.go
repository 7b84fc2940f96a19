// Package faulttest holds the runtime's fault-matrix test: concurrent
// idempotent POSTs through toxiproxy (latency, reset_peer, timeout,
// limit_data, slow_close) against a server that counts side effects per
// idempotency key. It is a module of its own so that its test-only
// dependencies (goleak) and the toxiproxy server stay out of the runtime
// module. The toxiproxy server is driven through its HTTP API; `make
// bin/toxiproxy-server` installs it.
package faulttest
