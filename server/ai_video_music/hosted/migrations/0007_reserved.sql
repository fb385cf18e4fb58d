-- Reserved for the upload page's migration (another branch). This placeholder keeps the numbers
-- 1..n on the accounts branch; the merge replaces it with the real 0007.
SELECT 1;
