using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PublishPending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_PublishPending",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "PublishPending",
                table: "Documents");
        }
    }
}
