-- engine: both
-- The project store (the tables of store.py and hosted/store_pg*.py), the same columns in both
-- engines: a new column is written once, below or in a later migration. Times are epoch seconds
-- and flags 0/1 integers. ``user_id`` names the row's owner: in hosted mode every query filters by
-- it; the local store has one user (store_local.LOCAL_USER). ``lease_until`` is the agent turn's
-- lease across instances (hosted mode; NULL locally, where the owner's process id says it).
-- The indexes differ (each engine's follow its queries): PostgreSQL's lead with user_id, since
-- many users share a table; SQLite's are those its query plans were checked with (tests/test_store).
-- (Shipped first as PostgreSQL's alone, with these tables and indexes; what PostgreSQL runs is
-- unchanged. OWNED_BY and SERIAL_KEY in braces: the two spellings that differ, see migrate.py.)

CREATE TABLE kv (
    user_id  text NOT NULL {{OWNED_BY}},
    key      text NOT NULL,
    value    text NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE projects (
    id             text PRIMARY KEY,
    user_id        text NOT NULL {{OWNED_BY}},
    session_id     text NOT NULL,
    task_id        text,
    name           text NOT NULL,
    language       text NOT NULL DEFAULT 'en',
    claim_token    text,
    claim_expires  double precision,
    named          integer NOT NULL DEFAULT 1,
    created_at     double precision NOT NULL,
    updated_at     double precision NOT NULL
);

CREATE TABLE media (
    id          {{SERIAL_KEY}},
    user_id     text NOT NULL {{OWNED_BY}},
    project_id  text,
    session_id  text,
    name        text NOT NULL,
    kind        text,
    url         text,
    source      text NOT NULL,
    info        text NOT NULL DEFAULT '{}',
    created_at  double precision NOT NULL
);

CREATE TABLE generations (
    id                text PRIMARY KEY,
    user_id           text NOT NULL {{OWNED_BY}},
    project_id        text,
    session_id        text,
    prompt            text NOT NULL,
    prompt_key        text,
    status            text NOT NULL,           -- running | done | failed | interrupted
    reply             text NOT NULL DEFAULT '',
    error             text,
    delivered         integer NOT NULL DEFAULT 0,
    owner             text,                    -- the instance reading the turn's stream
    lease_until       double precision,        -- the database's clock; renewed by its heartbeat
    before_draft      text,
    changes           text,
    timeline_changed  integer,
    credits_before    double precision,
    credits_after     double precision,
    client            text,
    route             text,
    facts             text,
    sent_at           double precision,
    ended_at          double precision,
    shared_with       text,
    cost_told         integer NOT NULL DEFAULT 0,
    created_at        double precision NOT NULL,
    updated_at        double precision NOT NULL
);

CREATE TABLE renders (
    id           text PRIMARY KEY,
    user_id      text NOT NULL {{OWNED_BY}},
    project_id   text,
    session_id   text,
    status       text NOT NULL,
    progress     double precision,
    format       text NOT NULL,
    quality      text NOT NULL,
    output_url   text,
    local_path   text,
    error        text,
    draft_fp     text,
    attempt      integer NOT NULL DEFAULT 1,
    retry_of     text,
    duration_s   double precision,
    width        integer,
    height       integer,
    size_bytes   bigint,
    claim        text,                         -- the instance following it
    claimed_at   double precision,
    told         integer NOT NULL DEFAULT 0,
    created_at   double precision NOT NULL,
    updated_at   double precision NOT NULL
);

CREATE TABLE cancels (
    id             text PRIMARY KEY,
    user_id        text NOT NULL {{OWNED_BY}},
    project_id     text,
    client         text,
    renders        text NOT NULL DEFAULT '[]',
    saved_path     text,
    agent_running  integer NOT NULL DEFAULT 0,
    told           integer NOT NULL DEFAULT 0,
    created_at     double precision NOT NULL
);

CREATE TABLE uploads (
    id          text PRIMARY KEY,
    user_id     text NOT NULL {{OWNED_BY}},
    project_id  text NOT NULL,
    names       text NOT NULL,
    status      text NOT NULL,
    error       text,
    owner       text,
    client      text,
    delivered   integer NOT NULL DEFAULT 0,
    created_at  double precision NOT NULL,
    updated_at  double precision NOT NULL
);

-- engine: postgresql
CREATE INDEX projects_recent ON projects (user_id, updated_at);
CREATE INDEX projects_name ON projects (user_id, lower(name));
CREATE INDEX media_project ON media (user_id, project_id, id);
CREATE INDEX generations_project ON generations (user_id, project_id, status);
CREATE INDEX generations_prompt ON generations (user_id, project_id, prompt_key);
CREATE INDEX generations_open ON generations (user_id) WHERE status = 'running';
CREATE INDEX generations_undelivered ON generations (user_id, project_id) WHERE delivered = 0;
CREATE INDEX generations_sent ON generations (user_id, sent_at) WHERE sent_at IS NOT NULL;
-- One running turn per project, whatever instance sent it: the database decides. (Locally
-- begin_turn decides under BEGIN IMMEDIATE, and a dead process's turn may stay 'running' beside
-- the next one until interrupt_dead_turns settles it: no such index there.)
CREATE UNIQUE INDEX generations_one_running ON generations (project_id) WHERE status = 'running';
CREATE INDEX renders_recent ON renders (user_id, created_at);
CREATE INDEX renders_project ON renders (user_id, project_id, created_at);
CREATE INDEX renders_open ON renders (user_id, created_at)
    WHERE status IN ('submitting', 'pending', 'processing', 'completed');
CREATE INDEX uploads_open ON uploads (user_id, project_id) WHERE delivered = 0;

-- engine: sqlite
CREATE INDEX projects_recent ON projects(updated_at);
CREATE INDEX projects_name ON projects(name COLLATE NOCASE);
CREATE INDEX media_project ON media(project_id, id);
CREATE INDEX generations_project ON generations(project_id, status);
CREATE INDEX generations_open ON generations(status) WHERE status = 'running';
CREATE INDEX generations_undelivered ON generations(project_id) WHERE delivered = 0;
CREATE INDEX generations_prompt ON generations(project_id, prompt_key);
CREATE INDEX generations_sent ON generations(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX renders_recent ON renders(created_at);
CREATE INDEX renders_project ON renders(project_id, created_at);
CREATE INDEX renders_open ON renders(status)
    WHERE status IN ('submitting', 'pending', 'processing', 'completed');
CREATE INDEX uploads_open ON uploads(project_id) WHERE delivered = 0;
-- How many media each project has, kept by triggers: counting 100k index entries took 7 ms a
-- ``status`` in SQLite (PostgreSQL counts through its index).
CREATE TABLE media_counts (project_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TRIGGER media_added AFTER INSERT ON media WHEN NEW.project_id IS NOT NULL BEGIN
    INSERT INTO media_counts(project_id, n) VALUES (NEW.project_id, 1)
        ON CONFLICT(project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER media_removed AFTER DELETE ON media WHEN OLD.project_id IS NOT NULL BEGIN
    UPDATE media_counts SET n = n - 1 WHERE project_id = OLD.project_id;
END;
CREATE TRIGGER media_moved AFTER UPDATE OF project_id ON media
    WHEN NEW.project_id IS NOT OLD.project_id BEGIN
    UPDATE media_counts SET n = n - 1 WHERE project_id = OLD.project_id;
    INSERT INTO media_counts(project_id, n) SELECT NEW.project_id, 1 WHERE NEW.project_id IS NOT NULL
        ON CONFLICT(project_id) DO UPDATE SET n = n + 1;
END;
