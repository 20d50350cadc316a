using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DocumentSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DocumentSearch",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentSearch", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DocumentSearch_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentSearch_DocumentId",
                table: "DocumentSearch",
                column: "DocumentId",
                unique: true);

            // Written by hand: the model does not describe FTS5. An external-content trigram index over
            // DocumentSearch.Text (substring matches, case-insensitive), kept in step by triggers, so the
            // content list's search reads the index instead of every row (issue 9).
            migrationBuilder.Sql("CREATE VIRTUAL TABLE DocumentSearchIndex USING fts5(Text, content='DocumentSearch', content_rowid='Id', tokenize='trigram');");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Inserted AFTER INSERT ON DocumentSearch BEGIN INSERT INTO DocumentSearchIndex(rowid, Text) VALUES (new.Id, new.Text); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Deleted AFTER DELETE ON DocumentSearch BEGIN INSERT INTO DocumentSearchIndex(DocumentSearchIndex, rowid, Text) VALUES ('delete', old.Id, old.Text); END;");
            migrationBuilder.Sql("CREATE TRIGGER DocumentSearch_Updated AFTER UPDATE ON DocumentSearch BEGIN INSERT INTO DocumentSearchIndex(DocumentSearchIndex, rowid, Text) VALUES ('delete', old.Id, old.Text); INSERT INTO DocumentSearchIndex(rowid, Text) VALUES (new.Id, new.Text); END;");
            // Existing documents: the latest version's text, as PortalDbContext keeps it from now on.
            migrationBuilder.Sql("""
                INSERT INTO DocumentSearch (DocumentId, Text)
                SELECT d.Id, v.Title || char(10) || v.Summary || char(10) || v.BodyMarkdown
                FROM Documents AS d JOIN Versions AS v ON v.DocumentId = d.Id AND v.Number = d.LatestNumber;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Inserted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Deleted;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS DocumentSearch_Updated;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS DocumentSearchIndex;");
            migrationBuilder.DropTable(
                name: "DocumentSearch");
        }
    }
}
