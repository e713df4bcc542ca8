-- The translations of an Open SDG repository (issue 20): every `translations/<lang>/<group>.yml`
-- key and text, kept with its dataset's load like its metadata (a load of the whole repository
-- replaces them). sdg-build translates each metadata value of a language's build through them (the
-- value as a key, else `data.<value>`: Canada's `Statistics Canada` is `Statistique Canada` in
-- French, its `_Physical assault` is `Physical assault` in English); the site's meta files do the same.
CREATE TABLE IF NOT EXISTS dataset_translation (
    dataset VARCHAR NOT NULL,
    lang VARCHAR NOT NULL,
    key VARCHAR NOT NULL,            -- '<group>.<key>': 'data.Statistics Canada', 'custom.coverage-note'
    text VARCHAR NOT NULL,
    PRIMARY KEY (dataset, lang, key)
);
