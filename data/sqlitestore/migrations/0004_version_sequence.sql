-- The last version number ever given to each configuration name. It
-- survives deletion, so a name deleted and created again continues its
-- numbering and an old ETag ("name.vN") can never match the new
-- configuration.
CREATE TABLE configuration_sequence (
	name TEXT PRIMARY KEY,
	last INTEGER NOT NULL
) STRICT;
INSERT INTO configuration_sequence (name, last)
	SELECT name, max(version) FROM configuration_versions GROUP BY name;
