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
