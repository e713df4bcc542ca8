-- What a source said beside the value (issue 20): an Open SDG repository loaded into the store
-- comes back out as it was written. Every column is NULL where the source did not give it (the
-- UN database and the other readers leave them NULL); observation_history keeps the same columns,
-- so an earlier version of a row keeps its attributes too. See docs/ingest.md.
--   unit_measure     the unit of measure as given (Open SDG `Unit measure`, SDMX UNIT_MEASURE)
--   unit_multiplier  the unit multiplier as given (`Unit multiplier`: Units, Thousands ...; UNIT_MULT)
--   geocode          the row's GeoCode as written (its sub-national area, or the country's own code)
--   source_dims      the disaggregations as written, when `dims` differs: a total written as text
--                    (`Country=United Kingdom`, staged as a blank cell) or the geography columns
--                    of a GeoCode row (its area says it)
--   attributes       every other column of the source row that is not a disaggregation, as written
--                    (`Series`, `Units`, `Observation status`, `GeoCode`, `COMMENT_OBS` ...), as
--                    `Name=value` pairs escaped and sorted like `dims`
--   variant          0; for a key the source gives two or more different values (series, area,
--                    period, dims, unit), 1, 2 ... in the order of the source (file, then line)
ALTER TABLE observation ADD COLUMN IF NOT EXISTS unit_measure VARCHAR;
ALTER TABLE observation ADD COLUMN IF NOT EXISTS unit_multiplier VARCHAR;
ALTER TABLE observation ADD COLUMN IF NOT EXISTS geocode VARCHAR;
ALTER TABLE observation ADD COLUMN IF NOT EXISTS source_dims VARCHAR;
ALTER TABLE observation ADD COLUMN IF NOT EXISTS attributes VARCHAR;
ALTER TABLE observation ADD COLUMN IF NOT EXISTS variant INTEGER DEFAULT 0;
ALTER TABLE observation_history ADD COLUMN IF NOT EXISTS unit_measure VARCHAR;
ALTER TABLE observation_history ADD COLUMN IF NOT EXISTS unit_multiplier VARCHAR;
ALTER TABLE observation_history ADD COLUMN IF NOT EXISTS geocode VARCHAR;
ALTER TABLE observation_history ADD COLUMN IF NOT EXISTS source_dims VARCHAR;
ALTER TABLE observation_history ADD COLUMN IF NOT EXISTS attributes VARCHAR;
ALTER TABLE observation_history ADD COLUMN IF NOT EXISTS variant INTEGER DEFAULT 0;
