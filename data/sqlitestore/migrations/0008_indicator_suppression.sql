-- The source's threshold for blanking small counts (0 when unknown): a
-- suppressed numerator lies between 0 and suppressed_below − 1.
ALTER TABLE indicators ADD COLUMN suppressed_below INTEGER NOT NULL DEFAULT 0;
