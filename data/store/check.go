package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// CheckReplace runs every check of a dataset replacement that needs no
// database — the dataset's own integrity, each configuration against its
// wards, distinct configuration names, a JSON report — and fills in the
// record's default time. Backends call it before they open a transaction,
// so no backend can store what another would refuse.
func CheckReplace(d *dataset.Dataset, configs []*configuration.Configuration, record *ImportRecord) error {
	if d == nil {
		return errors.New("no dataset")
	}
	if err := d.Validate(); err != nil {
		return err
	}
	wards := make(map[string]string, len(d.Wards))
	for _, w := range d.Wards {
		wards[w.Code] = w.Name
	}
	names := make(map[string]bool, len(configs))
	for i, c := range configs {
		if c == nil {
			return fmt.Errorf("configuration %d is nil", i)
		}
		if err := c.Validate(wards); err != nil {
			return err
		}
		if names[c.Name] {
			return fmt.Errorf("%w: two configurations are named %q", configuration.ErrInvalid, c.Name)
		}
		names[c.Name] = true
	}
	if len(record.Report) > 0 && !json.Valid(record.Report) {
		return errors.New("import report is not valid JSON")
	}
	if record.ImportedAt.IsZero() {
		record.ImportedAt = time.Now()
	}
	return nil
}

// CheckSave is the check every backend runs inside the transaction that
// saves c, against the wards that transaction reads (code → name): so a
// configuration naming an unknown ward, or racing a dataset replacement, is
// refused by every backend alike. It wraps configuration.ErrInvalid.
func CheckSave(c *configuration.Configuration, wards map[string]string) error {
	if c == nil {
		return errors.New("nil configuration")
	}
	return c.Validate(wards)
}

// CheckExpected compares the latest stored version with the caller's
// expectation (AnyVersion: no check) and wraps ErrConflict when they differ.
func CheckExpected(latest, expect int) error {
	if expect == AnyVersion || latest == expect {
		return nil
	}
	return fmt.Errorf("%w: latest version is %d, expected %d", ErrConflict, latest, expect)
}

// CheckScenario refuses a scenario with no name or a body that is not JSON.
func CheckScenario(name string, body json.RawMessage) error {
	if name == "" {
		return fmt.Errorf("%w: scenario has no name", ErrInvalid)
	}
	if !json.Valid(body) {
		return fmt.Errorf("%w: scenario %q body is not valid JSON", ErrInvalid, name)
	}
	return nil
}
