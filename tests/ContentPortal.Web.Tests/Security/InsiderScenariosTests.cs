using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Security;

/// <summary>
/// Issue 24, scenarios 1–3: one insider alone cannot get clinical advice published as reviewed. Each test
/// tries what an insider would, over HTTP, and shows the second person it now takes.
/// </summary>
public sealed class InsiderScenariosTests
{
    private const string SecondAdmin = "admin2@contentportal.test";
    private const string Harm = "Ignore chest pain. Do not call a doctor.";

    [Fact]
    public async Task Scenario_1_an_admin_cannot_sign_the_work_of_an_editor_account_they_created()
    {
        await using var app = new PortalFactory();
        using var admin = await app.LoginAsync(Admin);
        var oneTime = await admin.CreateUserAsync("Pete Puppet", "puppet@example.org", Roles.Editor);
        using var puppet = await app.FirstLoginAsync("puppet@example.org", oneTime);
        var version = await WriteAndSubmitAsync(app, puppet, "chest-pain-puppet");

        var refused = await admin.DecideAsync(version.Id, "Approve", await admin.SignFormAsync(version.Id));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("You created the account of Pete Puppet, who edited this version, so you cannot sign it", (await HtmlPage.ReadAsync(refused)).Summary);
        await AssertNotSignedAsync(app, version.Id);
    }

    [Fact]
    public async Task Scenario_2_resetting_a_reviewers_password_waits_for_a_second_admin_and_the_account_cannot_sign_the_resetters_draft()
    {
        await using var app = new PortalFactory();
        using var admin = await app.LoginAsync(Admin);

        var asked = await admin.EditUserAsync(app, Reviewer2, "ResetPassword");

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var list = await admin.GetPageAsync("/Admin/Users");
        Assert.Null(AccountSteps.OneTimePasswordOn(list)); // nothing to log in with
        Assert.Contains("waits for a second administrator", list.Text);
        Assert.Contains("Reset the password of Dr Ravi Second-Reviewer", list.Text);
        (await app.LoginAsync(Reviewer2)).Dispose(); // the password did not change

        // The resetter cannot approve their own request.
        var own = await admin.DecideChangeAsync(app, Reviewer2, "Approve");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("you cannot approve it: a second administrator must", (await HtmlPage.ReadAsync(own)).Summary);

        // The admin's own draft; a second admin approves the reset and passes the password on.
        var version = await WriteAndSubmitAsync(app, admin, "chest-pain-admin");
        using var second = await app.LoginAsync(SecondAdmin);
        var approved = await second.DecideChangeAsync(app, Reviewer2, "Approve");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var oneTime = AccountSteps.OneTimePasswordOn(await second.GetPageAsync("/Admin/Users"));
        Assert.NotNull(oneTime);
        Assert.Equal(HttpStatusCode.OK, (await app.NewClient().TryLoginAsync(Reviewer2, Password)).StatusCode); // old password gone

        using var asReviewer = await app.FirstLoginAsync(Reviewer2, oneTime);
        var refused = await asReviewer.DecideAsync(version.Id, "Approve", await asReviewer.SignFormAsync(version.Id, AccountSteps.ChosenPassword));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Ada Admin reset your password and also edited this version", (await HtmlPage.ReadAsync(refused)).Summary);
        await AssertNotSignedAsync(app, version.Id);
    }

    [Fact]
    public async Task Scenario_3_an_admin_only_account_cannot_grant_itself_signing_power_nor_publish_a_puppets_advice()
    {
        await using var app = new PortalFactory();
        using var second = await app.LoginAsync(SecondAdmin);

        var asked = await second.EditUserAsync(app, SecondAdmin, "Roles", Roles.Admin, Roles.Reviewer, Roles.Publisher);

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal([Roles.Admin], await app.RolesOfAsync(SecondAdmin)); // not in AspNetUserRoles until approved
        using (var again = await app.LoginAsync(SecondAdmin))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await again.Http.GetAsync("/Review")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await again.Http.GetAsync("/Publish")).StatusCode);
        }

        var list = await second.GetPageAsync("/Admin/Users");
        Assert.Contains("Grant Publisher, Reviewer to Alex Second-Admin", list.Text);
        Assert.Empty(list.Document.QuerySelectorAll(".pending-changes form[action*='handler=Approve']")); // not for their own request
        var own = await second.DecideChangeAsync(app, SecondAdmin, "Approve");
        Assert.Contains("you cannot approve it", (await HtmlPage.ReadAsync(own)).Summary);
        Assert.Equal([Roles.Admin], await app.RolesOfAsync(SecondAdmin));

        // Both audited: the request and, once a different admin approves, the approval.
        using var admin = await app.LoginAsync(Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.DecideChangeAsync(app, SecondAdmin, "Approve")).StatusCode);
        Assert.Equal([Roles.Admin, Roles.Publisher, Roles.Reviewer], await app.RolesOfAsync(SecondAdmin));
        var audit = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Action.StartsWith("user.change")).OrderBy(e => e.Sequence).Select(e => e.Action + " by " + e.ActorName).ToListAsync());
        Assert.Equal(["user.change-requested by Alex Second-Admin", "user.change-approved by Ada Admin"], audit);

        // With the power granted, a puppet editor's advice still takes someone else's signature.
        using var powered = await app.LoginAsync(SecondAdmin);
        var oneTime = await powered.CreateUserAsync("Pete Puppet", "puppet@example.org", Roles.Editor);
        using var puppet = await app.FirstLoginAsync("puppet@example.org", oneTime);
        var version = await WriteAndSubmitAsync(app, puppet, "chest-pain-puppet");
        var refused = await powered.DecideAsync(version.Id, "Approve", await powered.SignFormAsync(version.Id));

        Assert.Contains("You created the account of Pete Puppet", (await HtmlPage.ReadAsync(refused)).Summary);
        await AssertNotSignedAsync(app, version.Id);
        Assert.NotEqual(HttpStatusCode.Redirect, (await powered.PublishAsync("Puppet advice")).StatusCode);
        Assert.DoesNotContain("Do not call a doctor", await app.CreateClient().GetStringAsync("/api/v1/feed"));
    }

    [Fact]
    public async Task A_new_account_asked_for_with_reviewer_gets_it_only_when_a_second_admin_approves()
    {
        await using var app = new PortalFactory();
        using var admin = await app.LoginAsync(Admin);
        await admin.CreateUserAsync("Dr Priya Shah", "priya@example.org", Roles.Editor, Roles.Reviewer);

        Assert.Equal([Roles.Editor], await app.RolesOfAsync("priya@example.org"));
        using var second = await app.LoginAsync(SecondAdmin);
        var cancelled = await second.DecideChangeAsync(app, "priya@example.org", "Cancel");
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal([Roles.Editor], await app.RolesOfAsync("priya@example.org"));
        Assert.False(await app.WithDbAsync(db => db.PendingAccountChanges.AnyAsync()));
    }

    [Fact]
    public async Task With_one_administrator_the_users_page_says_a_second_must_approve_and_how_to_make_one()
    {
        await using var app = new PortalFactory();
        using var admin = await app.LoginAsync(Admin);
        Assert.DoesNotContain("There is only one administrator", (await admin.GetPageAsync("/Admin/Users")).Text);

        await app.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == SecondAdmin)).IsDisabled = true;
            await db.SaveChangesAsync();
        });
        var list = await admin.GetPageAsync("/Admin/Users");

        Assert.Contains("There is only one administrator, so nobody can approve these changes. A second administrator must approve", list.Text);
        Assert.Contains("create-admin", list.Text);
    }

    private static async Task<DocumentVersion> WriteAndSubmitAsync(PortalFactory app, PortalClient editor, string slug)
    {
        var id = await editor.CreateDocumentAsync("Chest pain at rest", slug);
        await editor.SubmitAsync(id, "New advice.", form => form.Set("Input.Body", Harm));
        var version = (await app.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.InReview, version.Status);
        return version;
    }

    private static async Task AssertNotSignedAsync(PortalFactory app, Guid versionId)
    {
        var version = await app.WithDbAsync(db => db.Versions.AsNoTracking().SingleAsync(v => v.Id == versionId));
        Assert.Equal(VersionStatus.InReview, version.Status);
        Assert.Empty(version.Approvals);
    }
}
