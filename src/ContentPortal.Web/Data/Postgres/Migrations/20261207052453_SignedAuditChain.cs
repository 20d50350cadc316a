using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "AuditHeadKeyId",
                table: "Snapshots",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuditHeadSignature",
                table: "Snapshots",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AuditHeadSignedAt",
                table: "Snapshots",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "AuditCheckpoints",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "AuditCheckpoints",
                type: "character varying(80)",
                maxLength: 80,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PreviousSequence",
                table: "AuditCheckpoints",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Signature",
                table: "AuditCheckpoints",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditSigningKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    X = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Y = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PreviousKeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Endorsement = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    PreviousLost = table.Column<bool>(type: "boolean", nullable: false)
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
