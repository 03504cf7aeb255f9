-- 0001: the first schema, the PostgreSQL twin of data/sqlitestore's
-- migrations 0001-0008 as they stand together. One store holds one dataset
-- (every table below but imports, scenarios and the configuration tables is
-- replaced as a whole by ReplaceDataset), its team configurations with their
-- version history, hub-siting scenarios and the history of imports.
--
-- Every migration runs with search_path = placeteam, public: the tables land
-- in the placeteam schema, PostGIS in public.
--
-- Conventions:
--   * ord integer PRIMARY KEY is the record's index in its Dataset slice, so
--     loading ORDER BY ord gives back insertion order.
--   * Go ints are bigint (64-bit, as SQLite's INTEGER); version numbers and
--     ord are integer.
--   * Times are timestamptz (PostgreSQL keeps microseconds); a zero
--     time.Time is NULL.
--   * Polygons are geometry(MultiPolygon, 4326), written as EWKB and read
--     with ST_AsBinary, so coordinates, ring order and orientation come back
--     bit for bit; an empty geometry is NULL.
--   * Points are lon/lat double precision pairs (a NaN coordinate is NULL),
--     the exact record, and a generated geometry(Point, 4326) beside them for
--     GIS clients: NULL when the point is unknown.
--   * Optional references (ward codes, source ids) are NULL when empty so
--     that foreign keys can check them.
--   * Names that are ordered (configurations, scenarios) are COLLATE "C":
--     byte order, as SQLite's BINARY, whatever the database's collation.

CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;

CREATE TABLE dataset (
	id        integer PRIMARY KEY CHECK (id = 1),
	name      text NOT NULL,
	city_code text NOT NULL,
	city_name text NOT NULL
);

CREATE TABLE commissioners (
	ord  integer PRIMARY KEY,
	code text NOT NULL
);

CREATE TABLE sources (
	ord         integer PRIMARY KEY,
	id          text NOT NULL UNIQUE,
	role        text NOT NULL,
	path        text NOT NULL,
	format      text NOT NULL,
	title       text NOT NULL,
	attribution text NOT NULL,
	licence     text NOT NULL,
	sha256      text NOT NULL,
	records     bigint NOT NULL,
	modelled    boolean NOT NULL
);

CREATE TABLE districts (
	ord      integer PRIMARY KEY,
	code     text NOT NULL UNIQUE,
	name     text NOT NULL,
	geometry geometry(MultiPolygon, 4326),
	source   text REFERENCES sources (id)
);
CREATE INDEX districts_geometry ON districts USING gist (geometry);

CREATE TABLE wards (
	ord      integer PRIMARY KEY,
	code     text NOT NULL UNIQUE,
	name     text NOT NULL,
	geometry geometry(MultiPolygon, 4326),
	source   text REFERENCES sources (id)
);
CREATE INDEX wards_geometry ON wards USING gist (geometry);

CREATE TABLE msoas (
	ord      integer PRIMARY KEY,
	code     text NOT NULL UNIQUE,
	name     text NOT NULL,
	geometry geometry(MultiPolygon, 4326),
	source   text REFERENCES sources (id)
);
CREATE INDEX msoas_geometry ON msoas USING gist (geometry);

CREATE TABLE lsoas (
	ord                        integer PRIMARY KEY,
	code                       text NOT NULL UNIQUE,
	name                       text NOT NULL,
	msoa_code                  text NOT NULL,
	district_code              text NOT NULL,
	ward_code                  text REFERENCES wards (code),
	ward_method                text NOT NULL,
	geometry                   geometry(MultiPolygon, 4326),
	population_year            bigint NOT NULL,
	population_total           bigint NOT NULL,
	population_age_0_15        bigint NOT NULL,
	population_age_16_59       bigint NOT NULL,
	population_age_60_plus     bigint NOT NULL,
	-- The IoD employment denominator; means something only when
	-- population_has_working_age (zero is a real figure).
	population_working_age     bigint NOT NULL DEFAULT 0,
	population_has_working_age boolean NOT NULL DEFAULT false,
	population_source          text NOT NULL,
	source                     text REFERENCES sources (id)
);
CREATE INDEX lsoas_ward_code ON lsoas (ward_code);
CREATE INDEX lsoas_msoa_code ON lsoas (msoa_code);
CREATE INDEX lsoas_district_code ON lsoas (district_code);
CREATE INDEX lsoas_geometry ON lsoas USING gist (geometry);

-- One row per IMD edition of an LSOA; ord is global insertion order, so an
-- LSOA's editions come back in the order they were given.
CREATE TABLE lsoa_deprivation (
	ord       integer PRIMARY KEY,
	lsoa_code text NOT NULL REFERENCES lsoas (code) ON DELETE CASCADE,
	edition   bigint NOT NULL,
	score     double precision,
	has_score boolean NOT NULL,
	imd_rank  bigint NOT NULL,
	decile    bigint NOT NULL,
	source    text NOT NULL,
	UNIQUE (lsoa_code, edition)
);

CREATE TABLE practices (
	ord             integer PRIMARY KEY,
	code            text NOT NULL UNIQUE,
	name            text NOT NULL,
	postcode        text NOT NULL,
	status          text NOT NULL,
	opened          timestamptz,
	closed          timestamptz,
	commissioner    text NOT NULL,
	lon             double precision,
	lat             double precision,
	location_method text NOT NULL,
	ward_code       text REFERENCES wards (code),
	source          text REFERENCES sources (id),
	-- For GIS clients: NULL for a practice that is not located.
	location        geometry(Point, 4326) GENERATED ALWAYS AS (
		CASE WHEN location_method <> '' AND lon IS NOT NULL AND lat IS NOT NULL
			THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED
);
CREATE INDEX practices_ward_code ON practices (ward_code);
CREATE INDEX practices_commissioner ON practices (commissioner);
CREATE INDEX practices_location ON practices USING gist (location);

CREATE TABLE list_sizes (
	ord           integer PRIMARY KEY,
	practice_code text NOT NULL,
	date          timestamptz NOT NULL,
	patients      bigint NOT NULL,
	commissioner  text NOT NULL,
	source        text REFERENCES sources (id)
);
CREATE INDEX list_sizes_practice_date ON list_sizes (practice_code, date);

-- The one table of a million rows: source has no foreign key here (unlike
-- SQLite's), because dataset.Validate checks every source reference before
-- any write and PostgreSQL's per-row check would take about 8 of the
-- 25 seconds of an England-size import.
CREATE TABLE registrations (
	ord           integer PRIMARY KEY,
	practice_code text NOT NULL,
	area_level    text NOT NULL,
	area_code     text NOT NULL,
	date          timestamptz NOT NULL,
	patients      bigint NOT NULL,
	source        text
);
CREATE INDEX registrations_practice_date ON registrations (practice_code, date);
CREATE INDEX registrations_area ON registrations (area_level, area_code, date);

CREATE TABLE trusts (
	ord    integer PRIMARY KEY,
	code   text NOT NULL UNIQUE,
	name   text NOT NULL,
	hq_lon double precision,
	hq_lat double precision,
	has_hq boolean NOT NULL,
	source text REFERENCES sources (id),
	-- For GIS clients: NULL for a trust without a headquarters point.
	hq     geometry(Point, 4326) GENERATED ALWAYS AS (
		CASE WHEN has_hq AND hq_lon IS NOT NULL AND hq_lat IS NOT NULL
			THEN ST_SetSRID(ST_MakePoint(hq_lon, hq_lat), 4326) END) STORED
);
CREATE INDEX trusts_hq ON trusts USING gist (hq);

CREATE TABLE hospital_sites (
	ord        integer PRIMARY KEY,
	name       text NOT NULL,
	lon        double precision,
	lat        double precision,
	trust_code text NOT NULL,
	source     text REFERENCES sources (id),
	location   geometry(Point, 4326) GENERATED ALWAYS AS (
		CASE WHEN lon IS NOT NULL AND lat IS NOT NULL
			THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED
);
CREATE INDEX hospital_sites_trust_code ON hospital_sites (trust_code);
CREATE INDEX hospital_sites_location ON hospital_sites USING gist (location);

CREATE TABLE catchments (
	ord        integer PRIMARY KEY,
	msoa_code  text NOT NULL REFERENCES msoas (code),
	trust_code text NOT NULL,
	year       bigint NOT NULL,
	proportion double precision NOT NULL,
	source     text REFERENCES sources (id)
);
CREATE INDEX catchments_msoa_code ON catchments (msoa_code);
CREATE INDEX catchments_trust_code ON catchments (trust_code);

-- Indicators, with breakdowns by a protected characteristic (e.g. age 0-15,
-- an ethnic group) and the all-groups indicator a breakdown is a slice of;
-- measure says what the numerator is ('' or 'count', 'mean', 'area-share');
-- suppressed_below is the source's threshold for blanking small counts
-- (0 when unknown).
CREATE TABLE indicators (
	ord              integer PRIMARY KEY,
	id               text NOT NULL UNIQUE,
	name             text NOT NULL,
	domain           text NOT NULL,
	unit             text NOT NULL,
	polarity         text NOT NULL,
	level            text NOT NULL,
	period           text NOT NULL,
	characteristic   text NOT NULL DEFAULT '',
	group_name       text NOT NULL DEFAULT '',
	breakdown_of     text NOT NULL DEFAULT '',
	measure          text NOT NULL DEFAULT '',
	suppressed_below bigint NOT NULL DEFAULT 0,
	source           text REFERENCES sources (id)
);

CREATE TABLE indicator_values (
	ord         integer PRIMARY KEY,
	indicator   text NOT NULL REFERENCES indicators (id),
	area_code   text NOT NULL,
	numerator   double precision NOT NULL,
	denominator double precision NOT NULL,
	known       boolean NOT NULL,
	UNIQUE (indicator, area_code)
);

CREATE TABLE practice_groups (
	ord           integer PRIMARY KEY,
	practice_code text NOT NULL,
	kind          text NOT NULL,
	code          text NOT NULL,
	name          text NOT NULL,
	source        text REFERENCES sources (id)
);
CREATE INDEX practice_groups_practice ON practice_groups (practice_code);

CREATE TABLE configurations (
	name       text COLLATE "C" PRIMARY KEY,
	created_at timestamptz NOT NULL
);

-- Every saved version of a configuration; the latest is the highest version.
-- changes is what the version changed (e.g. the ward moves applied) as JSON
-- text, unchecked as in SQLite; empty for versions saved whole.
CREATE TABLE configuration_versions (
	name       text COLLATE "C" NOT NULL REFERENCES configurations (name) ON DELETE CASCADE,
	version    integer NOT NULL CHECK (version > 0),
	created_at timestamptz NOT NULL,
	author     text NOT NULL,
	note       text NOT NULL,
	body       json NOT NULL,
	changes    text NOT NULL DEFAULT '',
	PRIMARY KEY (name, version)
);

-- The last version number ever given to each configuration name. It
-- survives deletion (and dataset replacement), so a name deleted and created
-- again continues its numbering and an old ETag ("name.vN") can never match
-- the new configuration. Writers lock a name's row here (FOR UPDATE, or the
-- upsert that creates it) before they read its latest version.
CREATE TABLE configuration_sequence (
	name text COLLATE "C" PRIMARY KEY,
	last integer NOT NULL
);

-- Hub-siting scenarios: a named plan (options and answer) as JSON.
CREATE TABLE scenarios (
	name          text COLLATE "C" PRIMARY KEY,
	configuration text NOT NULL,
	created_at    timestamptz NOT NULL,
	body          json NOT NULL
);

-- History of imports, newest last. Never cleared by ReplaceDataset.
CREATE TABLE imports (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	manifest    text NOT NULL,
	imported_at timestamptz NOT NULL,
	report      json
);
