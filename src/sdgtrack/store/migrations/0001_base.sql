-- sdgtrack store schema. One DuckDB file holds reference data and observations.
-- Codes are text everywhere: M49 area codes are written without leading zeros, as the UN SDG
-- database writes them ('4' Afghanistan, '1' World); custom areas use their own codes.

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Framework nodes: SDG goal -> target -> indicator, and any other framework (U4SSC, WSIS, national).
CREATE TABLE IF NOT EXISTS framework_node (
    framework VARCHAR NOT NULL,      -- 'sdg', 'u4ssc', 'wsis', or a national framework id
    code VARCHAR NOT NULL,           -- '3', '3.2', '3.2.1'
    level VARCHAR NOT NULL,          -- 'goal', 'target', 'indicator' (or the framework's own levels)
    parent VARCHAR,                  -- parent code, NULL for roots
    title VARCHAR NOT NULL,          -- current English title
    unsd_code VARCHAR,               -- UNSD indicator code (SDG indicators only)
    status VARCHAR NOT NULL DEFAULT 'current',  -- 'current' or 'retired' (earlier framework only)
    sort_key INTEGER NOT NULL,       -- order of the official list
    PRIMARY KEY (framework, code)
);

-- Titles in other languages; `edition` says which text it is (the translations are 2020-era).
CREATE TABLE IF NOT EXISTS framework_title (
    framework VARCHAR NOT NULL, code VARCHAR NOT NULL, lang VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- 'title' or 'short'
    title VARCHAR NOT NULL, edition VARCHAR NOT NULL,
    PRIMARY KEY (framework, code, lang, kind)
);

-- Crosswalks link nodes of two frameworks (U4SSC KPI -> SDG target, WSIS line -> SDG ...).
CREATE TABLE IF NOT EXISTS crosswalk (
    from_framework VARCHAR NOT NULL, from_code VARCHAR NOT NULL,
    to_framework VARCHAR NOT NULL, to_code VARCHAR NOT NULL,
    relation VARCHAR, source VARCHAR
);

-- Series: what is measured. A series may serve several indicators (series_indicator).
CREATE TABLE IF NOT EXISTS series (
    code VARCHAR PRIMARY KEY,
    description VARCHAR,
    unit VARCHAR,
    origin VARCHAR                   -- 'unsd', or the data set it was first loaded from
);
CREATE TABLE IF NOT EXISTS series_indicator (
    series VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
    PRIMARY KEY (series, indicator)
);

-- Areas: M49 countries and regions, UN aggregates and groups, and custom areas (cities ...).
CREATE TABLE IF NOT EXISTS area (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- world, region, subregion, intermediate_region, country,
                                     -- sdg_region, group, other_aggregate, city, province, custom
    parent VARCHAR,
    iso2 VARCHAR, iso3 VARCHAR,
    alias VARCHAR                    -- short group name (LDC, LLDC, SIDS) or 'SDG region'
);
-- Membership of countries in regions and groups (all levels, not only the direct parent).
CREATE TABLE IF NOT EXISTS area_member ("group" VARCHAR NOT NULL, member VARCHAR NOT NULL,
    PRIMARY KEY ("group", member));

-- One row per ingest run.
CREATE TABLE IF NOT EXISTS load (
    id INTEGER PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    paths VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    rows_read BIGINT, rows_new BIGINT, rows_updated BIGINT, rows_unchanged BIGINT, rows_rejected BIGINT
);

-- The facts. Key: (series, area, period, dims, unit).
CREATE TABLE IF NOT EXISTS observation (
    series VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    period VARCHAR NOT NULL,         -- the period as given: '2021', '2021/22', '2000 Q1'
    year INTEGER NOT NULL,           -- sortable start year derived from the period
    dims VARCHAR NOT NULL,           -- 'Age=15-24|Sex=FEMALE' (sorted by dimension), '' if none
    unit VARCHAR NOT NULL,           -- '' when the source gives none
    value DOUBLE,                    -- NULL only for the UN "not available" codes (N, NV)
    value_text VARCHAR,              -- the value as written when it is not a plain number ('<2.5')
    is_headline BOOLEAN NOT NULL,    -- every dimension is a total (blank, _T, BOTHSEX, ALLAGE ...)
    nature VARCHAR,                  -- UN nature code (C, CA, E, M, G, N) when given
    obs_status VARCHAR,              -- observation status (A, E, I ...) when given
    source VARCHAR,
    footnote VARCHAR,
    source_file VARCHAR NOT NULL,
    load_id INTEGER NOT NULL
);

-- The last progress assessment (sdgtrack.progress), with its method and parameters as JSON.
CREATE TABLE IF NOT EXISTS progress_run (
    run_at TIMESTAMP NOT NULL, method VARCHAR NOT NULL, parameters VARCHAR NOT NULL, n_results BIGINT
);
CREATE TABLE IF NOT EXISTS progress_result (
    series VARCHAR NOT NULL, area VARCHAR NOT NULL, disaggregation VARCHAR NOT NULL, method VARCHAR NOT NULL,
    baseline_year INTEGER, baseline_value DOUBLE, latest_year INTEGER, latest_value DOUBLE,
    target DOUBLE, target_year INTEGER, direction VARCHAR, cagr DOUBLE, ratio DOUBLE,
    status VARCHAR NOT NULL, score DOUBLE, target_met BOOLEAN
);

-- ---- contributions registry (sdgtrack.contributions) ----
-- Contributions registry (sdgtrack.contributions). Created on first use by Registry(db); lives in
-- the same DuckDB file as the indicator store. A record's full content is its `data` (the JSON of
-- its pydantic model); the other columns are copies for filtering and search.

CREATE TABLE IF NOT EXISTS contribution_submission (
    id VARCHAR PRIMARY KEY,          -- 'ITU/2023/2023': entity code, year, questionnaire version
    entity VARCHAR NOT NULL,
    entity_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    questionnaire VARCHAR NOT NULL,
    status VARCHAR NOT NULL,         -- draft | submitted | published
    source_file VARCHAR,
    source_sha256 VARCHAR,
    imported_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    document JSON NOT NULL           -- the submission without its records (preamble, questions, warnings ...)
);

CREATE TABLE IF NOT EXISTS contribution_record (
    id VARCHAR PRIMARY KEY,          -- stable: hash of submission, kind and verbatim text
    submission VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- decision | event | resource | hii | partnership | recommendation
    seq INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    start_date DATE,
    end_date DATE,
    open_end BOOLEAN NOT NULL,
    countries VARCHAR[] NOT NULL,    -- M49 codes of the places
    websites VARCHAR[] NOT NULL,
    word_count INTEGER NOT NULL,
    over_limit BOOLEAN NOT NULL,
    n_warnings INTEGER NOT NULL,
    corrected BOOLEAN NOT NULL,      -- edited after import (see contribution_change)
    raw_text VARCHAR NOT NULL,
    source_lines VARCHAR NOT NULL,
    data JSON NOT NULL
);

-- SDGs of a record: declared in the answer, or inferred by tagging its text.
CREATE TABLE IF NOT EXISTS contribution_sdg (
    record VARCHAR NOT NULL,
    goal INTEGER NOT NULL,
    target VARCHAR,                  -- NULL on goal rows
    source VARCHAR NOT NULL,         -- declared | inferred
    is_primary BOOLEAN NOT NULL,     -- singled out ("more directly SDG 9")
    score DOUBLE,                    -- tagger score (inferred rows)
    method VARCHAR,                  -- tagger method (inferred rows)
    evidence VARCHAR                 -- phrases that matched (inferred rows)
);
-- stores created before inferred SDGs kept their evidence
ALTER TABLE contribution_sdg ADD COLUMN IF NOT EXISTS evidence VARCHAR;

-- Every edit after import: corrections of record fields and status changes of submissions.
CREATE TABLE IF NOT EXISTS contribution_change (
    changed_at TIMESTAMP NOT NULL,
    submission VARCHAR NOT NULL,
    record VARCHAR,                  -- NULL for submission-level changes (status)
    field VARCHAR NOT NULL,
    old_value VARCHAR,
    new_value VARCHAR,
    note VARCHAR
);

-- The SDGs that count for a record: its declared goals, or its inferred goals when it declares none.
CREATE OR REPLACE VIEW contribution_goal AS
SELECT s.record, s.goal, s.source, bool_or(s.is_primary) AS is_primary
FROM contribution_sdg s
WHERE s.target IS NULL
  AND (s.source = 'declared'
       OR NOT EXISTS (SELECT 1 FROM contribution_sdg d WHERE d.record = s.record AND d.source = 'declared'))
GROUP BY ALL;
