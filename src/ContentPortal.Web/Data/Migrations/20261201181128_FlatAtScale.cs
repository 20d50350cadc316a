using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FlatAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "FeedJson",
                table: "Snapshots",
                type: "BLOB",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB");

            migrationBuilder.AddColumn<int>(
                name: "DocumentCount",
                table: "Snapshots",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "LatestApprovedId",
                table: "Documents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LatestNumber",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LatestStatus",
                table: "Documents",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LatestTitle",
                table: "Documents",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "LatestUpdatedAt",
                table: "Documents",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "ListedReviewDue",
                table: "Documents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PublishedVersionId",
                table: "Documents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Renditions",
                columns: table => new
                {
                    VersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Json = table.Column<byte[]>(type: "BLOB", nullable: false),
                    RenderedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Renditions", x => x.VersionId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SnapshotEntries_DocumentId",
                table: "SnapshotEntries",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_LatestApprovedId",
                table: "Documents",
                column: "LatestApprovedId");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_LatestStatus",
                table: "Documents",
                column: "LatestStatus");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_LatestTitle_Id",
                table: "Documents",
                columns: new[] { "LatestTitle", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_LatestUpdatedAt",
                table: "Documents",
                column: "LatestUpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ListedReviewDue",
                table: "Documents",
                column: "ListedReviewDue");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_PublishedVersionId",
                table: "Documents",
                column: "PublishedVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Renditions_DocumentId",
                table: "Renditions",
                column: "DocumentId");

            // Data step: each document's listing from its versions (Document.RefreshListing keeps it from
            // now on), and its published version from the newest snapshot. Renditions of the current
            // snapshot's versions are stored at the next start from its stored feed (PublishedFeed.ReloadAsync);
            // any other version is rendered at the first publish that includes it.
            migrationBuilder.Sql("""
                UPDATE "Documents" SET
                    "LatestNumber" = (SELECT v."Number" FROM "Versions" v WHERE v."DocumentId" = "Documents"."Id" ORDER BY v."Number" DESC LIMIT 1),
                    "LatestStatus" = (SELECT v."Status" FROM "Versions" v WHERE v."DocumentId" = "Documents"."Id" ORDER BY v."Number" DESC LIMIT 1),
                    "LatestTitle" = (SELECT v."Title" FROM "Versions" v WHERE v."DocumentId" = "Documents"."Id" ORDER BY v."Number" DESC LIMIT 1),
                    "LatestUpdatedAt" = (SELECT v."UpdatedAt" FROM "Versions" v WHERE v."DocumentId" = "Documents"."Id" ORDER BY v."Number" DESC LIMIT 1),
                    "LatestApprovedId" = (SELECT v."Id" FROM "Versions" v WHERE v."DocumentId" = "Documents"."Id" AND v."Status" = 'Approved' ORDER BY v."Number" DESC LIMIT 1),
                    "ListedReviewDue" = (SELECT v."ReviewDue" FROM "Versions" v WHERE v."DocumentId" = "Documents"."Id" AND v."Status" = 'Approved' ORDER BY v."Number" DESC LIMIT 1),
                    "PublishedVersionId" = (SELECT e."VersionId" FROM "SnapshotEntries" e WHERE e."DocumentId" = "Documents"."Id"
                        AND e."SnapshotId" = (SELECT MAX(s."Id") FROM "Snapshots" s));
                UPDATE "Snapshots" SET "DocumentCount" = (SELECT COUNT(*) FROM "SnapshotEntries" e WHERE e."SnapshotId" = "Snapshots"."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Renditions");

            migrationBuilder.DropIndex(
                name: "IX_SnapshotEntries_DocumentId",
                table: "SnapshotEntries");

            migrationBuilder.DropIndex(
                name: "IX_Documents_LatestApprovedId",
                table: "Documents");

            migrationBuilder.DropIndex(
                name: "IX_Documents_LatestStatus",
                table: "Documents");

            migrationBuilder.DropIndex(
                name: "IX_Documents_LatestTitle_Id",
                table: "Documents");

            migrationBuilder.DropIndex(
                name: "IX_Documents_LatestUpdatedAt",
                table: "Documents");

            migrationBuilder.DropIndex(
                name: "IX_Documents_ListedReviewDue",
                table: "Documents");

            migrationBuilder.DropIndex(
                name: "IX_Documents_PublishedVersionId",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "DocumentCount",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "LatestApprovedId",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "LatestNumber",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "LatestStatus",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "LatestTitle",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "LatestUpdatedAt",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ListedReviewDue",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "PublishedVersionId",
                table: "Documents");

            migrationBuilder.AlterColumn<byte[]>(
                name: "FeedJson",
                table: "Snapshots",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldNullable: true);
        }
    }
}
