-- National indicator metadata (issue 12): the text of an Open SDG repository's meta files
-- (definitions, calculations, units, footnotes, sources ...), kept as part of its dataset's load.
-- A load of a dataset replaces that dataset's metadata of the indicators it read (a whole
-- repository: all of it); no load touches another dataset's metadata.

-- One field of one indicator's metadata in one language, as the repository wrote it.
CREATE TABLE IF NOT EXISTS indicator_metadata (
    dataset VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,      -- '3.2.1'; a national indicator keeps its own id ('GDP1')
    lang VARCHAR NOT NULL,           -- the repository's language of the text ('en', 'fr' ...)
    field VARCHAR NOT NULL,          -- the repository's key: 'computation_units', 'STAT_CONC_DEF' ...
    value VARCHAR NOT NULL,          -- text as written (HTML or Markdown kept); JSON when structured
    structured BOOLEAN NOT NULL,     -- value is JSON: true/false, a list or an object (switches, graph settings)
    position INTEGER NOT NULL,       -- order of the field in its file
    source_file VARCHAR,
    load_id BIGINT,                  -- the load that wrote it
    PRIMARY KEY (dataset, indicator, lang, field)
);

-- The repository's own labels of its metadata fields (its schema file and translations), with
-- the schema's order and section (global, national, source_1 ...): the site's labels and order.
CREATE TABLE IF NOT EXISTS metadata_field (
    dataset VARCHAR NOT NULL,
    lang VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    section VARCHAR,
    PRIMARY KEY (dataset, lang, field)
);
