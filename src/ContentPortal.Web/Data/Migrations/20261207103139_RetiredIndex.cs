using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetiredIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Documents_RetiredAt",
                table: "Documents",
                column: "RetiredAt",
                filter: "\"RetiredAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_RetiredAt",
                table: "Documents");
        }
    }
}
