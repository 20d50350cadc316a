using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClinicalQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Section",
                table: "ArticleReferences",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReadabilityReason",
                table: "Approvals",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidenceChecks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CheckedById = table.Column<string>(type: "TEXT", nullable: false),
                    CheckedByName = table.Column<string>(type: "TEXT", nullable: false),
                    Rechecked = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    VersionId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidenceChecks_Versions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "Versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceChecks_VersionId",
                table: "EvidenceChecks",
                column: "VersionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvidenceChecks");

            migrationBuilder.DropColumn(
                name: "Section",
                table: "ArticleReferences");

            migrationBuilder.DropColumn(
                name: "ReadabilityReason",
                table: "Approvals");
        }
    }
}
