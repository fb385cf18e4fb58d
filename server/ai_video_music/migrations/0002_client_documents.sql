-- engine: postgresql  (sign-in, OAuth and upload pages: hosted mode only; a local store records it and runs nothing)
-- Clients known by a client ID metadata document (their client_id is the document's https URL):
-- when the document was last fetched. NULL for clients that registered (RFC 7591).
ALTER TABLE oauth_clients ADD COLUMN fetched_at timestamptz;
