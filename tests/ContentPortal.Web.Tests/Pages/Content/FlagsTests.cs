using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>The red-flag rows (Pages/Content/Flags): Add and Remove re-render the editor form from the posted rows.</summary>
public sealed class FlagsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Red_flags_can_be_added_and_removed_and_an_empty_row_is_refused_per_field()
    {
        var list = await factory.DocumentAsync("lower-back-pain-when-to-see-a-doctor");
        var flags = Assert.Single(list.Versions).Flags.Count;
        using var editor = await factory.LoginAsync(Editor);
        var edit = await editor.OpenDraftAsync(list.Id);
        Assert.Equal(flags, edit.Document.QuerySelectorAll("li.flag-row").Length);

        var added = await HtmlPage.ReadAsync(await editor.PostFormAsync(Steps.FlagsUrl(list.Id, "AddFlag"), edit.Form("#draft-form"), htmx: true));
        Assert.Equal(flags + 1, added.Document.QuerySelectorAll("li.flag-row").Length);
        Assert.Equal("urgent", added.FieldValue($"Input.Flags[{flags}].Urgency"));

        // Saving the empty new row: refused next to its fields, nothing stored.
        var refused = await HtmlPage.ReadAsync(await editor.SaveAsync(list.Id, added.Form("#draft-form")));
        Assert.Equal("Enter the symptom.", refused.FieldError($"Input.Flags[{flags}].Symptom"));
        Assert.Equal("Enter the advice for this symptom.", refused.FieldError($"Input.Flags[{flags}].Advice"));

        // Remove the second row with its own Remove button (plain post: the button's name and value), then save.
        var removeButton = refused.Document.QuerySelectorAll("li.flag-row")[1].QuerySelector("button[formaction*=\"handler=RemoveFlag\"]")!;
        var removeForm = refused.Form("#draft-form").Set(removeButton.GetAttribute("name")!, removeButton.GetAttribute("value")!);
        Assert.Equal("1", removeButton.GetAttribute("value"));
        var removed = await HtmlPage.ReadAsync(await editor.PostFormAsync(Steps.FlagsUrl(list.Id, "RemoveFlag"), removeForm));
        Assert.Equal(flags, removed.Document.QuerySelectorAll("li.flag-row").Length);
        var form = removed.Form("#draft-form")
            .Set($"Input.Flags[{flags - 1}].Symptom", "Fever with back pain")
            .Set($"Input.Flags[{flags - 1}].Advice", "See a doctor the same day.")
            .Set($"Input.Flags[{flags - 1}].Urgency", "urgent");
        var saved = await HtmlPage.ReadAsync(await editor.SaveAsync(list.Id, form));
        Assert.Equal("", saved.Summary);

        var draft = (await factory.DocumentAsync(list.Id)).Latest;
        Assert.Equal((2, VersionStatus.Draft), (draft.Number, draft.Status));
        Assert.Equal(flags, draft.Flags.Count);
        var original = list.Versions[0].Flags.OrderBy(f => f.Position).ToList();
        Assert.Equal(
            original.Where((_, i) => i != 1).Select(f => f.Symptom).Append("Fever with back pain"),
            draft.Flags.OrderBy(f => f.Position).Select(f => f.Symptom));
        Assert.Equal(Urgency.Urgent, draft.Flags.Single(f => f.Symptom == "Fever with back pain").Urgency);
    }
}
