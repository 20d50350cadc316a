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
            // Hand-written: the title's and the summary's words each as a stored tsvector with a GIN index of its own
            // (issue 28, a common word): a tier is read newest first through the primary key, checking a short stored
            // vector per row (to_tsvector per row cost more than the rest of the search), or through its GIN index
            // when few rows match. Like "Ranked", not in the model: the database computes them.
            migrationBuilder.Sql("""ALTER TABLE "DocumentSearch" ADD COLUMN "TitleWords" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "Title")) STORED;""");
            migrationBuilder.Sql("""ALTER TABLE "DocumentSearch" ADD COLUMN "SummaryWords" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "Summary")) STORED;""");
            migrationBuilder.Sql("CREATE INDEX \"IX_DocumentSearch_TitleWords\" ON \"DocumentSearch\" USING gin (\"TitleWords\");");
            migrationBuilder.Sql("CREATE INDEX \"IX_DocumentSearch_SummaryWords\" ON \"DocumentSearch\" USING gin (\"SummaryWords\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the two columns and their indexes.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_DocumentSearch_TitleWords\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_DocumentSearch_SummaryWords\";");
            migrationBuilder.Sql("ALTER TABLE \"DocumentSearch\" DROP COLUMN IF EXISTS \"TitleWords\";");
            migrationBuilder.Sql("ALTER TABLE \"DocumentSearch\" DROP COLUMN IF EXISTS \"SummaryWords\";");
        }
    }
}
