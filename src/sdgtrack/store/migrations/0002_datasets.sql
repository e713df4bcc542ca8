-- Datasets and history (issue 10). Every observation belongs to a dataset (one source's
-- collection); the key becomes (dataset, series, area, period, dims, unit), so two sources may
-- hold the same series, area and period with different values. A changed or removed value keeps
-- its earlier version in observation_history, so the store can answer "as of" a date.
-- The Python step of this migration (0002_datasets.py) fills observation.dataset for rows loaded
-- before datasets existed, from each row's source file, and rebuilds the observation table.

CREATE TABLE IF NOT EXISTS dataset (
    id VARCHAR PRIMARY KEY,          -- 'unsd', 'opensdg-uk', 'sdmx-nisr-sdgs-sdg', a file stem ...
    title VARCHAR NOT NULL,
    publisher VARCHAR,
    kind VARCHAR NOT NULL,           -- global | national | subnational | city | other
    licence VARCHAR,
    source_path VARCHAR,             -- what the last load read
    first_loaded TIMESTAMP,
    last_loaded TIMESTAMP,
    precedence INTEGER,              -- set by `sdgtrack datasets prefer`; NULL: the default order by kind
    removed_at TIMESTAMP             -- `datasets remove`: rows moved to history, metadata kept for it
);

-- A load, a replace, a removal or this migration: who changed the store, when, and how much.
ALTER TABLE load ADD COLUMN IF NOT EXISTS dataset VARCHAR;
ALTER TABLE load ADD COLUMN IF NOT EXISTS action VARCHAR;       -- load | remove | migrate
ALTER TABLE load ADD COLUMN IF NOT EXISTS user_name VARCHAR;
ALTER TABLE load ADD COLUMN IF NOT EXISTS rows_missing BIGINT;  -- stored but absent from this load
ALTER TABLE load ADD COLUMN IF NOT EXISTS rows_removed BIGINT;  -- moved to history (--replace, remove)

-- Earlier versions of observations: the row as it was (load_id = the load that wrote it) and
-- the load that replaced or removed it.
CREATE TABLE IF NOT EXISTS observation_history (
    dataset VARCHAR NOT NULL,
    series VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    dims VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    value_text VARCHAR,
    is_headline BOOLEAN NOT NULL,
    nature VARCHAR,
    obs_status VARCHAR,
    source VARCHAR,
    footnote VARCHAR,
    source_file VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    superseded_load INTEGER NOT NULL,
    change VARCHAR NOT NULL          -- updated | removed
);

-- Progress results say which dataset each series came from.
ALTER TABLE progress_result ADD COLUMN IF NOT EXISTS dataset VARCHAR;
