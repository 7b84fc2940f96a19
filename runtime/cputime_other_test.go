//go:build !unix

package runtime_test

import "testing"

// cpuTimer reports nothing where getrusage is not available.
type cpuTimer struct{}

// startCPU resets b's timer.
func startCPU(b *testing.B) *cpuTimer { b.ResetTimer(); return &cpuTimer{} }

// stop stops b's timer.
func (*cpuTimer) stop(b *testing.B) { b.StopTimer() }
