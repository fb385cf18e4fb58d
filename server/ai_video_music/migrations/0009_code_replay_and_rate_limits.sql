-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- A used authorization code is kept (used_at set) until it expires, so that its replay is
-- recognised and ends the grant it produced (RFC 6749 §4.1.2, OAuth 2.1 §4.1.3).
ALTER TABLE auth_codes ADD COLUMN used_at timestamptz;

-- Requests anyone may make without signing in (/register, /authorize), counted per client
-- address in fixed windows, shared by every instance (ratelimit.py). One row per key and window.
CREATE TABLE rate_counts (
    bucket        text NOT NULL,          -- what is limited ("register", "authorize", ...)
    key           text NOT NULL,          -- who: a client address
    window_start  timestamptz NOT NULL,
    n             integer NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);
CREATE INDEX rate_counts_window ON rate_counts (window_start);
