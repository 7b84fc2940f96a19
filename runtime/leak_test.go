package runtime

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when any goroutine outlives them
// (a leaked request, timer, token refresh or stream writer).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
