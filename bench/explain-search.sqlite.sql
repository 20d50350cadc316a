-- The content list's search for a common word (bench/scale.py's "physiotherapy stretch"), for bench/scale.sh EXPLAIN=.
.timer on
SELECT count(*) AS matches FROM "DocumentRankIndex" WHERE "DocumentRankIndex" MATCH '("physiotherapy" AND "stretch")';
-- Before (issue 28's first version): every match scored with bm25, the tiers from DocumentRankIndex's columns.
EXPLAIN QUERY PLAN SELECT s."DocumentId" FROM "DocumentRankIndex" AS f JOIN "DocumentSearch" AS s ON s."Id" = f.rowid JOIN "Documents" AS d ON d."Id" = s."DocumentId"
WHERE "DocumentRankIndex" MATCH '("physiotherapy" AND "stretch")'
ORDER BY f.rowid IN (SELECT rowid FROM "DocumentRankIndex" WHERE "DocumentRankIndex" MATCH 'Title : ("physiotherapy" AND "stretch")') DESC,
  f.rowid IN (SELECT rowid FROM "DocumentRankIndex" WHERE "DocumentRankIndex" MATCH 'Summary : ("physiotherapy" AND "stretch")') DESC,
  bm25("DocumentRankIndex", 10.0, 4.0, 1.0), f.rowid DESC LIMIT 501;
SELECT count(*) FROM (SELECT s."DocumentId" FROM "DocumentRankIndex" AS f JOIN "DocumentSearch" AS s ON s."Id" = f.rowid JOIN "Documents" AS d ON d."Id" = s."DocumentId"
WHERE "DocumentRankIndex" MATCH '("physiotherapy" AND "stretch")'
ORDER BY f.rowid IN (SELECT rowid FROM "DocumentRankIndex" WHERE "DocumentRankIndex" MATCH 'Title : ("physiotherapy" AND "stretch")') DESC,
  f.rowid IN (SELECT rowid FROM "DocumentRankIndex" WHERE "DocumentRankIndex" MATCH 'Summary : ("physiotherapy" AND "stretch")') DESC,
  bm25("DocumentRankIndex", 10.0, 4.0, 1.0), f.rowid DESC LIMIT 501);
-- After: the newest matches (one more than the list), then the title and summary tiers from their own tables.
EXPLAIN QUERY PLAN SELECT s."Id" FROM "DocumentRankIndex" AS f CROSS JOIN "DocumentSearch" AS s CROSS JOIN "Documents" AS d
WHERE "DocumentRankIndex" MATCH '("physiotherapy" AND "stretch")' AND s."Id" = f.rowid AND d."Id" = s."DocumentId" ORDER BY f.rowid DESC LIMIT 502;
SELECT count(*) FROM (SELECT s."Id" FROM "DocumentRankIndex" AS f CROSS JOIN "DocumentSearch" AS s CROSS JOIN "Documents" AS d
WHERE "DocumentRankIndex" MATCH '("physiotherapy" AND "stretch")' AND s."Id" = f.rowid AND d."Id" = s."DocumentId" ORDER BY f.rowid DESC LIMIT 502);
SELECT count(*) FROM (SELECT s."Id" FROM "DocumentTitleIndex" AS f CROSS JOIN "DocumentSearch" AS s CROSS JOIN "Documents" AS d
WHERE "DocumentTitleIndex" MATCH 'Title : ("physiotherapy" AND "stretch")' AND s."Id" = f.rowid AND d."Id" = s."DocumentId" ORDER BY f.rowid DESC LIMIT 501);
SELECT count(*) FROM (SELECT s."Id" FROM "DocumentSummaryIndex" AS f CROSS JOIN "DocumentSearch" AS s CROSS JOIN "Documents" AS d
WHERE "DocumentSummaryIndex" MATCH 'Summary : ("physiotherapy" AND "stretch")' AND s."Id" = f.rowid AND d."Id" = s."DocumentId" ORDER BY f.rowid DESC LIMIT 501);
