-- The observation table laid out by series and area (issue 23, "reads at memory speed").
-- DuckDB keeps a min/max per column per row group (122,880 rows) and skips the row groups whose
-- range cannot hold a filter's value. A load wrote its rows in the order of its files, so one
-- series x area read (`/api/data/3.2.1?area=KEN`) still scanned most row groups of the UN
-- database (8 of 10). Loads now insert their rows ordered by OBSERVATION_ORDER
-- (store/reads.py); this migration rewrites the rows already stored in the same order, after
-- which such a read scans one or two row groups per load that wrote the series.
-- Rows, keys and values are unchanged (the copy is in a temporary table: DuckDB spills it to
-- the store's temp directory past the memory limit). observation_history is read only for
-- `--as-of`, and is left as it is.
CREATE TEMP TABLE __observation_copy AS SELECT * FROM observation;
DELETE FROM observation;
INSERT INTO observation SELECT * FROM __observation_copy
ORDER BY series, area;
DROP TABLE __observation_copy;
