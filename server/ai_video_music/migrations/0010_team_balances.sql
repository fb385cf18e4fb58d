-- engine: postgresql  (team quotas: hosted mode only; a local store records it and runs nothing)
-- The team balance read at a request's start and end (hosted/team.py): requests whose windows
-- overlap are billed together, what the balance fell over their common span. NULL: not read.
-- From now on ``shared_with`` counts the other requests of that group.
ALTER TABLE team_spend ADD COLUMN balance_before double precision;
ALTER TABLE team_spend ADD COLUMN balance_after double precision;
