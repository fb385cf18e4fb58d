-- engine: postgresql  (team quotas: hosted mode only; a local store records it and runs nothing)
-- A member removed while their request runs: the request's row stays (user_id NULL marks its
-- member removed), so the group of requests it overlapped is still billed its share when they
-- end, and no colleague pays for it (it was deleted with the member before). Swept a day later.
ALTER TABLE team_spend ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE team_spend DROP CONSTRAINT team_spend_user_id_fkey;
ALTER TABLE team_spend ADD CONSTRAINT team_spend_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users ON DELETE SET NULL;
