using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Account;

/// <summary>Logging in (Pages/Account/Login): messages, return URLs (throttling: LoginThrottleTests).</summary>
public sealed class LoginTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_wrong_password_stays_on_the_login_page_with_a_plain_message()
    {
        using var client = factory.NewClient();
        var response = await client.TryLoginAsync(Editor2, "not-the-password-at-all");
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", page.Summary);
        Assert.Equal(Editor2, page.FieldValue("Input.Email"));
        Assert.Equal("", page.FieldValue("Input.Password"));
        Assert.NotNull(page.Document.QuerySelector("form[method=post] input[name=\"Input.Password\"]"));

        // Still not signed in.
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/Content")).StatusCode);
        var user = await factory.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == Editor2)));
        Assert.Equal(0, user.AccessFailedCount); // login failures are throttled (LoginThrottleTests), never counted toward a lockout
        Assert.Null(user.LockoutEnd);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_message()
    {
        using var client = factory.NewClient();
        var response = await client.TryLoginAsync("nobody@contentportal.test", Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", (await HtmlPage.ReadAsync(response)).Summary);
    }

    [Fact]
    public async Task Unknown_emails_take_as_long_as_known_ones_one_password_hash_each()
    {
        using var client = factory.NewClient();
        await client.TryLoginAsync(Editor2, "warm-up-wrong-password");
        await client.TryLoginAsync("warm-up@contentportal.test", "warm-up-wrong-password");
        // Median of a few tries each: a shared machine is noisy, a 20x gap is not noise.
        async Task<double> MedianAsync(string email)
        {
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await client.TryLoginAsync(email, "a-wrong-password-" + i);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            return times.Order().ElementAt(2);
        }

        var known = await MedianAsync(Reviewer2);
        var unknown = await MedianAsync("nobody-at-all@contentportal.test");
        Assert.True(unknown > known * 0.4, $"Unknown {unknown:0} ms vs known {known:0} ms.");
        // Reset the failures counted on the known account.
        await factory.WithDbAsync(async db =>
        {
            var user = db.Users.Single(u => u.Email == Reviewer2);
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task An_overlong_email_is_refused_at_the_field_and_never_reaches_the_audit_trail()
    {
        using var client = factory.NewClient();
        var email = new string('a', 1_000_000) + "@contentportal.test";
        var response = await client.TryLoginAsync(email, Password);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("An email address is at most 254 characters.", page.FieldError("Input.Email"));
        var longest = await factory.WithDbAsync(db => Task.FromResult(db.AuditTrail.Max(e => e.Subject.Length + e.Details.Length + e.ActorName.Length)));
        Assert.True(longest < 10_000, $"An audit entry holds {longest} characters.");
    }

    [Theory]
    [InlineData("/Review", "/Review")]
    [InlineData("https://evil.example/phish", "/")]
    [InlineData("//evil.example/phish", "/")]
    public async Task Login_returns_to_a_local_return_url_only(string returnUrl, string expected)
    {
        using var client = factory.NewClient();
        var login = await client.GetPageAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var form = login.Form("form[method=post]").Set("Input.Email", Reviewer).Set("Input.Password", Password);
        Assert.Equal(returnUrl, form.Get("ReturnUrl"));

        var response = await client.PostFormAsync("/Account/Login", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }
}
