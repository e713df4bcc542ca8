-- Accounts, review and audit for the live web app (issue 13). Nothing public changes here: an
-- editor's change is a request (draft -> submitted -> published | rejected) until a reviewer
-- approves it, and published data then goes through the ordinary ingest (history keeps who).

-- People who sign in. role: admin | reviewer | editor; an editor works for one entity (a
-- ministry, a statistics office, a UN entity). Passwords only as argon2id hashes.
CREATE TABLE IF NOT EXISTS app_user (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    entity VARCHAR,
    password_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);

-- Browser sessions: the cookie holds a random token, the store only its SHA-256, so a copy of
-- the store gives no one a session. csrf: the form token of this session.
CREATE TABLE IF NOT EXISTS app_session (
    token_hash VARCHAR PRIMARY KEY,
    user_name VARCHAR NOT NULL,
    csrf VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Tokens for scripts (Authorization: Bearer ...), hashed like sessions; revoked ones stay listed.
CREATE TABLE IF NOT EXISTS api_token (
    id INTEGER PRIMARY KEY,
    token_hash VARCHAR NOT NULL UNIQUE,
    user_name VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

-- Which entity owns a dataset: only its editors may propose changes to it. Kept here, not on
-- the dataset table, so the ingest side of the store knows nothing of accounts.
CREATE TABLE IF NOT EXISTS dataset_owner (
    dataset VARCHAR PRIMARY KEY,
    entity VARCHAR NOT NULL,
    assigned_by VARCHAR NOT NULL,
    assigned_at TIMESTAMP NOT NULL
);

-- A proposed change. kind data: an upload (payload = the file's bytes, file_name its name) or a
-- grid edit (stored as the tidy CSV it amounts to) to `dataset`; kind record: one contribution
-- record (payload = its JSON) for the submission of `entity` and `year`.
CREATE TABLE IF NOT EXISTS change_request (
    id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,           -- data | record
    entity VARCHAR NOT NULL,
    dataset VARCHAR,                 -- kind data
    year INTEGER,                    -- kind record: the questionnaire year
    title VARCHAR NOT NULL,          -- what a list shows: file name, record name
    file_name VARCHAR,
    payload BLOB NOT NULL,
    preview VARCHAR,                 -- JSON: counts of new/updated/unchanged/missing rows, warnings
    state VARCHAR NOT NULL,          -- draft | submitted | published | rejected
    author VARCHAR NOT NULL,
    reviewer VARCHAR,
    reason VARCHAR,                  -- why it was rejected
    created_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    decided_at TIMESTAMP,
    result VARCHAR                   -- JSON: what publishing did (load counts, record id)
);

-- Every write through the app and the account commands: who, when, what, before and after.
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT PRIMARY KEY,
    at_time TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,         -- user.add, request.submit, request.publish, ...
    object VARCHAR NOT NULL,         -- user:amina, request:12, dataset:nso-rw
    before VARCHAR,                  -- JSON
    after VARCHAR                    -- JSON
);
