//go:build unix

package runtime_test

import (
	"syscall"
	"testing"
)

// cpuTimer reports the process's CPU time (user+sys, all goroutines, GC
// included) per op as the metric cpu-ns/op.
type cpuTimer struct{ start int64 }

// cpuNow returns the process's CPU time so far in nanoseconds.
func cpuNow() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// startCPU resets b's timer and starts a cpuTimer.
func startCPU(b *testing.B) *cpuTimer { b.ResetTimer(); return &cpuTimer{cpuNow()} }

// stop stops b's timer and reports cpu-ns/op.
func (c *cpuTimer) stop(b *testing.B) {
	b.StopTimer()
	b.ReportMetric(float64(cpuNow()-c.start)/float64(b.N), "cpu-ns/op")
}
