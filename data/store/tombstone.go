package store

import (
	"encoding/json"
	"time"
)

// DeletedConfiguration is a deleted configuration as the store keeps it:
// every version, until an admin restores it. Deleting hides a
// configuration from every list and read; it does not erase its history.
type DeletedConfiguration struct {
	Name string `json:"name"`
	// Latest is the version that was latest when it was deleted; Versions
	// how many versions it had.
	Latest    int       `json:"latest_version"`
	Versions  int       `json:"versions"`
	DeletedAt time.Time `json:"deleted_at"`
	DeletedBy string    `json:"deleted_by"`
}

// ArchivedVersion is one version of a deleted configuration as the stores
// keep it in a tombstone (a JSON array of these, oldest first).
type ArchivedVersion struct {
	Version   int             `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	Author    string          `json:"author"`
	Note      string          `json:"note"`
	Body      json.RawMessage `json:"body"`
	Changes   string          `json:"changes,omitempty"`
}
