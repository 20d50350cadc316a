using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RankedSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Body",
                table: "DocumentSearch",
                type: "TEXT",
                maxLength: 1000000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Summary",
                table: "DocumentSearch",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Title",
                table: "DocumentSearch",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "DocumentSearchCodes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentSearchCodes", x => new { x.Code, x.DocumentId });
                    table.ForeignKey(
                        name: "FK_DocumentSearchCodes_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentSearchCodes_DocumentId",
                table: "DocumentSearchCodes",
                column: "DocumentId");

            // Hand-written: the model does not describe FTS5. Existing rows get the latest version's title, summary,
            // body and codes (as SearchRows keeps them from now on); then DocumentRankIndex, an FTS5 table over them
            // with the porter stemmer (issue 28), built once and kept in step by triggers like DocumentSearchIndex.
            migrationBuilder.Sql("""
                UPDATE DocumentSearch SET Title = v.Title, Summary = v.Summary, Body = v.BodyMarkdown || coalesce(
                    (SELECT char(10) || group_concat(f.Symptom || '. ' || f.Advice, char(10) ORDER BY f.Position) FROM RedFlags AS f WHERE f.VersionId = v.Id), '')
                FROM Documents AS d JOIN Versions AS v ON v.DocumentId = d.Id AND v.Number = d.LatestNumber
                WHERE d.Id = DocumentSearch.DocumentId;
                """);
            migrationBuilder.Sql("UPDATE DocumentSearch SET Text = Title || char(10) || Summary || char(10) || Body;");
            migrationBuilder.Sql("""
                INSERT OR IGNORE INTO DocumentSearchCodes (Code, DocumentId)
                SELECT upper(trim(json_extract(c.value, '$.code'))), d.Id
                FROM Documents AS d JOIN Versions AS v ON v.DocumentId = d.Id AND v.Number = d.LatestNumber,
                     json_each(CASE WHEN json_valid(v.Codes) THEN v.Codes ELSE '[]' END) AS c
                WHERE length(trim(json_extract(c.value, '$.code'))) BETWEEN 1 AND 40
                UNION
                SELECT upper(trim(json_extract(c.value, '$.code'))), d.Id
                FROM Documents AS d JOIN Versions AS v ON v.DocumentId = d.Id AND v.Number = d.LatestNumber
                JOIN RedFlags AS f ON f.VersionId = v.Id,
                     json_each(CASE WHEN json_valid(f.Codes) THEN f.Codes ELSE '[]' END) AS c
                WHERE length(trim(json_extract(c.value, '$.code'))) BETWEEN 1 AND 40;
                """);
            migrationBuilder.Sql("CREATE VIRTUAL TABLE DocumentRankIndex USING fts5(Title, Summary, Body, content='DocumentSearch', content_rowid='Id', tokenize='porter unicode61');");
            migrationBuilder.Sql("INSERT INTO DocumentRankIndex(DocumentRankIndex) VALUES ('rebuild');");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Ranked_Inserted AFTER INSERT ON DocumentSearch BEGIN INSERT INTO DocumentRankIndex(rowid, Title, Summary, Body) VALUES (new.Id, new.Title, new.Summary, new.Body); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Ranked_Deleted AFTER DELETE ON DocumentSearch BEGIN INSERT INTO DocumentRankIndex(DocumentRankIndex, rowid, Title, Summary, Body) VALUES ('delete', old.Id, old.Title, old.Summary, old.Body); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Ranked_Updated AFTER UPDATE OF Title, Summary, Body ON DocumentSearch BEGIN INSERT INTO DocumentRankIndex(DocumentRankIndex, rowid, Title, Summary, Body) VALUES ('delete', old.Id, old.Title, old.Summary, old.Body); INSERT INTO DocumentRankIndex(rowid, Title, Summary, Body) VALUES (new.Id, new.Title, new.Summary, new.Body); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written (first, before the columns it reads go): DocumentRankIndex and its triggers.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Ranked_Inserted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Ranked_Deleted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Ranked_Updated;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS DocumentRankIndex;");

            migrationBuilder.DropTable(
                name: "DocumentSearchCodes");

            migrationBuilder.DropColumn(
                name: "Body",
                table: "DocumentSearch");

            migrationBuilder.DropColumn(
                name: "Summary",
                table: "DocumentSearch");

            migrationBuilder.DropColumn(
                name: "Title",
                table: "DocumentSearch");
        }
    }
}
