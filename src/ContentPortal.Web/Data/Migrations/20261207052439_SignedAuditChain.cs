using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignedAuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AuditHeadBackfilled",
                table: "Snapshots",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "AuditHeadKeyId",
                table: "Snapshots",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuditHeadSignature",
                table: "Snapshots",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AuditHeadSignedAt",
                table: "Snapshots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "AuditCheckpoints",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "AuditCheckpoints",
                type: "TEXT",
                maxLength: 80,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PreviousSequence",
                table: "AuditCheckpoints",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Signature",
                table: "AuditCheckpoints",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditSigningKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    X = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Y = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PreviousKeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Endorsement = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    PreviousLost = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSigningKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditSigningKeys_KeyId",
                table: "AuditSigningKeys",
                column: "KeyId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditSigningKeys");

            migrationBuilder.DropColumn(
                name: "AuditHeadBackfilled",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "AuditHeadKeyId",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "AuditHeadSignature",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "AuditHeadSignedAt",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "AuditCheckpoints");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "AuditCheckpoints");

            migrationBuilder.DropColumn(
                name: "PreviousSequence",
                table: "AuditCheckpoints");

            migrationBuilder.DropColumn(
                name: "Signature",
                table: "AuditCheckpoints");
        }
    }
}
