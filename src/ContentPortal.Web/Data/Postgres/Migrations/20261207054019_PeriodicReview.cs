using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PeriodicReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions");

            migrationBuilder.AddColumn<int>(
                name: "PeriodicReviews",
                table: "Versions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeriodicReviews",
                table: "SnapshotEntries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeriodicReviews",
                table: "Renditions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ListedPeriodicReviews",
                table: "Documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PublishedPeriodicReviews",
                table: "Documents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // A generated column's expression cannot be altered in place: drop it (and its index) and add it again.
            migrationBuilder.DropIndex(
                name: "IX_Documents_PublishPending",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "PublishPending",
                table: "Documents");

            migrationBuilder.AddColumn<bool>(
                name: "PublishPending",
                table: "Documents",
                type: "boolean",
                nullable: false,
                computedColumnSql: "(\"RetiredAt\" IS NULL AND \"LatestApprovedId\" IS NOT NULL AND (\"PublishedVersionId\" IS NULL OR \"PublishedVersionId\" <> \"LatestApprovedId\" OR \"PublishedPeriodicReviews\" <> \"ListedPeriodicReviews\")) OR (\"PublishedVersionId\" IS NOT NULL AND (\"RetiredAt\" IS NOT NULL OR \"LatestApprovedId\" IS NULL))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_Documents_PublishPending",
                table: "Documents",
                column: "PublishPending",
                filter: "\"PublishPending\"");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions",
                columns: new[] { "VersionId", "PeriodicReviews" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A generated column's expression cannot be altered in place: drop it (and its index) and add it again.
            migrationBuilder.DropIndex(
                name: "IX_Documents_PublishPending",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "PublishPending",
                table: "Documents");

            migrationBuilder.AddColumn<bool>(
                name: "PublishPending",
                table: "Documents",
                type: "boolean",
                nullable: false,
                computedColumnSql: "(\"RetiredAt\" IS NULL AND \"LatestApprovedId\" IS NOT NULL AND (\"PublishedVersionId\" IS NULL OR \"PublishedVersionId\" <> \"LatestApprovedId\")) OR (\"PublishedVersionId\" IS NOT NULL AND (\"RetiredAt\" IS NOT NULL OR \"LatestApprovedId\" IS NULL))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_Documents_PublishPending",
                table: "Documents",
                column: "PublishPending",
                filter: "\"PublishPending\"");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions");

            migrationBuilder.DropColumn(
                name: "PeriodicReviews",
                table: "Versions");

            migrationBuilder.DropColumn(
                name: "PeriodicReviews",
                table: "SnapshotEntries");

            migrationBuilder.DropColumn(
                name: "PeriodicReviews",
                table: "Renditions");

            migrationBuilder.DropColumn(
                name: "ListedPeriodicReviews",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "PublishedPeriodicReviews",
                table: "Documents");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions",
                column: "VersionId");
        }
    }
}
