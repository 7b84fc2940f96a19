// Package conformance holds the generator's conformance tests over the
// corpus (../shared/corpus, or CONNECTORGEN_CORPUS), which check generated
// connectors on real data and real servers rather than on hand-written cases:
//
//   - TestRoundTrip decodes every example in a corpus spec's schemas into the
//     type the generated connector declares for it, encodes it again and
//     compares, in a program built against the connector.
//   - TestSweep calls every operation of a spec through its connector against
//     Prism, static and dynamic, and counts requests Prism accepts and
//     responses that decode (docs/sweep.md).
//
// Each keeps a ratchet under testdata/ that its counts may not fall below. The
// package has no API: the tests are a package of their own so that they run
// beside the generator's other tests, in a test binary of their own.
package conformance
