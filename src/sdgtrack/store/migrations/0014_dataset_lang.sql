-- The language a dataset's own texts are written in (issue 20): an Open SDG repository's first
-- language (config_data.yml `languages`), whose meta files every other language's build starts
-- from. A metadata field the dataset has neither in a site's language nor in this one is not shown
-- (Canada's French-only `DG_GOAL` of 3.1.1 is not English metadata), as in sdg-build's builds.
-- NULL for datasets loaded before: their fields fall back to English, then any language.
ALTER TABLE dataset ADD COLUMN IF NOT EXISTS lang VARCHAR;
