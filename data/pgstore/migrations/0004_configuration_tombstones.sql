-- A deleted configuration is kept, with every version, until an admin
-- restores it: deletion removes it from every list and read, not from the
-- record. versions is a JSON array of the configuration_versions rows
-- (version, created_at, author, note, body, changes), oldest first; the
-- dissolved teams are made again on restore.
CREATE TABLE configuration_tombstones (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       text COLLATE "C" NOT NULL,
	deleted_at timestamptz NOT NULL,
	deleted_by text NOT NULL,
	latest     integer NOT NULL,
	versions   jsonb NOT NULL
);
CREATE INDEX configuration_tombstones_name ON configuration_tombstones (name, id);
