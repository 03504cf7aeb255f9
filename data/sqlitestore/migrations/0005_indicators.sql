-- Indicators, their values by area (LSOA or practice), and practice groups
-- such as primary care networks.
CREATE TABLE indicators (
	ord      INTEGER PRIMARY KEY,
	id       TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	domain   TEXT NOT NULL,
	unit     TEXT NOT NULL,
	polarity TEXT NOT NULL,
	level    TEXT NOT NULL,
	period   TEXT NOT NULL,
	source   TEXT REFERENCES sources (id)
) STRICT;

CREATE TABLE indicator_values (
	ord         INTEGER PRIMARY KEY,
	indicator   TEXT NOT NULL REFERENCES indicators (id),
	area_code   TEXT NOT NULL,
	numerator   REAL NOT NULL,
	denominator REAL NOT NULL,
	known       INTEGER NOT NULL,
	UNIQUE (indicator, area_code)
) STRICT;

CREATE TABLE practice_groups (
	ord           INTEGER PRIMARY KEY,
	practice_code TEXT NOT NULL,
	kind          TEXT NOT NULL,
	code          TEXT NOT NULL,
	name          TEXT NOT NULL,
	source        TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX practice_groups_practice ON practice_groups (practice_code);
