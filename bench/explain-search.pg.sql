-- The content list's search for a common word (bench/scale.py's "physiotherapy stretch"), for bench/scale.sh EXPLAIN=.
\timing on
ANALYZE;
SELECT count(*) AS matches FROM "DocumentSearch" WHERE "Ranked" @@ websearch_to_tsquery('english', 'physiotherapy stretch');
-- Before (issue 28's first version): every match scored, then the best 501.
EXPLAIN (ANALYZE, BUFFERS) SELECT s."DocumentId" FROM "DocumentSearch" AS s JOIN "Documents" AS d ON d."Id" = s."DocumentId"
WHERE s."Ranked" @@ websearch_to_tsquery('english', 'physiotherapy stretch')
ORDER BY ts_filter(s."Ranked", '{a}') @@ websearch_to_tsquery('english', 'physiotherapy stretch') DESC,
  ts_filter(s."Ranked", '{b}') @@ websearch_to_tsquery('english', 'physiotherapy stretch') DESC,
  CASE WHEN ts_filter(s."Ranked", '{a}') @@ websearch_to_tsquery('english', 'physiotherapy stretch') THEN length(s."Title")
       WHEN ts_filter(s."Ranked", '{b}') @@ websearch_to_tsquery('english', 'physiotherapy stretch') THEN length(s."Summary") ELSE 0 END,
  ts_rank_cd(s."Ranked", websearch_to_tsquery('english', 'physiotherapy stretch'), 1) DESC, s."Id" DESC LIMIT 501;
-- After: the newest matches (one more than the list), then the title and summary tiers, each newest first.
EXPLAIN (ANALYZE, BUFFERS) SELECT s."Id", s."DocumentId", 0 FROM "DocumentSearch" AS s JOIN "Documents" AS d ON d."Id" = s."DocumentId"
WHERE s."Ranked" @@ websearch_to_tsquery('english', 'physiotherapy stretch') ORDER BY s."Id" DESC LIMIT 502;
EXPLAIN (ANALYZE, BUFFERS) SELECT s."Id", s."DocumentId", length(s."Title") FROM "DocumentSearch" AS s JOIN "Documents" AS d ON d."Id" = s."DocumentId"
WHERE s."TitleWords" @@ websearch_to_tsquery('english', 'physiotherapy stretch') ORDER BY s."Id" DESC LIMIT 501;
EXPLAIN (ANALYZE, BUFFERS) SELECT s."Id", s."DocumentId", length(s."Summary") FROM "DocumentSearch" AS s JOIN "Documents" AS d ON d."Id" = s."DocumentId"
WHERE s."SummaryWords" @@ websearch_to_tsquery('english', 'physiotherapy stretch') ORDER BY s."Id" DESC LIMIT 501;
