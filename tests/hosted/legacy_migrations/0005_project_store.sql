-- The project store (store.py's tables) in PostgreSQL, every row owned by one user. Columns,
-- names and meanings are those of the SQLite store at its schema version 4, so one set of
-- queries reads both (tests/hosted/test_store_pg.py checks the columns stay the same); times
-- are epoch seconds and flags 0/1 integers, as there. What only PostgreSQL has: ``user_id`` on
-- every table (every query filters by it) and the agent turn's lease (``lease_until``).

CREATE TABLE kv (
    user_id  text NOT NULL REFERENCES users ON DELETE CASCADE,
    key      text NOT NULL,
    value    text NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE projects (
    id             text PRIMARY KEY,
    user_id        text NOT NULL REFERENCES users ON DELETE CASCADE,
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
CREATE INDEX projects_recent ON projects (user_id, updated_at);
CREATE INDEX projects_name ON projects (user_id, lower(name));

CREATE TABLE media (
    id          bigserial PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users ON DELETE CASCADE,
    project_id  text,
    session_id  text,
    name        text NOT NULL,
    kind        text,
    url         text,
    source      text NOT NULL,
    info        text NOT NULL DEFAULT '{}',
    created_at  double precision NOT NULL
);
CREATE INDEX media_project ON media (user_id, project_id, id);

CREATE TABLE generations (
    id                text PRIMARY KEY,
    user_id           text NOT NULL REFERENCES users ON DELETE CASCADE,
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
CREATE INDEX generations_project ON generations (user_id, project_id, status);
CREATE INDEX generations_prompt ON generations (user_id, project_id, prompt_key);
CREATE INDEX generations_open ON generations (user_id) WHERE status = 'running';
CREATE INDEX generations_undelivered ON generations (user_id, project_id) WHERE delivered = 0;
CREATE INDEX generations_sent ON generations (user_id, sent_at) WHERE sent_at IS NOT NULL;
-- One running turn per project, whatever instance sent it: the database decides.
CREATE UNIQUE INDEX generations_one_running ON generations (project_id) WHERE status = 'running';

CREATE TABLE renders (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users ON DELETE CASCADE,
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
CREATE INDEX renders_recent ON renders (user_id, created_at);
CREATE INDEX renders_project ON renders (user_id, project_id, created_at);
CREATE INDEX renders_open ON renders (user_id, created_at)
    WHERE status IN ('submitting', 'pending', 'processing', 'completed');

CREATE TABLE cancels (
    id             text PRIMARY KEY,
    user_id        text NOT NULL REFERENCES users ON DELETE CASCADE,
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
    user_id     text NOT NULL REFERENCES users ON DELETE CASCADE,
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
CREATE INDEX uploads_open ON uploads (user_id, project_id) WHERE delivered = 0;
