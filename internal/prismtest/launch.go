package prismtest

import (
	"fmt"
	"path/filepath"
	"time"
)

// Server is a Prism started outside a test, by the demo program.
type Server struct {
	URL  string // base URL, no trailing slash
	proc *proc
}

// Launch starts Prism like Start does, for a program rather than a test:
// the caller stops it with Stop. It fails when the Prism binary is missing
// (run `npm ci --prefix tools/prism`) or Prism does not become ready.
func Launch(specPath string, extraArgs ...string) (*Server, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	spec, err := filepath.Abs(specPath)
	if err != nil {
		return nil, err
	}
	url, p, err := start(bin, spec, extraArgs, DefaultReadyTimeout)
	if err != nil {
		return nil, err
	}
	return &Server{URL: url, proc: p}, nil
}

// Stop kills Prism and waits for it to exit.
func (s *Server) Stop() { s.proc.stop() }

// LaunchWithin is Launch with its own readiness timeout: how long Prism may
// take to load and dereference the document before it answers HTTP.
func LaunchWithin(timeout time.Duration, specPath string, extraArgs ...string) (*Server, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	spec, err := filepath.Abs(specPath)
	if err != nil {
		return nil, err
	}
	url, p, err := start(bin, spec, extraArgs, timeout)
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, p.log.String())
	}
	return &Server{URL: url, proc: p}, nil
}

// Available reports why Prism cannot be started (its binary is missing),
// or nil.
func Available() error {
	_, err := binary()
	return err
}
