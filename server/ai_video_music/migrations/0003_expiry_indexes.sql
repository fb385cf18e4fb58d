-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- The sweep of expired rows (housekeeping.py) finds them by expiry.
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
CREATE INDEX auth_codes_expiry ON auth_codes (expires_at);
CREATE INDEX signin_requests_expiry ON signin_requests (expires_at);
