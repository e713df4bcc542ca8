-- The last SDG Index and the last interlinkages run, kept the way the progress assessment is kept
-- (progress_run, progress_result): a new run of the same analysis replaces the kept one in one
-- transaction. Results are rows in typed tables, not one JSON document, so they stay queryable
-- ("which areas are red on goal 3", "synergies of SH_DYN_MORT") and compact: series-level links
-- over the whole UN database run to millions of (area, pair) rows, which columnar tables hold in a
-- fraction of the space their JSON would take.

-- One row per kept analysis ('index' or 'links'). parameters: the Result's parameters (JSON);
-- about: what else rebuilds the Result as it was returned (the method's own record, data window,
-- datasets, counts, notes, column types; JSON). n_rows: rows of its main table.
CREATE TABLE IF NOT EXISTS kept_run (
    analysis VARCHAR PRIMARY KEY,
    run_at TIMESTAMP NOT NULL,
    method VARCHAR NOT NULL,
    parameters VARCHAR NOT NULL,
    about VARCHAR NOT NULL,
    n_rows BIGINT NOT NULL
);

-- SDG Index: one row per area (position = order of the result: by rank, then area); the goal
-- scores, dashboard colours and trend arrows one row per area and goal.
CREATE TABLE IF NOT EXISTS kept_index_area (
    position INTEGER NOT NULL, area VARCHAR NOT NULL, area_name VARCHAR, region VARCHAR,
    "index" DOUBLE, rank DOUBLE, n_applicable DOUBLE, n_values DOUBLE, missing_share DOUBLE,
    imputed_goals VARCHAR, no_index_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS kept_index_goal (
    area VARCHAR NOT NULL, goal INTEGER NOT NULL, score DOUBLE, colour VARCHAR, trend VARCHAR
);
-- One row per area and codebook indicator with a value.
CREATE TABLE IF NOT EXISTS kept_index_indicator (
    position INTEGER NOT NULL, area VARCHAR NOT NULL, area_name VARCHAR, indicator VARCHAR NOT NULL, goal INTEGER, in_index BOOLEAN,
    year INTEGER, value DOUBLE, score DOUBLE, colour VARCHAR, trend VARCHAR, trend_arrow VARCHAR,
    start_year DOUBLE, rate DOUBLE, needed_rate DOUBLE, dataset VARCHAR
);

-- position: the row's place in the result's table, so it reads back in the same order.
-- Interlinkages: the series pairs per area (a series-level run), the goal pairs per area and
-- pooled (area 'all'; every run), the network nodes (a network-level run).
CREATE TABLE IF NOT EXISTS kept_links_pair (
    position INTEGER NOT NULL, area VARCHAR NOT NULL, series_a VARCHAR NOT NULL, series_b VARCHAR NOT NULL, n INTEGER,
    rho DOUBLE, p DOUBLE, p_adj DOUBLE, "class" VARCHAR
);
CREATE TABLE IF NOT EXISTS kept_links_goal (
    position INTEGER NOT NULL, area VARCHAR NOT NULL, goal_a INTEGER NOT NULL, goal_b INTEGER NOT NULL, pairs BIGINT,
    synergies BIGINT, tradeoffs BIGINT, share_synergy DOUBLE, share_tradeoff DOUBLE
);
CREATE TABLE IF NOT EXISTS kept_links_node (
    position INTEGER NOT NULL, kind VARCHAR NOT NULL, node VARCHAR NOT NULL, centrality DOUBLE,
    net_strength DOUBLE, synergy_strength DOUBLE, tradeoff_strength DOUBLE, synergy_links DOUBLE,
    tradeoff_links DOUBLE
);
