-- Source headers per indicator (issue 20): one SDMX-ML message of an Open SDG repository (Rwanda's
-- sdmx-data/*.xml) holds the series of every indicator, and sdg-build writes each indicator's data
-- file with the columns its own rows fill. The key becomes (dataset, source_file, indicator); an
-- Open SDG CSV file is still one indicator's. The indicator is '' where a reader knows none.
CREATE TABLE source_columns_per_indicator (
    dataset VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,   -- 3.2.1; a national id such as GDP1; '' when not known
    columns VARCHAR[] NOT NULL,
    has_rows BOOLEAN NOT NULL,
    load_id INTEGER,
    PRIMARY KEY (dataset, source_file, indicator)
);
INSERT INTO source_columns_per_indicator
    SELECT dataset, source_file, coalesce(indicator, ''), columns, has_rows, load_id FROM source_columns;
DROP TABLE source_columns;
ALTER TABLE source_columns_per_indicator RENAME TO source_columns;
