-- The columns of each source table as written (issue 20): an Open SDG indicator file's header, in
-- its order, blank columns too. The site's data files write an indicator's columns as its source
-- did (sdg-build keeps a column such as `Unit multiplier` that no row fills, and the order of the
-- columns decides how breakdowns nest in `edges/`), and an indicator file without a single row
-- still says the indicator has a data file. Replaced per file by each load of it.
CREATE TABLE IF NOT EXISTS source_columns (
    dataset VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    indicator VARCHAR,            -- the indicator the file is of (3.2.1; a national id such as GDP1)
    columns VARCHAR[] NOT NULL,   -- the header as read (blank or repeated names made unique)
    has_rows BOOLEAN NOT NULL,    -- whether the file has a row with a value
    load_id INTEGER,
    PRIMARY KEY (dataset, source_file)
);
