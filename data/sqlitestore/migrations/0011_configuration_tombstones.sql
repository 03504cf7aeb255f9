-- A deleted configuration is kept, with every version, until an admin
-- restores it: deletion removes it from every list and read, not from the
-- record. versions is a JSON array of the configuration_versions rows
-- (version, created_at, author, note, body, changes), oldest first.
CREATE TABLE configuration_tombstones (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	deleted_at TEXT NOT NULL,
	deleted_by TEXT NOT NULL,
	latest     INTEGER NOT NULL,
	versions   TEXT NOT NULL CHECK (json_valid(versions))
) STRICT;
CREATE INDEX configuration_tombstones_name ON configuration_tombstones (name, id);
