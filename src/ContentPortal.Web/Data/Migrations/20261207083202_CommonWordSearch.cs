using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CommonWordSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the title and the summary each in an FTS5 table of its own (issue 28, a common word).
            // FTS5 keeps no per-column lists, so "Title : word" in DocumentRankIndex reads every body that has the
            // word; these tables hold only titles or summaries, so a title or summary tier is read newest first
            // and stops at the page's limit. Same tokenizer as DocumentRankIndex; kept in step by triggers.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE DocumentTitleIndex USING fts5(Title, content='DocumentSearch', content_rowid='Id', tokenize='porter unicode61');");
            migrationBuilder.Sql("INSERT INTO DocumentTitleIndex(DocumentTitleIndex) VALUES ('rebuild');");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Title_Inserted AFTER INSERT ON DocumentSearch BEGIN INSERT INTO DocumentTitleIndex(rowid, Title) VALUES (new.Id, new.Title); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Title_Deleted AFTER DELETE ON DocumentSearch BEGIN INSERT INTO DocumentTitleIndex(DocumentTitleIndex, rowid, Title) VALUES ('delete', old.Id, old.Title); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Title_Updated AFTER UPDATE OF Title ON DocumentSearch BEGIN INSERT INTO DocumentTitleIndex(DocumentTitleIndex, rowid, Title) VALUES ('delete', old.Id, old.Title); INSERT INTO DocumentTitleIndex(rowid, Title) VALUES (new.Id, new.Title); END;");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE DocumentSummaryIndex USING fts5(Summary, content='DocumentSearch', content_rowid='Id', tokenize='porter unicode61');");
            migrationBuilder.Sql("INSERT INTO DocumentSummaryIndex(DocumentSummaryIndex) VALUES ('rebuild');");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Summary_Inserted AFTER INSERT ON DocumentSearch BEGIN INSERT INTO DocumentSummaryIndex(rowid, Summary) VALUES (new.Id, new.Summary); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Summary_Deleted AFTER DELETE ON DocumentSearch BEGIN INSERT INTO DocumentSummaryIndex(DocumentSummaryIndex, rowid, Summary) VALUES ('delete', old.Id, old.Summary); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Summary_Updated AFTER UPDATE OF Summary ON DocumentSearch BEGIN INSERT INTO DocumentSummaryIndex(DocumentSummaryIndex, rowid, Summary) VALUES ('delete', old.Id, old.Summary); INSERT INTO DocumentSummaryIndex(rowid, Summary) VALUES (new.Id, new.Summary); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the two tables and their triggers.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Title_Inserted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Title_Deleted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Title_Updated;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS DocumentTitleIndex;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Summary_Inserted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Summary_Deleted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Summary_Updated;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS DocumentSummaryIndex;");
        }
    }
}
