using System.Net;
using System.Text.RegularExpressions;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Workspace;

/// <summary>
/// The app in Development (demo users, seed imported as snapshot 1) on its own temporary SQLite file.
/// Named apart from main's PortalFactory so both can live in one project after the merge.
/// </summary>
public sealed partial class WorkspaceFactory : WebApplicationFactory<Program>
{
    public const string Password = "Portal-demo-2026!";
    public const string Editor = "editor@contentportal.test";
    public const string Editor2 = "editor2@contentportal.test";
    public const string Reviewer = "reviewer@contentportal.test";

    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"contentportal-workspace-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={databasePath}");
        builder.UseSetting("DemoUsers:Password", Password);
    }

    /// <summary>A client with its own cookies, logged in as <paramref name="email"/>; redirects are not followed.</summary>
    public async Task<HttpClient> LogInAsync(string email)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/Account/Login");
        using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["__RequestVerificationToken"] = Token(login),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public Task<Document> DocumentAsync(string slug) =>
        WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Slug == slug));

    /// <summary>The antiforgery token of the first form on the page.</summary>
    public static string Token(string html) =>
        WebUtility.HtmlDecode(TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page."));

    /// <summary>The hidden Input.Revision the editor form carries.</summary>
    public static int Revision(string html) =>
        RevisionPattern().Match(html) is { Success: true } m ? int.Parse(m.Groups[1].Value) : throw new InvalidOperationException("No Input.Revision on the page.");

    public static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token)));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(databasePath + suffix);
            }
            catch (IOException)
            {
                // A leftover temp file must not fail the run.
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("id=\"Input_Revision\" name=\"Input.Revision\" value=\"(\\d+)\"")]
    private static partial Regex RevisionPattern();
}
