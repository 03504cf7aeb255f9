-- 0002: configurations as GIS layers. Every configuration version (saved or
-- imported) keeps its teams dissolved from their wards, written in the
-- transaction that stores the version, so QGIS or `ogrinfo PG:...` can open
-- any version, and the views latest_teams and latest_localities show the
-- current plan of every configuration.

-- dissolve unions polygons into one MultiPolygon: NULL for no parts, and
-- NULL rather than an error when even the made-valid parts cannot be
-- unioned, so a GIS side table never refuses a save the other backends take.
CREATE FUNCTION dissolve(parts geometry[]) RETURNS geometry
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
	SET search_path FROM CURRENT
AS $$
BEGIN
	RETURN ST_Multi(ST_CollectionExtract(ST_Union(parts), 3));
EXCEPTION WHEN OTHERS THEN
	BEGIN
		RETURN ST_Multi(ST_CollectionExtract(
			ST_Union(ARRAY(SELECT ST_MakeValid(p) FROM unnest(parts) AS p)), 3));
	EXCEPTION WHEN OTHERS THEN
		RETURN NULL;
	END;
END
$$;

-- One row per team of a configuration version, in the configuration's
-- order (ord); wards is the team's ward codes, comma-separated in their
-- given order; geom the union of their geometries (NULL when none has one).
CREATE TABLE configuration_teams (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name          text COLLATE "C" NOT NULL,
	version       integer NOT NULL,
	ord           integer NOT NULL,
	locality_id   text NOT NULL,
	locality_name text NOT NULL,
	team_id       text NOT NULL,
	team_name     text NOT NULL,
	wards         text NOT NULL,
	geom          geometry(MultiPolygon, 4326),
	UNIQUE (name, version, ord),
	FOREIGN KEY (name, version) REFERENCES configuration_versions (name, version) ON DELETE CASCADE
);
CREATE INDEX configuration_teams_geom ON configuration_teams USING gist (geom);

-- The teams of the latest version of every configuration. The cast gives
-- the column its type and SRID in geometry_columns.
CREATE VIEW latest_teams AS
SELECT t.id, t.name, t.version, t.ord, t.locality_id, t.locality_name, t.team_id, t.team_name, t.wards,
	t.geom::geometry(MultiPolygon, 4326) AS geom
FROM configuration_teams t
JOIN (SELECT name, max(version) AS version FROM configuration_versions GROUP BY name) latest
	ON latest.name = t.name AND latest.version = t.version;

-- The localities of the latest version of every configuration, dissolved
-- from its teams; id is the smallest id of the locality's teams.
CREATE VIEW latest_localities AS
SELECT min(t.id) AS id, t.name, t.version, min(t.ord) AS ord, t.locality_id, t.locality_name,
	count(*)::integer AS teams,
	string_agg(t.team_id, ',' ORDER BY t.ord) AS team_ids,
	string_agg(t.wards, ',' ORDER BY t.ord) AS wards,
	dissolve(array_agg(t.geom) FILTER (WHERE t.geom IS NOT NULL))::geometry(MultiPolygon, 4326) AS geom
FROM latest_teams t
GROUP BY t.name, t.version, t.locality_id, t.locality_name;
