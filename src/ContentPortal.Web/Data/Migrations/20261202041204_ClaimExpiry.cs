using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClaimExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimExpiresAt",
                table: "Versions",
                type: "TEXT",
                nullable: true);

            // Claims made before claims could lapse get the default lifetime (Workflow:ClaimDays = 3), so none blocks forever.
            migrationBuilder.Sql("""UPDATE "Versions" SET "ClaimExpiresAt" = strftime('%Y-%m-%d %H:%M:%f', "ClaimedAt", '+3 days') WHERE "ClaimedAt" IS NOT NULL;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimExpiresAt",
                table: "Versions");
        }
    }
}
