-- What an indicator's numerator is: a count of people or events (''
-- or 'count': confidence intervals apply), a value weighted by the
-- denominator ('mean': a population-weighted mean of area values), or the
-- denominator of areas meeting a condition ('area-share').
ALTER TABLE indicators ADD COLUMN measure TEXT NOT NULL DEFAULT '';
