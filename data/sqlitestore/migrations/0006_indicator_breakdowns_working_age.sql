-- Indicator breakdowns by a protected characteristic (e.g. age 0-15, an
-- ethnic group) and the all-groups indicator a breakdown is a slice of;
-- the working-age population of LSOAs (the IoD employment denominator),
-- with a flag because not every population file gives it and zero is a
-- real figure.
ALTER TABLE indicators ADD COLUMN characteristic TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN breakdown_of TEXT NOT NULL DEFAULT '';
ALTER TABLE lsoas ADD COLUMN population_working_age INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lsoas ADD COLUMN population_has_working_age INTEGER NOT NULL DEFAULT 0;
