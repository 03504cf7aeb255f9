-- 0010: API tokens (only the hash of each secret) and the audit trail of
-- every write. Neither is touched by ReplaceDataset.
CREATE TABLE tokens (
	name       TEXT PRIMARY KEY,
	role       TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	expires_at TEXT,
	revoked_at TEXT
) STRICT;

CREATE TABLE audit (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	at     TEXT NOT NULL,
	who    TEXT NOT NULL,
	role   TEXT NOT NULL,
	origin TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT
) STRICT;
CREATE INDEX audit_target ON audit (target, id);
