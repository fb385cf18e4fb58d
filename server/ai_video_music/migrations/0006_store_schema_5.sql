-- engine: both
-- The project store at the SQLite store's schema version 5 (0005 stated version 4; what a
-- shipped migration does is never changed). Same columns and meanings in both engines:
--   generations.held  the commands the user held back in the request ("don't export yet"), JSON
--   cancels.turn_id   the request a cancel answered about (the session's latest, sent or not)
-- and the index that finds a client session's latest request (latest_turn, session_turns),
-- with user_id first in PostgreSQL like every index there, since every query filters by it.
-- A local store.db of versions 1-5 (before these migrations) is brought to this one's schema by
-- store_legacy.py and then continues with 0007.

ALTER TABLE generations ADD COLUMN held text;
ALTER TABLE cancels ADD COLUMN turn_id text;

-- engine: postgresql
CREATE INDEX generations_client ON generations (user_id, client, created_at);

-- engine: sqlite
CREATE INDEX generations_client ON generations(client, created_at);
