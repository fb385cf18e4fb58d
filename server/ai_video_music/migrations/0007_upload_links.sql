-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- Upload pages: a link the `upload` tool hands the user so their browser can send photos and
-- videos from their device (a remote server can't read it). Each link belongs to one user and
-- one of their projects, works once (used_at) and for a short time (expires_at); the database
-- keeps only the SHA-256 of its secret. A used or expired row stays a day, so that opening the
-- link again says why it no longer works; then the sweep removes it.

CREATE TABLE upload_links (
    token_hash  text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users ON DELETE CASCADE,
    project_id  text NOT NULL REFERENCES projects ON DELETE CASCADE,
    language    text NOT NULL DEFAULT 'en',
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX upload_links_user ON upload_links (user_id);
CREATE INDEX upload_links_expiry ON upload_links (expires_at);
