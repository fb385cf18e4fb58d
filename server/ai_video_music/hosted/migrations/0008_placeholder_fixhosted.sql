-- Placeholder on branch fixhosted only: number 0008 belongs to another branch's migration.
-- The integrator deletes this file when merging (db.py refuses a gap in the numbering).
SELECT 1;
