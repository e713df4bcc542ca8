-- Archived indicators of an Open SDG repository (issue 20): files named `archived-*` (data and
-- meta), indicators the repository no longer reports under that number (the UN's 2020 review
-- replaced, revised or deleted them). Their rows load as national series without an SDG indicator
-- link (series `GB:archived-1-a-1[:label]`), so no analysis counts them as current indicators;
-- their metadata is kept under their own id like any indicator's. This table says which ids of a
-- dataset are archived and what the repository says of each (`archived_indicators.csv`): the site
-- publishes their files as sdg-build does and lists them on an archive page. Replaced with the
-- dataset's metadata by each load of the repository.
CREATE TABLE IF NOT EXISTS archived_indicator (
    dataset VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,      -- the id as the repository has it: 'archived-1-a-1'
    number VARCHAR,                  -- the number it had: '1.a.1' (its meta file, else its file name)
    title VARCHAR,                   -- its name then (archived_indicators.csv, else its meta file)
    archive_type VARCHAR,            -- deleted | replaced | revised ... (archived_indicators.csv)
    tier VARCHAR,                    -- its tier then ('Tier III')
    data_file VARCHAR,               -- its data file, when it has one (source_columns.source_file)
    load_id BIGINT,
    PRIMARY KEY (dataset, indicator)
);
