using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Security;

/// <summary>
/// Issue 24, scenario 7: the Data Protection key ring in the database is encrypted with a certificate, so a copy
/// of the database cannot mint a login cookie; outside Development the portal refuses to start without one.
/// </summary>
public sealed class KeyRingTests : IDisposable
{
    private const string CertificatePassword = "test-certificate-password";
    private readonly string certificatePath = Path.Combine(Path.GetTempPath(), $"contentportal-keyring-{Guid.NewGuid():N}.pfx");

    public KeyRingTests()
    {
        // Made here, never committed: a self-signed RSA certificate with its private key, as openssl would make.
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ContentPortal key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(certificatePath, certificate.Export(X509ContentType.Pfx, CertificatePassword));
    }

    [Fact]
    public async Task Scenario_7_the_key_ring_is_encrypted_and_a_copy_of_the_database_cannot_mint_a_cookie()
    {
        var database = TestDatabase.CreateTemporary();
        try
        {
            string cookie;
            await using (var portal = new PortalFactory(new PortalOptions { Database = database, Environment = "Production", Settings = Protected() }))
            {
                using var client = portal.NewClient();
                using (var scope = portal.Services.CreateScope())
                {
                    // Production has no demo accounts: make one to log in with.
                    var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
                    var user = new PortalUser { UserName = Editor, Email = Editor, EmailConfirmed = true, DisplayName = "Erin Editor" };
                    Assert.True((await users.CreateAsync(user, Password)).Succeeded);
                    Assert.True((await users.AddToRoleAsync(user, "Editor")).Succeeded);
                }

                var login = await client.TryLoginAsync(Editor, Password);
                Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
                cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ContentPortal.Auth=", StringComparison.Ordinal)).Split(';')[0];
                Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(portal, cookie));

                var keys = await portal.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
                Assert.NotEmpty(keys);
                Assert.All(keys, xml =>
                {
                    Assert.Contains("<encryptedSecret", xml);
                    Assert.DoesNotContain("unencrypted form", xml);
                    Assert.DoesNotContain("<masterKey", xml);
                });
            }

            // The same database without the certificate (a stolen copy): the cookie is worth nothing.
            await using var copy = new PortalFactory(new PortalOptions { Database = database, Environment = "Production" });
            Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(copy, cookie));

            // With the certificate, a restart reads its key ring and the session goes on.
            await using var restarted = new PortalFactory(new PortalOptions { Database = database, Environment = "Production", Settings = Protected() });
            Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(restarted, cookie));
        }
        finally
        {
            database.Delete();
        }
    }

    [Fact]
    public async Task Outside_development_the_portal_refuses_to_start_without_a_certificate_and_names_the_setting()
    {
        var (exitCode, errors) = await RunPortalAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"contentportal-refused-{Guid.NewGuid():N}.db")}",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("DataProtection:CertificatePath", errors);
        Assert.Contains("DataProtection:AllowUnprotectedKeys=true", errors);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_is_refused_by_name()
    {
        var (exitCode, errors) = await RunPortalAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataProtection__CertificatePath"] = certificatePath,
            ["DataProtection__CertificatePassword"] = "not-its-password",
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"contentportal-refused-{Guid.NewGuid():N}.db")}",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains($"DataProtection:CertificatePath ({certificatePath}) could not be read", errors);
    }

    public void Dispose() => File.Delete(certificatePath);

    private Dictionary<string, string> Protected() => new()
    {
        ["DataProtection:AllowUnprotectedKeys"] = "false",
        ["DataProtection:CertificatePath"] = certificatePath,
        ["DataProtection:CertificatePassword"] = CertificatePassword,
    };

    private static async Task<HttpStatusCode> WithCookieAsync(PortalFactory portal, string cookie)
    {
        using var http = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Content");
        request.Headers.Add("Cookie", cookie);
        return (await http.SendAsync(request)).StatusCode;
    }

    /// <summary>The built portal as an operator starts it, stopped before it gets far: its exit code and what it wrote to stderr.</summary>
    internal static async Task<(int ExitCode, string Errors)> RunPortalAsync(Dictionary<string, string> environment)
    {
        var web = Path.Combine(RepositoryRoot(), "src", "ContentPortal.Web");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "bin", configuration, "net10.0", "ContentPortal.Web.dll")])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await errors);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContentPortal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ContentPortal.sln not found above the test output.");
    }
}
