-- 0001: the first schema. One store holds one dataset (every table below but
-- imports and the configuration tables is replaced as a whole by
-- ReplaceDataset), its team configurations with their version history, and
-- the history of imports.
--
-- Conventions:
--   * ord INTEGER PRIMARY KEY is the record's index in its Dataset slice, so
--     loading ORDER BY ord gives back insertion order.
--   * Times are RFC 3339 text in UTC with nanoseconds (Go's RFC3339Nano); a
--     zero time.Time is NULL.
--   * Polygons are WKB BLOBs (orb.MultiPolygon); an empty geometry is NULL.
--     Points are lon/lat REAL pairs; a NaN coordinate is NULL.
--   * Optional references (ward codes, source ids) are NULL when empty so
--     that foreign keys can check them.

CREATE TABLE dataset (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	name      TEXT NOT NULL,
	city_code TEXT NOT NULL,
	city_name TEXT NOT NULL
) STRICT;

CREATE TABLE commissioners (
	ord  INTEGER PRIMARY KEY,
	code TEXT NOT NULL
) STRICT;

CREATE TABLE sources (
	ord         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	role        TEXT NOT NULL,
	path        TEXT NOT NULL,
	format      TEXT NOT NULL,
	title       TEXT NOT NULL,
	attribution TEXT NOT NULL,
	licence     TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	records     INTEGER NOT NULL,
	modelled    INTEGER NOT NULL
) STRICT;

CREATE TABLE districts (
	ord      INTEGER PRIMARY KEY,
	code     TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	geometry BLOB,
	source   TEXT REFERENCES sources (id)
) STRICT;

CREATE TABLE wards (
	ord      INTEGER PRIMARY KEY,
	code     TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	geometry BLOB,
	source   TEXT REFERENCES sources (id)
) STRICT;

CREATE TABLE msoas (
	ord      INTEGER PRIMARY KEY,
	code     TEXT NOT NULL UNIQUE,
	name     TEXT NOT NULL,
	geometry BLOB,
	source   TEXT REFERENCES sources (id)
) STRICT;

CREATE TABLE lsoas (
	ord                    INTEGER PRIMARY KEY,
	code                   TEXT NOT NULL UNIQUE,
	name                   TEXT NOT NULL,
	msoa_code              TEXT NOT NULL,
	district_code          TEXT NOT NULL,
	ward_code              TEXT REFERENCES wards (code),
	ward_method            TEXT NOT NULL,
	geometry               BLOB,
	population_year        INTEGER NOT NULL,
	population_total       INTEGER NOT NULL,
	population_age_0_15    INTEGER NOT NULL,
	population_age_16_59   INTEGER NOT NULL,
	population_age_60_plus INTEGER NOT NULL,
	population_source      TEXT NOT NULL,
	source                 TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX lsoas_ward_code ON lsoas (ward_code);
CREATE INDEX lsoas_msoa_code ON lsoas (msoa_code);
CREATE INDEX lsoas_district_code ON lsoas (district_code);

-- One row per IMD edition of an LSOA; ord is global insertion order, so an
-- LSOA's editions come back in the order they were given.
CREATE TABLE lsoa_deprivation (
	ord       INTEGER PRIMARY KEY,
	lsoa_code TEXT NOT NULL REFERENCES lsoas (code) ON DELETE CASCADE,
	edition   INTEGER NOT NULL,
	score     REAL,
	has_score INTEGER NOT NULL,
	imd_rank  INTEGER NOT NULL,
	decile    INTEGER NOT NULL,
	source    TEXT NOT NULL,
	UNIQUE (lsoa_code, edition)
) STRICT;

CREATE TABLE practices (
	ord             INTEGER PRIMARY KEY,
	code            TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL,
	postcode        TEXT NOT NULL,
	status          TEXT NOT NULL,
	opened          TEXT,
	closed          TEXT,
	commissioner    TEXT NOT NULL,
	lon             REAL,
	lat             REAL,
	location_method TEXT NOT NULL,
	ward_code       TEXT REFERENCES wards (code),
	source          TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX practices_ward_code ON practices (ward_code);
CREATE INDEX practices_commissioner ON practices (commissioner);

CREATE TABLE list_sizes (
	ord           INTEGER PRIMARY KEY,
	practice_code TEXT NOT NULL,
	date          TEXT NOT NULL,
	patients      INTEGER NOT NULL,
	commissioner  TEXT NOT NULL,
	source        TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX list_sizes_practice_date ON list_sizes (practice_code, date);

CREATE TABLE registrations (
	ord           INTEGER PRIMARY KEY,
	practice_code TEXT NOT NULL,
	area_level    TEXT NOT NULL,
	area_code     TEXT NOT NULL,
	date          TEXT NOT NULL,
	patients      INTEGER NOT NULL,
	source        TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX registrations_practice_date ON registrations (practice_code, date);
CREATE INDEX registrations_area ON registrations (area_level, area_code, date);

CREATE TABLE trusts (
	ord    INTEGER PRIMARY KEY,
	code   TEXT NOT NULL UNIQUE,
	name   TEXT NOT NULL,
	hq_lon REAL,
	hq_lat REAL,
	has_hq INTEGER NOT NULL,
	source TEXT REFERENCES sources (id)
) STRICT;

CREATE TABLE hospital_sites (
	ord        INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	lon        REAL,
	lat        REAL,
	trust_code TEXT NOT NULL,
	source     TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX hospital_sites_trust_code ON hospital_sites (trust_code);

CREATE TABLE catchments (
	ord        INTEGER PRIMARY KEY,
	msoa_code  TEXT NOT NULL REFERENCES msoas (code),
	trust_code TEXT NOT NULL,
	year       INTEGER NOT NULL,
	proportion REAL NOT NULL,
	source     TEXT REFERENCES sources (id)
) STRICT;
CREATE INDEX catchments_msoa_code ON catchments (msoa_code);
CREATE INDEX catchments_trust_code ON catchments (trust_code);

CREATE TABLE configurations (
	name       TEXT PRIMARY KEY,
	created_at TEXT NOT NULL
) STRICT;

-- Every saved version of a configuration; the latest is the highest version.
CREATE TABLE configuration_versions (
	name       TEXT NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
	version    INTEGER NOT NULL CHECK (version > 0),
	created_at TEXT NOT NULL,
	author     TEXT NOT NULL,
	note       TEXT NOT NULL,
	body       TEXT NOT NULL CHECK (json_valid(body)),
	PRIMARY KEY (name, version)
) STRICT;

-- History of imports, newest last. Never cleared by ReplaceDataset.
CREATE TABLE imports (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	manifest    TEXT NOT NULL,
	imported_at TEXT NOT NULL,
	report      TEXT CHECK (report IS NULL OR json_valid(report))
) STRICT;
