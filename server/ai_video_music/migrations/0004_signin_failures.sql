-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- Refused sign-in tokens by client address: the sign-in form must not become a way to try
-- NemoVideo tokens in bulk.
CREATE TABLE signin_failures (
    address  text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signin_failures_address ON signin_failures (address, at);
