using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>Compare (Pages/Content/Compare), inline and side by side, and the preview as published.</summary>
public sealed class CompareTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Compare_shows_script_in_content_as_text()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        await factory.WithDbAsync(async db =>
        {
            var tracked = db.Documents.Single(d => d.Id == document.Id);
            var editor = new Actor("xss-editor", "Xena Editor", new HashSet<string> { Roles.Editor });
            var draft = tracked.OpenDraft(editor, DateTime.UtcNow, out _);
            tracked.Edit(draft, draft.CurrentContent() with { BodyMarkdown = draft.BodyMarkdown + "\n<script>alert('x')</script>" }, null, draft.Revision, editor, DateTime.UtcNow);
            return await db.SaveChangesAsync();
        });
        var client = (await factory.LoginAsync(Reviewer)).Http;

        var inline = await client.GetStringAsync($"/Content/Compare/{document.Id}?from=1&to=2");
        var side = await client.GetStringAsync($"/Content/Compare/{document.Id}?from=1&to=2&view=side");
        var preview = await client.GetStringAsync($"/Content/Preview/{document.Id}");

        foreach (var html in new[] { inline, side, preview })
        {
            Assert.DoesNotContain("<script>alert", html);
            Assert.Contains("&lt;script&gt;", html);
        }

        Assert.Contains("What changes against the published version", preview);
    }
}
