using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
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
                type: "character varying(1000000)",
                maxLength: 1000000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Summary",
                table: "DocumentSearch",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Title",
                table: "DocumentSearch",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "DocumentSearchCodes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DocumentId = table.Column<Guid>(type: "uuid", nullable: false)
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

            // Hand-written: the model is shared with SQLite and does not describe it. Existing rows get the latest
            // version's title, summary, body and codes (as SearchRows keeps them from now on); then "Ranked", a
            // generated weighted tsvector (title A, summary B, body C; 'english'), and its GIN index (issue 28).
            migrationBuilder.Sql("""
                UPDATE "DocumentSearch" AS s SET "Title" = v."Title", "Summary" = v."Summary", "Body" = v."BodyMarkdown" || coalesce(
                    (SELECT chr(10) || string_agg(f."Symptom" || '. ' || f."Advice", chr(10) ORDER BY f."Position") FROM "RedFlags" AS f WHERE f."VersionId" = v."Id"), '')
                FROM "Documents" AS d JOIN "Versions" AS v ON v."DocumentId" = d."Id" AND v."Number" = d."LatestNumber"
                WHERE d."Id" = s."DocumentId";
                """);
            migrationBuilder.Sql("""UPDATE "DocumentSearch" SET "Text" = "Title" || chr(10) || "Summary" || chr(10) || "Body";""");
            migrationBuilder.Sql("""
                INSERT INTO "DocumentSearchCodes" ("Code", "DocumentId")
                SELECT upper(btrim(c ->> 'code')), d."Id"
                FROM "Documents" AS d JOIN "Versions" AS v ON v."DocumentId" = d."Id" AND v."Number" = d."LatestNumber"
                CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN v."Codes" LIKE '[%' THEN v."Codes"::jsonb ELSE '[]'::jsonb END) AS c
                WHERE length(btrim(c ->> 'code')) BETWEEN 1 AND 40
                UNION
                SELECT upper(btrim(c ->> 'code')), d."Id"
                FROM "Documents" AS d JOIN "Versions" AS v ON v."DocumentId" = d."Id" AND v."Number" = d."LatestNumber"
                JOIN "RedFlags" AS f ON f."VersionId" = v."Id"
                CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN f."Codes" LIKE '[%' THEN f."Codes"::jsonb ELSE '[]'::jsonb END) AS c
                WHERE length(btrim(c ->> 'code')) BETWEEN 1 AND 40
                ON CONFLICT DO NOTHING;
                """);
            migrationBuilder.Sql("""
                ALTER TABLE "DocumentSearch" ADD COLUMN "Ranked" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english'::regconfig, "Title"), 'A')
                    || setweight(to_tsvector('english'::regconfig, "Summary"), 'B')
                    || setweight(to_tsvector('english'::regconfig, "Body"), 'C')) STORED;
                """);
            migrationBuilder.Sql("CREATE INDEX \"IX_DocumentSearch_Ranked\" ON \"DocumentSearch\" USING gin (\"Ranked\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written (first, before the columns it is computed from go): "Ranked" and its index.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_DocumentSearch_Ranked\";");
            migrationBuilder.Sql("ALTER TABLE \"DocumentSearch\" DROP COLUMN IF EXISTS \"Ranked\";");

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
