package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/web/api"
)

// serveLimits are serve's flags that protect it from too many, too slow
// or too eager clients.
type serveLimits struct {
	maxInFlight    int
	requestTimeout time.Duration
	writeRate      float64
	writeBurst     int
}

func (l *serveLimits) flags(cmd *cobra.Command) {
	cmd.Flags().IntVar(&l.maxInFlight, "max-in-flight", api.DefaultMaxInFlight(),
		"requests handled at once (64 per core by default); beyond it 503 with Retry-After at once (/healthz is exempt); 0 for no cap")
	cmd.Flags().DurationVar(&l.requestTimeout, "request-timeout", api.DefaultRequestTimeout,
		"deadline of a computed answer (503 past it); job endpoints are exempt; 0 for none")
	cmd.Flags().Float64Var(&l.writeRate, "write-rate", api.DefaultWriteRate,
		"writes (POST, PUT, PATCH, DELETE) a second per token; beyond it 429 with Retry-After; 0 for no limit (local single-user mode is never limited)")
	cmd.Flags().IntVar(&l.writeBurst, "write-burst", api.DefaultWriteBurst, "writes a token may send at once before --write-rate applies")
	cmd.PreRunE = func(*cobra.Command, []string) error { return l.check() }
}

// check refuses negative limits.
func (l *serveLimits) check() error {
	switch {
	case l.maxInFlight < 0:
		return fmt.Errorf("serve: --max-in-flight %d: want 0 (no cap) or more", l.maxInFlight)
	case l.requestTimeout < 0:
		return fmt.Errorf("serve: --request-timeout %s: want 0 (none) or more", l.requestTimeout)
	case l.writeRate < 0:
		return fmt.Errorf("serve: --write-rate %g: want 0 (no limit) or more", l.writeRate)
	case l.writeRate > 0 && l.writeBurst < 1:
		return fmt.Errorf("serve: --write-burst %d: want 1 or more", l.writeBurst)
	}
	return nil
}
