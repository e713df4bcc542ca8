-- What a load read (issue 23): a digest of its input files, so that loading the same files again
-- into a dataset that no load changed since is known to change nothing before any file is parsed
-- (an unchanged re-load of 10 M rows was 36 times DuckDB's own read of the file). Written only
-- for loads of self-contained files (a tidy or UN CSV, whose rows depend on nothing beside them)
-- without rejected rows; `report` keeps the load's counts and notes for the next summary.
CREATE TABLE IF NOT EXISTS load_source (
    load_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,      -- sha256 of the files (path, bytes), readers, options, rules, reference data
    dataset_rows BIGINT NOT NULL, -- the dataset's observations once the load was committed
    report VARCHAR NOT NULL       -- the load's report (JSON: rows read, series, areas, notes ...)
);
