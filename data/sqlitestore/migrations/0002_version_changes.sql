-- What a configuration version changed (e.g. the ward moves applied), as
-- JSON; empty for versions saved whole.
ALTER TABLE configuration_versions ADD COLUMN changes TEXT NOT NULL DEFAULT '';
