# connectorgen — make demo runs the main job, make test runs every test.
# Both install what they need (Prism from tools/prism/package-lock.json).

GO      ?= go
PRISM   := tools/prism/node_modules/.bin/prism
DEMO    := examples/demo
GQLMOCK := tools/graphql/node_modules/graphql-yoga/package.json
GQLE2E  := examples/graphql
# staticcheck, pinned; installed into bin/ by `make bin/staticcheck`.
STATICCHECK_VERSION := v0.6.1
STATICCHECK := $(CURDIR)/bin/staticcheck
# toxiproxy server (TCP faults for the runtime's fault matrix), pinned; `make bin/toxiproxy-server`.
TOXIPROXY_VERSION := v2.12.0
TOXIPROXY := $(CURDIR)/bin/toxiproxy-server

.PHONY: lint-source test-consumer all build prism graphql-mock generate demo test test-generator test-runtime redis-server test-demo test-graphql lint-generated golden-update corpus sweep lint clean load load-short

all: build

build:
	$(GO) build -o bin/connectorgen ./cmd/connectorgen

# Prism (the mock server that validates requests against the spec), pinned by the lockfile.
$(PRISM): tools/prism/package-lock.json
	npm ci --prefix tools/prism --no-audit --no-fund
	@touch $(PRISM)

prism: $(PRISM)

# The GraphQL mock server (graphql-yoga + @graphql-tools/mock), pinned by the lockfile.
$(GQLMOCK): tools/graphql/package-lock.json
	npm ci --prefix tools/graphql --no-audit --no-fund
	@touch $(GQLMOCK)

graphql-mock: $(GQLMOCK)

# Generates the demo's connectors with `go tool connectorgen` (go.mod tool directive).
generate:
	@echo "== generating the demo's connectors (Petstore, Stripe) from specs/"
	cd $(DEMO) && $(GO) generate ./...

# The main job: generate connectors from specs/ and call them against Prism.
demo: prism generate graphql-mock
	@echo "== building the demo: compiling Stripe's connector takes one to two minutes on two cores"
	cd $(DEMO) && $(GO) build -o $(CURDIR)/bin/demo .
	@echo "== calling both connectors against Prism"
	cd $(DEMO) && $(CURDIR)/bin/demo
	@echo "== the GraphQL connector against the graphql-yoga mock"
	cd $(GQLE2E) && $(GO) generate ./... && $(GO) run ./demo

test: test-generator test-runtime test-demo test-graphql test-consumer lint-generated lint-source load-short fuzz-generator fuzz-runtime

$(STATICCHECK):
	GOBIN=$(CURDIR)/bin GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# The command is named server; it is installed aside and renamed.
$(TOXIPROXY):
	GOBIN=$(CURDIR)/bin/.toxiproxy GOFLAGS= $(GO) install github.com/Shopify/toxiproxy/v2/cmd/server@$(TOXIPROXY_VERSION)
	mv $(CURDIR)/bin/.toxiproxy/server $@ && rmdir $(CURDIR)/bin/.toxiproxy

# Debian's redis-server for runtime/redislimit's tests (they start their own on a free port).
redis-server:
	command -v redis-server >/dev/null || (apt-get update && apt-get install -y redis-server)

# Generated code must pass staticcheck: every golden tree and the demo's Petstore
# connector (Stripe's is left out: 3 minutes of CPU for the same emitter paths).
lint-generated: $(STATICCHECK) generate
	cd golden && $(STATICCHECK) ./...
	cd $(DEMO) && $(STATICCHECK) ./petstore

# gofmt and staticcheck on the project's own code too: the generator module, the runtime
# and its adapter and internal modules.
lint-source: $(STATICCHECK)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "not gofmt'ed:"; echo "$$unformatted"; exit 1; fi
	$(STATICCHECK) ./...
	cd runtime && $(STATICCHECK) ./...
	cd runtime/otel && $(STATICCHECK) ./...
	cd runtime/redislimit && $(STATICCHECK) ./...
	cd runtime/webhookredis && $(STATICCHECK) ./...
	cd runtime/internal/loadtest && $(STATICCHECK) ./...
	cd runtime/internal/faulttest && $(STATICCHECK) ./...

# The consumer example vendors a generated connector: regenerating must change nothing.
test-consumer:
	cd examples/consumer && $(GO) generate ./... && git diff --exit-code -- . && $(GO) vet ./... && $(GO) test ./...

# Unit, golden (whole-tree compare + compile; its own module) and corpus tests of the generator.
# The conformance tests (generator/internal/conformance) run after the others:
# they build corpus connectors TestCorpus has just put in the build cache, and
# two go commands compiling the same package at once would each compile it.
test-generator: prism
	$(GO) vet ./...
	$(GO) test -timeout 40m $$($(GO) list ./... | grep -v /generator/internal/conformance)
	$(GO) test -timeout 40m ./generator/internal/conformance
	cd golden && $(GO) vet ./... && $(GO) test ./...

# The runtime and its adapter modules (OpenTelemetry, Redis), and the fault matrix through toxiproxy.
test-runtime: $(TOXIPROXY) redis-server
	cd runtime && $(GO) vet ./... && $(GO) test -race ./...
	cd runtime/otel && $(GO) vet ./... && $(GO) test -race ./...
	cd runtime/redislimit && $(GO) vet ./... && $(GO) test -race ./...
	cd runtime/webhookredis && $(GO) vet ./... && $(GO) test -race ./...
	cd runtime/internal/faulttest && $(GO) vet ./... && TOXIPROXY_SERVER=$(TOXIPROXY) $(GO) test -race -v ./...

# Load and fault test (issue 19): the generated Petstore connector with the
# runtime's defaults, 256 goroutines, a fault mix, an outage, beside bare
# net/http. load: the long form (about 2 minutes); load-short: the bounded
# one of `make test` (about 40 s). Not under -race: it measures throughput.
load:
	cd runtime/internal/loadtest && $(GO) vet ./... && LOADTEST=long $(GO) test -count=1 -v -timeout 10m ./...

load-short:
	cd runtime/internal/loadtest && $(GO) vet ./... && $(GO) test -count=1 -v -timeout 5m ./...

# Native fuzzing of the runtime's parsers of server input, FUZZTIME_RUNTIME per target
# (go test -fuzz takes one target per run; scripts/fuzz.sh), and of generated decoders
# (golden's FuzzDecodeLinear). Crashers land in testdata/fuzz/. In `make test` this is a
# smoke run (3 s a target, 20 targets; CI's 20-minute budget); fuzz for
# longer with e.g. `make fuzz-runtime FUZZTIME_RUNTIME=10m`.
FUZZTIME_RUNTIME ?= 3s
RUNTIME_FUZZ := FuzzEventStream FuzzServerDelay FuzzRateLimitPause FuzzProblem FuzzInt64String FuzzDate
RTIMPL_FUZZ := FuzzUnionHelpers FuzzUnmarshalWithExtra FuzzDecodeHeader FuzzMarshal FuzzDecodeSyntax FuzzNextLink FuzzDecodeParam
WEBHOOK_FUZZ := FuzzParseStripeSignature FuzzVerify FuzzMember
GRAPHQL_FUZZ := FuzzResponse FuzzOperationType
.PHONY: fuzz-runtime
fuzz-runtime:
	GO=$(GO) scripts/fuzz.sh runtime . $(FUZZTIME_RUNTIME) $(RUNTIME_FUZZ)
	GO=$(GO) scripts/fuzz.sh runtime/rtimpl . $(FUZZTIME_RUNTIME) $(RTIMPL_FUZZ)
	GO=$(GO) scripts/fuzz.sh runtime/webhook . $(FUZZTIME_RUNTIME) $(WEBHOOK_FUZZ)
	GO=$(GO) scripts/fuzz.sh runtime/fake . $(FUZZTIME_RUNTIME) FuzzFormBody
	GO=$(GO) scripts/fuzz.sh runtime/graphql . $(FUZZTIME_RUNTIME) $(GRAPHQL_FUZZ)
	GO=$(GO) scripts/fuzz.sh golden . $(FUZZTIME_RUNTIME) FuzzDecodeLinear

# End-to-end: generated clients against Prism.
test-demo: prism generate
	cd $(DEMO) && $(GO) vet ./... && $(GO) test -timeout 20m ./...

# End-to-end: the generated GraphQL connector against the yoga mock server.
test-graphql: graphql-mock
	cd $(GQLE2E) && $(GO) generate ./... && $(GO) vet ./... && $(GO) test -timeout 10m ./...

# Fuzzes the whole generator (OpenAPI/Swagger, then GraphQL) for $(FUZZTIME_GENERATOR) each
# (the seed corpus takes the first two seconds): no panic, no internal error, every
# generated Go file parses and carries no directive. Longer: FUZZTIME_GENERATOR=30m.
FUZZTIME_GENERATOR ?= 20s
.PHONY: fuzz-generator
fuzz-generator:
	GO=$(GO) scripts/fuzz.sh . ./generator $(FUZZTIME_GENERATOR) FuzzGenerate FuzzGenerateGraphQL
	GO=$(GO) scripts/fuzz.sh . ./generator/load/openapi $(FUZZTIME_RUNTIME) FuzzCheckSyntax

golden-update:
	cd golden && $(GO) test . -run 'TestGolden$$' -update

# The conformance sweep over the whole corpus: every operation of every spec
# called against Prism, static and dynamic (docs/sweep.md). `make test` runs
# its bounded form (five small specs) inside test-generator.
SWEEP_REPORT ?= $(CURDIR)/sweep-report.tsv
sweep: prism
	CONNECTORGEN_SWEEP=full CONNECTORGEN_SWEEP_REPORT=$(SWEEP_REPORT) $(GO) test ./generator/internal/conformance -run '^TestSweep$$' -count=1 -v -timeout 300m

# The corpus table (needs ../shared/corpus or CONNECTORGEN_CORPUS), with the
# full tier `make test` leaves out: TestCorpusSplit (split: tags on five large specs).
corpus:
	CONNECTORGEN_CORPUS_FULL=1 $(GO) test ./generator -run 'TestCorpus' -v -timeout 40m

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin $(DEMO)/petstore $(DEMO)/stripe
