-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- Users, OAuth clients, sign-in requests, codes and tokens. Every code and token is stored as
-- the SHA-256 of a random value (the value itself only ever travels to its holder); NemoVideo
-- tokens and client secrets are Fernet-encrypted with NEMO_SECRET_KEY.

CREATE TABLE users (
    id          text PRIMARY KEY,             -- opaque, random: names the user's state folder
    lookup      text NOT NULL UNIQUE,         -- HMAC of the NemoVideo token: the same token, the same user
    nemo_token  bytea,                        -- Fernet; NULL once the user chose "forget my token"
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth_clients (
    client_id   text PRIMARY KEY,
    info        jsonb NOT NULL,               -- RFC 7591 metadata, without the secret
    secret      bytea,                        -- Fernet; NULL for public clients (PKCE only)
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An /authorize request waiting for the user to sign in on our page.
CREATE TABLE signin_requests (
    id_hash     text PRIMARY KEY,
    client_id   text NOT NULL REFERENCES oauth_clients ON DELETE CASCADE,
    params      jsonb NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- One sign-in of one user into one client: revoking it ends every token it produced.
CREATE TABLE grants (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users ON DELETE CASCADE,
    client_id   text NOT NULL REFERENCES oauth_clients ON DELETE CASCADE,
    scopes      text[] NOT NULL,
    resource    text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX grants_user ON grants (user_id);

CREATE TABLE auth_codes (
    code_hash       text PRIMARY KEY,
    grant_id        text NOT NULL REFERENCES grants ON DELETE CASCADE,
    code_challenge  text NOT NULL,
    redirect_uri    text NOT NULL,
    redirect_explicit boolean NOT NULL,
    expires_at      timestamptz NOT NULL
);

CREATE TABLE access_tokens (
    token_hash  text PRIMARY KEY,
    grant_id    text NOT NULL REFERENCES grants ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX access_tokens_grant ON access_tokens (grant_id);

-- Rotating refresh tokens: a used one is kept (used_at set) so that a replay is recognised and
-- ends the whole grant (OAuth 2.1 §4.3.1: the thief or the user, one of them, has a copy).
CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY,
    grant_id    text NOT NULL REFERENCES grants ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
