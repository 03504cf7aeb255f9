-- 0003: API tokens (only the hash of each secret) and the audit trail of
-- every write. Neither is touched by ReplaceDataset.
CREATE TABLE tokens (
	name       TEXT COLLATE "C" PRIMARY KEY,
	role       TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	expires_at TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ
);

CREATE TABLE audit (
	id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at     TIMESTAMPTZ NOT NULL,
	who    TEXT NOT NULL,
	role   TEXT NOT NULL,
	origin TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail JSONB
);
CREATE INDEX audit_target ON audit (target, id);
