package pgstore

import (
	"testing"

	"github.com/placeteam/placeteam/data/store/storetest"
)

// TestContract runs the contract every store backend must pass, each part
// on a store in a database of its own.
func TestContract(t *testing.T) {
	adminURL(t)
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		s, _ := openFresh(t)
		return s
	})
}
