-- Hub-siting scenarios: a named plan (options and answer) as JSON.
CREATE TABLE scenarios (
	name          TEXT PRIMARY KEY,
	configuration TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	body          TEXT NOT NULL
) STRICT;
