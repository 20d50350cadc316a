using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccountAdministration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccountAdministrations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AdministratorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AdministratorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AccountName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountAdministrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PendingAccountChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AccountName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingAccountChanges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccountAdministrations_AccountId",
                table: "AccountAdministrations",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountAdministrations_AdministratorId_AccountId",
                table: "AccountAdministrations",
                columns: new[] { "AdministratorId", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingAccountChanges_AccountId",
                table: "PendingAccountChanges",
                column: "AccountId");

            // Accounts set up before this migration: who created them and who last changed their roles still
            // may not sign each other's work (the time of those actions was not kept: the migration's time).
            migrationBuilder.Sql("""
                INSERT INTO "AccountAdministrations" ("AdministratorId", "AdministratorName", "AccountId", "AccountName", "Action", "At")
                SELECT "CreatedById", COALESCE("CreatedByName", 'An administrator'), "Id", "DisplayName", 'Created', strftime('%Y-%m-%d %H:%M:%S', 'now')
                FROM "AspNetUsers" WHERE "CreatedById" IS NOT NULL;
                INSERT INTO "AccountAdministrations" ("AdministratorId", "AdministratorName", "AccountId", "AccountName", "Action", "At")
                SELECT "RolesChangedById", COALESCE("RolesChangedByName", 'An administrator'), "Id", "DisplayName", 'ChangedRoles', strftime('%Y-%m-%d %H:%M:%S', 'now')
                FROM "AspNetUsers" WHERE "RolesChangedById" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountAdministrations");

            migrationBuilder.DropTable(
                name: "PendingAccountChanges");
        }
    }
}
