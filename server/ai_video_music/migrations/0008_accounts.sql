-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- Accounts beyond a pasted token: free (anonymous) NemoVideo accounts started here, team members
-- on the operator's token with credit quotas, and per-user rate limits shared by every instance.

-- own: a pasted NemoVideo token; free: an anonymous account this server started ("Start free");
-- team: a member on the operator's team token (nemo_token stays NULL: the token is the operator's).
ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'own' CHECK (kind IN ('own', 'free', 'team'));
-- The anonymous NemoVideo user id of a free account: its registration link binds it.
ALTER TABLE users ADD COLUMN nemo_user_id text;
-- SHA-256 of the random cookie of the browser that started a free account: that browser may
-- later replace the free token with the user's own (same user, same projects).
ALTER TABLE users ADD COLUMN free_key text UNIQUE;
-- A team member's name, as the operator gave it (shown to nobody else).
ALTER TABLE users ADD COLUMN member_name text;

-- Free accounts started, by client address: our own cap, under NemoVideo's per-address one, so
-- one visitor can't use up the few free accounts NemoVideo gives this server's address.
CREATE TABLE free_accounts (
    address  text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX free_accounts_address ON free_accounts (address, at);

-- One agent request sent on the team token: its window and what it is charged to its user's quota.
CREATE TABLE team_spend (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users ON DELETE CASCADE,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    ended_at    timestamptz,
    reserved    double precision NOT NULL,      -- counted against the quota while it runs
    charged     double precision,               -- NULL while running
    shared_with integer NOT NULL DEFAULT 0      -- other team requests that ran in its window
);
CREATE INDEX team_spend_user ON team_spend (user_id, started_at);
CREATE INDEX team_spend_running ON team_spend (ended_at) WHERE ended_at IS NULL;

-- Tool calls per user per minute (fixed windows): one upserted row per user and minute.
CREATE TABLE rate_windows (
    user_id       text NOT NULL REFERENCES users ON DELETE CASCADE,
    window_start  timestamptz NOT NULL,
    calls         integer NOT NULL,
    PRIMARY KEY (user_id, window_start)
);
