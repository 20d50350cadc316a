using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentPortal.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CommonWordSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the title's and the summary's words each with a GIN index of its own (issue 28, a common
            // word): the title and summary tiers are found without reading the "Ranked" vector of every match.
            migrationBuilder.Sql("CREATE INDEX \"IX_DocumentSearch_TitleWords\" ON \"DocumentSearch\" USING gin (to_tsvector('english'::regconfig, \"Title\"));");
            migrationBuilder.Sql("CREATE INDEX \"IX_DocumentSearch_SummaryWords\" ON \"DocumentSearch\" USING gin (to_tsvector('english'::regconfig, \"Summary\"));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the two indexes.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_DocumentSearch_TitleWords\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_DocumentSearch_SummaryWords\";");
        }
    }
}
