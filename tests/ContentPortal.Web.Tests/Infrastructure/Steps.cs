using System.Net;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>The workflow moves, each done the way a person does it: GET the page, post its form with its token.</summary>
public static class Steps
{
    public static string EditUrl(Guid documentId, string handler) => $"/Content/Edit/{documentId}?handler={handler}";

    /// <summary>The document page's actions: Open (the Edit button), Restore, ChangeSlug, ReviewInterval.</summary>
    public static string DetailsUrl(Guid documentId, string handler) => $"/Content/Details/{documentId}?handler={handler}";

    /// <summary>The red-flag row buttons: AddFlag, RemoveFlag, MoveUp, MoveDown.</summary>
    public static string FlagsUrl(Guid documentId, string handler) => $"/Content/Flags/{documentId}?handler={handler}";

    /// <summary>New document → the draft editor; returns the document id.</summary>
    public static async Task<Guid> CreateDocumentAsync(this PortalClient editor, string title, string slug, string kind = "Article")
    {
        var create = await editor.GetPageAsync("/Content/Create");
        var form = create.Form().Set("Input.Kind", kind).Set("Input.Title", title).Set("Input.Slug", slug);
        var response = await editor.PostFormAsync("/Content/Create", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/Content/Edit/", location, StringComparison.Ordinal);
        return Guid.Parse(location["/Content/Edit/".Length..]);
    }

    /// <summary>The document page's Edit button, then the draft editor it leads to.</summary>
    public static async Task<HtmlPage> OpenDraftAsync(this PortalClient editor, Guid documentId)
    {
        var details = await editor.GetPageAsync($"/Content/Details/{documentId}");
        var open = details.Form("form[action*=\"handler=Open\"]");
        var response = await editor.PostFormAsync(DetailsUrl(documentId, "Open"), open);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Content/Edit/{documentId}", response.Headers.Location?.OriginalString);
        return await editor.GetPageAsync($"/Content/Edit/{documentId}");
    }

    public static Task<HttpResponseMessage> SaveAsync(this PortalClient editor, Guid documentId, FormData form, bool htmx = false) =>
        editor.PostFormAsync(EditUrl(documentId, "Save"), form, htmx);

    /// <summary>Opens the draft, types into it, and submits it for review; asserts it went to review.</summary>
    public static async Task SubmitAsync(this PortalClient editor, Guid documentId, string changeNote, Action<FormData>? type = null)
    {
        var edit = await editor.OpenDraftAsync(documentId);
        var form = edit.Form("#draft-form").Set("Input.ChangeNote", changeNote);
        type?.Invoke(form);
        var response = await editor.PostFormAsync(EditUrl(documentId, "Submit"), form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await HtmlPage.ReadAsync(response);
            Assert.Fail($"Submit was not accepted ({(int)response.StatusCode}): {page.Summary} {page.Text[..Math.Min(400, page.Text.Length)]}");
        }

        Assert.Equal($"/Content/Details/{documentId}", response.Headers.Location?.OriginalString);
    }

    /// <summary>The decision form of a version in review, with Comment set.</summary>
    public static async Task<FormData> DecisionFormAsync(this PortalClient reviewer, Guid versionId, string? comment = null)
    {
        var page = await reviewer.GetPageAsync($"/Review/Version/{versionId}");
        var form = page.Form("#decision form[action*='handler=RequestChanges']");
        return comment is null ? form : form.Set("Comment", comment);
    }

    /// <summary>
    /// The signing form shown after Approve, filled with the reviewer's password (a full review by default).
    /// With <paramref name="answerAll"/> it also answers what the form asks for: a reading-age reason when
    /// the form has that field, and "re-checked" for every reference.
    /// </summary>
    public static async Task<FormData> SignFormAsync(this PortalClient reviewer, Guid versionId, string password = PortalFactory.Password, string? note = null, string kind = "Full", bool answerAll = true)
    {
        var page = await reviewer.GetPageAsync($"/Review/Version/{versionId}?sign=true");
        var form = page.Form("#decision form.sign-form").Set("Password", password).Set("Kind", kind);
        if (answerAll)
        {
            if (form.Get("ReadabilityReason") is not null)
            {
                form.Set("ReadabilityReason", "The clinical terms cannot be simpler here.");
            }

            for (var i = 0; form.Get($"Evidence[{i}].Position") is not null; i++)
            {
                form.Set($"Evidence[{i}].Rechecked", "true");
            }
        }

        return note is null ? form : form.Set("SignatureNote", note);
    }

    public static Task<HttpResponseMessage> DecideAsync(this PortalClient reviewer, Guid versionId, string handler, FormData form, bool htmx = false) =>
        reviewer.PostFormAsync($"/Review/Version/{versionId}?handler={handler}", form, htmx);

    public static async Task ApproveAsync(this PortalClient reviewer, Guid versionId, string? comment = null)
    {
        var response = await reviewer.DecideAsync(versionId, "Approve", await reviewer.SignFormAsync(versionId, note: comment));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            Assert.Fail($"Approve was not accepted ({(int)response.StatusCode}): {(await HtmlPage.ReadAsync(response)).Summary}");
        }

        Assert.Equal("/Review", response.Headers.Location?.OriginalString);
    }

    /// <summary>The Publish button with a note; returns the response (302 on success).</summary>
    public static async Task<HttpResponseMessage> PublishAsync(this PortalClient publisher, string note, bool htmx = false)
    {
        var page = await publisher.GetPageAsync("/Publish");
        if (page.Document.QuerySelector("#publish-panel form input[name=ShownPlan]") is null)
        {
            // Nothing new: the page offers no publish form, so post what a form showing no changes would send.
            var fields = new Dictionary<string, string> { ["Note"] = note, ["ShownPlan"] = ContentPortal.Domain.SnapshotPlan.FingerprintOf([]) };
            return await publisher.PostFormAsync("/Publish", fields, page.Token, htmx);
        }

        var form = page.Form("#publish-panel form").Set("Note", note);
        return await publisher.PostFormAsync("/Publish", form, htmx);
    }
}
