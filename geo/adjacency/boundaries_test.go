package adjacency

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestSegmentKey(t *testing.T) {
	negZero := math.Copysign(0, -1)
	b := &boundaries{points: []orb.Point{{1, 2}, {1, -3}, {1, 2}, {negZero, 1}, {2, negZero}, {0, 1}, {2, 0}}}
	if b.key(0) != b.key(1) {
		t.Errorf("key(p, q) = %v, key(q, p) = %v", b.key(0), b.key(1))
	}
	if b.key(3) != b.key(5) || b.key(3)[0][0] != 0 || math.Signbit(b.key(3)[0][0]) {
		t.Errorf("key with negative zeros = %v, want %v", b.key(3), b.key(5))
	}
}
