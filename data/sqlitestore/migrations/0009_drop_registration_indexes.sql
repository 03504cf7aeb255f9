-- 0009: the two indexes on registrations served no query. The store reads
-- the dataset whole, in ord order (its primary key); foreign keys are
-- checked through the parents' keys; and ReplaceDataset empties
-- registrations before their parents, so no parent delete searches it.
-- Rebuilding them was a third of an England-size import (a million rows
-- sorted twice). Ad-hoc queries on the file may create their own.
DROP INDEX IF EXISTS registrations_practice_date;
DROP INDEX IF EXISTS registrations_area;
