using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DocumentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Text = table.Column<string>(type: "character varying(1000000)", maxLength: 1000000, nullable: false)
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

            // Written by hand: the model is shared with SQLite and does not describe it. A trigram GIN index,
            // which ILIKE '%term%' uses, so the content list's search does not read every row (issue 9).
            // pg_trgm ships with PostgreSQL and is a trusted extension: the database owner may create it.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX \"IX_DocumentSearch_Text_Trigram\" ON \"DocumentSearch\" USING gin (\"Text\" gin_trgm_ops);");
            // Existing documents: the latest version's text, as PortalDbContext keeps it from now on.
            migrationBuilder.Sql("""
                INSERT INTO "DocumentSearch" ("DocumentId", "Text")
                SELECT d."Id", v."Title" || chr(10) || v."Summary" || chr(10) || v."BodyMarkdown"
                FROM "Documents" AS d JOIN "Versions" AS v ON v."DocumentId" = d."Id" AND v."Number" = d."LatestNumber";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DocumentSearch");
        }
    }
}
