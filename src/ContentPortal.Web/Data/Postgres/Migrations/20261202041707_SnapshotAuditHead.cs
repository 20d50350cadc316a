using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SnapshotAuditHead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuditHeadHash",
                table: "Snapshots",
                type: "character varying(80)",
                maxLength: 80,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AuditHeadSequence",
                table: "Snapshots",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuditHeadHash",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "AuditHeadSequence",
                table: "Snapshots");
        }
    }
}
