using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Npgsql;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// The database server restarts or is unreachable while the portal runs: people get a clear 503 saying to
/// try again (problem+json for APIs), the feed keeps serving from memory, and the portal recovers by itself.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class DatabaseOutageTests
{
    [PostgresFact]
    public async Task Connections_cut_by_a_server_restart_give_503_at_most_then_the_portal_recovers_without_a_restart()
    {
        var database = PostgresTestDatabase.Create();
        await using var portal = new PortalFactory(new PortalOptions { Database = database });
        using var editor = await portal.LoginAsync(PortalFactory.Editor);
        using var consumer = portal.CreateClient();

        // What a server restart does to every pooled connection of the portal.
        await using (var admin = new NpgsqlConnection(database.Server))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", admin);
            terminate.Parameters.AddWithValue("name", database.Name);
            await terminate.ExecuteNonQueryAsync();
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await editor.Http.GetAsync("/Content");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.True(response.Headers.Contains("Retry-After"));
                Assert.Contains("try again", await response.Content.ReadAsStringAsync());
            }

            Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync("/api/v1/feed")).StatusCode);
        }

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"Got {s}: {string.Join(", ", statuses)}"));
        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        database.Delete();
    }

    [PostgresFact]
    public async Task An_unreachable_database_is_a_503_problem_for_apis_and_a_page_for_people_while_the_feed_stays_up()
    {
        var database = PostgresTestDatabase.Create();
        await using var portal = new PortalFactory(new PortalOptions { Database = database });
        using var editor = await portal.LoginAsync(PortalFactory.Editor);
        using var consumer = portal.CreateClient();

        // The database disappears (dropped: every connection closed, nothing to reconnect to).
        database.Delete();

        var page = await editor.Http.GetAsync("/Content");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("database is not reachable", await page.Content.ReadAsStringAsync());
        var api = await consumer.GetAsync("/api/v1/snapshots/999"); // not in memory: asks the database
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync("/api/v1/feed")).StatusCode);
    }
}
