using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class OverduePolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions");

            migrationBuilder.AddColumn<bool>(
                name: "ReviewOverdue",
                table: "SnapshotEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ReviewOverdue",
                table: "Renditions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "PublishedReviewOverdue",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions",
                columns: new[] { "VersionId", "PeriodicReviews", "ReviewOverdue" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the flagged renditions go first (without the flag they would share a key with the
            // unflagged ones). Lossy: snapshots that served a flagged item no longer have its bytes.
            migrationBuilder.Sql("""DELETE FROM "Renditions" WHERE "ReviewOverdue";""");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions");

            migrationBuilder.DropColumn(
                name: "ReviewOverdue",
                table: "SnapshotEntries");

            migrationBuilder.DropColumn(
                name: "ReviewOverdue",
                table: "Renditions");

            migrationBuilder.DropColumn(
                name: "PublishedReviewOverdue",
                table: "Documents");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Renditions",
                table: "Renditions",
                columns: new[] { "VersionId", "PeriodicReviews" });
        }
    }
}
