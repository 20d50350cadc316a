using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListedEvidenceDue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ListedEvidenceDue",
                table: "Documents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ListingRevision",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ListedEvidenceDue",
                table: "Documents",
                column: "ListedEvidenceDue");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ListingRevision",
                table: "Documents",
                column: "ListingRevision");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_ListedEvidenceDue",
                table: "Documents");

            migrationBuilder.DropIndex(
                name: "IX_Documents_ListingRevision",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ListedEvidenceDue",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ListingRevision",
                table: "Documents");
        }
    }
}
