using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeriodicReviews",
                table: "SnapshotEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeriodicReviews",
                table: "Renditions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ListedPeriodicReviews",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PublishedPeriodicReviews",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<bool>(
                name: "PublishPending",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                computedColumnSql: "(\"RetiredAt\" IS NULL AND \"LatestApprovedId\" IS NOT NULL AND (\"PublishedVersionId\" IS NULL OR \"PublishedVersionId\" <> \"LatestApprovedId\" OR \"PublishedPeriodicReviews\" <> \"ListedPeriodicReviews\")) OR (\"PublishedVersionId\" IS NOT NULL AND (\"RetiredAt\" IS NOT NULL OR \"LatestApprovedId\" IS NULL))",
                stored: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldComputedColumnSql: "(\"RetiredAt\" IS NULL AND \"LatestApprovedId\" IS NOT NULL AND (\"PublishedVersionId\" IS NULL OR \"PublishedVersionId\" <> \"LatestApprovedId\")) OR (\"PublishedVersionId\" IS NOT NULL AND (\"RetiredAt\" IS NOT NULL OR \"LatestApprovedId\" IS NULL))",
                oldStored: false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions",
                columns: new[] { "VersionId", "PeriodicReviews" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.AlterColumn<bool>(
                name: "PublishPending",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                computedColumnSql: "(\"RetiredAt\" IS NULL AND \"LatestApprovedId\" IS NOT NULL AND (\"PublishedVersionId\" IS NULL OR \"PublishedVersionId\" <> \"LatestApprovedId\")) OR (\"PublishedVersionId\" IS NOT NULL AND (\"RetiredAt\" IS NOT NULL OR \"LatestApprovedId\" IS NULL))",
                stored: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldComputedColumnSql: "(\"RetiredAt\" IS NULL AND \"LatestApprovedId\" IS NOT NULL AND (\"PublishedVersionId\" IS NULL OR \"PublishedVersionId\" <> \"LatestApprovedId\" OR \"PublishedPeriodicReviews\" <> \"ListedPeriodicReviews\")) OR (\"PublishedVersionId\" IS NOT NULL AND (\"RetiredAt\" IS NOT NULL OR \"LatestApprovedId\" IS NULL))",
                oldStored: false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions",
                column: "VersionId");
        }
    }
}
