namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>
/// A test that needs the PostgreSQL server tests/run starts (CONTENTPORTAL_TEST_POSTGRES). Without it the
/// test fails and says so (a CI run without a server must not look green); with
/// CONTENTPORTAL_SKIP_POSTGRES=1 it is skipped, and counted as skipped. Put [Trait("Category", "PostgreSQL")]
/// on the class: tests/run's second, PostgreSQL pass leaves these out (they ran in the first).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CONTENTPORTAL_SKIP_POSTGRES") == "1")
        {
            Skip = "CONTENTPORTAL_SKIP_POSTGRES=1: this run has no PostgreSQL server.";
        }
    }
}

/// <summary>A theory that needs PostgreSQL: skipped, with the reason, when the run has none.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("CONTENTPORTAL_SKIP_POSTGRES") == "1")
        {
            Skip = "CONTENTPORTAL_SKIP_POSTGRES=1: this run has no PostgreSQL server.";
        }
    }
}
