using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using ContentPortal.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Account;

/// <summary>
/// Issue 24, scenario 5: failed logins are throttled per client address and per account (429 with Retry-After),
/// nobody can lock someone else out, and no answer tells an account from a non-account. The client address
/// is the one the proxy forwards (X-Forwarded-For).
/// </summary>
public sealed class LoginThrottleTests
{
    [Fact]
    public async Task Scenario_5_guessing_from_one_address_never_locks_the_account_for_another_address()
    {
        await using var app = new PortalFactory();
        using var attacker = Client(app, "203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await attacker.TryLoginAsync(Reviewer, $"guess-{i}")).StatusCode);
        }

        // That address is held back for that account, the right password included…
        var throttled = await attacker.TryLoginAsync(Reviewer, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single()) > 0);
        Assert.Contains("Too many failed logins", (await HtmlPage.ReadAsync(throttled)).Summary);

        // …but the reviewer, elsewhere, logs in at once: the account was never locked.
        using var reviewer = Client(app, "198.51.100.20");
        await reviewer.LoginAsync(Reviewer);
        var account = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == Reviewer));
        Assert.Null(account.LockoutEnd);
    }

    [Fact]
    public async Task Scenario_5_thirty_rapid_failures_from_one_address_are_throttled_across_accounts()
    {
        await using var app = new PortalFactory();
        using var sprayer = Client(app, "203.0.113.8");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await sprayer.TryLoginAsync($"person{i}@contentportal.test", "Spring2026!")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 20), statuses.Take(20));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10), statuses.Skip(20));

    }

    [Fact]
    public async Task Scenario_5_repeated_failures_are_one_audit_row_per_tally_not_one_each()
    {
        await using var app = new PortalFactory(new PortalOptions { Settings = new Dictionary<string, string> { ["Login:FailuresPerAccount"] = "20" } });
        using var guesser = Client(app, "203.0.113.9");
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await guesser.TryLoginAsync("nobody@contentportal.test", $"guess-{i}")).StatusCode);
        }

        var rows = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking()
            .Where(e => e.Action == AuditActions.LoginFailed && e.Subject == "email:nobody@contentportal.test").OrderBy(e => e.Sequence).Select(e => e.Details).ToListAsync());
        Assert.Equal(["Failed login from 203.0.113.9: wrong email or password", "10 failed logins from 203.0.113.9 in the last window: wrong email or password"], rows);
    }

    [Fact]
    public async Task Scenario_5_accounts_non_accounts_locked_and_disabled_accounts_answer_alike()
    {
        await using var app = new PortalFactory();
        await app.WithDbAsync(async db =>
        {
            var locked = await db.Users.SingleAsync(u => u.Email == Reviewer2);
            locked.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15); // e.g. wrong passwords at the signing step
            (await db.Users.SingleAsync(u => u.Email == Editor2)).IsDisabled = true;
            await db.SaveChangesAsync();
        });

        var answers = new List<(HttpStatusCode, string, string)>();
        var address = 10;
        foreach (var email in new[] { Editor, "nobody@contentportal.test", Reviewer2, Editor2 })
        {
            using var client = Client(app, $"192.0.2.{address++}");
            var response = await client.TryLoginAsync(email, "a-wrong-password");
            var page = await HtmlPage.ReadAsync(response);
            answers.Add((response.StatusCode, page.Summary, page.Document.QuerySelector("main")?.TextContent.Trim() ?? ""));
        }

        Assert.Single(answers.Distinct());
        Assert.Equal((HttpStatusCode.OK, "The email or password is not right."), (answers[0].Item1, answers[0].Item2));
    }

    [Fact]
    public async Task Scenario_5_a_locked_account_takes_as_long_to_answer_as_any_other()
    {
        await using var app = new PortalFactory();
        await app.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == Reviewer2)).LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            await db.SaveChangesAsync();
        });
        var address = 1;

        // Median of a few: a shared machine is noisy; a locked account answering without a hash is 20x faster.
        async Task<double> MedianAsync(string email)
        {
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                using var client = Client(app, $"198.51.100.{address++}");
                var login = await client.GetPageAsync("/Account/Login");
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await client.PostFormAsync("/Account/Login", [new("Input.Email", email), new("Input.Password", "wrong-" + i)], login.Token);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            return times.Order().ElementAt(2);
        }

        await MedianAsync(Reviewer); // warm-up
        var open = await MedianAsync(Reviewer);
        var locked = await MedianAsync(Reviewer2);
        var none = await MedianAsync("nobody@contentportal.test");

        Assert.True(locked > open * 0.4, $"Locked {locked:0} ms vs open {open:0} ms.");
        Assert.True(none > open * 0.4, $"No account {none:0} ms vs open {open:0} ms.");
    }

    [Fact]
    public async Task Scenario_5_an_admin_password_reset_clears_a_lockout_and_the_throttle()
    {
        await using var app = new PortalFactory();
        using var holder = Client(app, "203.0.113.50");
        for (var i = 0; i < 5; i++)
        {
            await holder.TryLoginAsync(Editor, $"forgot-{i}");
        }

        await app.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == Editor)).LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await holder.TryLoginAsync(Editor, Password)).StatusCode);

        using var admin = await app.LoginAsync(PortalFactory.Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.EditUserAsync(app, Editor, "ResetPassword")).StatusCode); // an Editor: no second admin needed
        var oneTime = AccountSteps.OneTimePasswordOn(await admin.GetPageAsync("/Admin/Users"));

        var login = await holder.TryLoginAsync(Editor, oneTime!);
        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
    }

    /// <summary>A client whose requests come through the proxy from <paramref name="address"/>.</summary>
    private static PortalClient Client(PortalFactory app, string address)
    {
        var client = app.NewClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
