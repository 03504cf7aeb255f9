package sqlitestore

import (
	"testing"

	"github.com/placeteam/placeteam/data/store/storetest"
)

// TestContract runs the contract every store backend must pass.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		s, _ := openTemp(t)
		return s
	})
}
