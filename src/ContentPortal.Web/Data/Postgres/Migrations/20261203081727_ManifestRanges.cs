using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ManifestRanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "UntilSnapshotId",
                table: "SnapshotEntries",
                type: "integer",
                nullable: true);

            // Until now every snapshot stored its whole manifest: each of those rows lasts one snapshot,
            // except the newest snapshot's, which stay open. Later publishes write only what changes.
            // Before the indexes: the unique one allows one open row per document.
            migrationBuilder.Sql("""UPDATE "SnapshotEntries" SET "UntilSnapshotId" = "SnapshotId" + 1 WHERE "SnapshotId" < (SELECT MAX("Id") FROM "Snapshots");""");

            migrationBuilder.CreateIndex(
                name: "IX_SnapshotEntries_OpenDocument",
                table: "SnapshotEntries",
                column: "DocumentId",
                unique: true,
                filter: "\"UntilSnapshotId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SnapshotEntries_UntilSnapshotId_DocumentId",
                table: "SnapshotEntries",
                columns: new[] { "UntilSnapshotId", "DocumentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SnapshotEntries_OpenDocument",
                table: "SnapshotEntries");

            // Back to one whole manifest per snapshot: each row copied into every later snapshot it lasted
            // through (after the unique index is gone: the copies have no end).
            migrationBuilder.Sql("""
                INSERT INTO "SnapshotEntries" ("SnapshotId", "DocumentId", "VersionId", "VersionNumber", "Kind", "Slug", "Title")
                SELECT s."Id", e."DocumentId", e."VersionId", e."VersionNumber", e."Kind", e."Slug", e."Title"
                FROM "SnapshotEntries" e JOIN "Snapshots" s ON s."Id" > e."SnapshotId" AND (e."UntilSnapshotId" IS NULL OR s."Id" < e."UntilSnapshotId");
                """);

            migrationBuilder.DropIndex(
                name: "IX_SnapshotEntries_UntilSnapshotId_DocumentId",
                table: "SnapshotEntries");

            migrationBuilder.DropColumn(
                name: "UntilSnapshotId",
                table: "SnapshotEntries");
        }
    }
}
