-- The project store at the SQLite store's schema version 5 (0005 stated version 4; migrations
-- that shipped are never edited). Same columns and meanings as there:
--   generations.held  the commands the user held back in the request ("don't export yet"), JSON
--   cancels.turn_id   the request a cancel answered about (the session's latest, sent or not)
-- and the index that finds a client session's latest request (latest_turn, session_turns),
-- with user_id first like every index here, since every query filters by it.

ALTER TABLE generations ADD COLUMN held text;
ALTER TABLE cancels ADD COLUMN turn_id text;
CREATE INDEX generations_client ON generations (user_id, client, created_at);
