namespace ContentPortal.Domain.Tests;

/// <summary>Fixed UTC clock values, so recorded times can be asserted exactly.</summary>
internal static class Clock
{
    public static readonly DateTime T0 = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    public static DateTime At(int minutes) => T0.AddMinutes(minutes);

    /// <summary>How long a review claim lasts in these tests (the portal's default, Workflow:ClaimDays = 3).</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromDays(3);
}

/// <summary>The people the tests act as. Ids are stable so four-eyes checks can be reasoned about.</summary>
internal static class People
{
    public static Actor With(string userId, string name, params string[] roles) => new(userId, name, new HashSet<string>(roles));

    public static Actor Editor(string userId = "editor-1", string name = "Edna Editor") => With(userId, name, Roles.Editor);

    public static Actor Reviewer(string userId = "reviewer-1", string name = "Rita Reviewer") => With(userId, name, Roles.Reviewer);

    public static Actor Publisher(string userId = "publisher-1", string name = "Paul Publisher") => With(userId, name, Roles.Publisher);

    /// <summary>An administrator as the portal creates one: holding every role.</summary>
    public static Actor Admin(string userId = "admin-1", string name = "Ada Admin") => With(userId, name, [.. Roles.All]);

    public static Actor Nobody(string userId = "nobody-1", string name = "Nora Noroles") => With(userId, name);

    /// <summary>Somebody who may both edit and review: the case the four-eyes rule exists for.</summary>
    public static Actor EditorReviewer(string userId, string name) => With(userId, name, Roles.Editor, Roles.Reviewer);

    /// <summary>Builds an actor from a role label used in theory data (keeps theory data to strings).</summary>
    public static Actor ForRole(string label) => label switch
    {
        "Editor" => Editor(),
        "Reviewer" => Reviewer(),
        "Publisher" => Publisher(),
        "AdminAllRoles" => Admin(),
        "AdminRoleOnly" => With("admin-only-1", "Adam Adminonly", Roles.Admin),
        "NoRole" => Nobody(),
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown role label."),
    };
}

internal static class Contents
{
    public static VersionContent Article(
        string title = "Lower back pain",
        string summary = "What helps, and when to see a doctor.",
        string body = "# Lower back pain\r\n\r\nKeep moving.") =>
        new(title, summary, body, []);

    public static RedFlagInput Flag(string symptom = "Numbness around the groin", string advice = "Call 999 now.", string urgency = "emergency") =>
        new(symptom, advice, urgency);

    public static VersionContent RedFlags(params RedFlagInput[] flags) =>
        new("Back pain red flags", "Symptoms that need a doctor.", "", flags);
}

/// <summary>Builds documents and versions in a given workflow state.</summary>
internal static class Docs
{
    public static readonly Actor Author = People.EditorReviewer("author-1", "Alex Author");
    public static readonly Actor SecondReviewer = People.Reviewer("reviewer-2", "Rob Reviewer");

    public static Document NewArticle(string slug = "lower-back-pain", VersionContent? content = null, Actor? by = null) =>
        Document.Create(DocumentKind.Article, slug, content ?? Contents.Article(), by ?? Author, Clock.At(0));

    public static Document NewRedFlagList(string slug = "back-pain-red-flags", params RedFlagInput[] flags) =>
        Document.Create(DocumentKind.RedFlagList, slug, Contents.RedFlags(flags), Author, Clock.At(0));

    public static Document InReview(string slug = "lower-back-pain")
    {
        var document = NewArticle(slug);
        document.Submit(document.Latest, "First version", Author, Clock.At(1));
        return document;
    }

    public static Document Approved(string slug = "lower-back-pain")
    {
        var document = InReview(slug);
        document.Approve(document.Latest, SecondReviewer, Clock.At(2), "Looks right.");
        return document;
    }

    public static Document ChangesRequested(string slug = "lower-back-pain")
    {
        var document = InReview(slug);
        document.RequestChanges(document.Latest, document.Latest.Revision, SecondReviewer, Clock.At(2), "Add the exercise advice.");
        return document;
    }

    /// <summary>Takes the latest version of <paramref name="document"/> through a new draft to approval.</summary>
    public static DocumentVersion ApproveNewVersion(Document document, string title, int minute)
    {
        var draft = document.OpenDraft(Author, Clock.At(minute), out _);
        document.Edit(draft, Contents.Article(title: title), "Retitled", draft.Revision, Author, Clock.At(minute + 1));
        document.Submit(draft, null, Author, Clock.At(minute + 2));
        document.Approve(draft, SecondReviewer, Clock.At(minute + 3), null);
        return draft;
    }

    /// <summary>A document whose only version is in the given state (by name, for theory data).</summary>
    public static Document InState(VersionStatus status) => status switch
    {
        VersionStatus.Draft => NewArticle(),
        VersionStatus.InReview => InReview(),
        VersionStatus.Approved => Approved(),
        VersionStatus.ChangesRequested => ChangesRequested(),
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}

public static class SigningExtensions
{
    /// <summary>A full clinical sign-off with the default policy (one signature).</summary>
    public static bool Approve(this Document document, DocumentVersion version, Actor by, DateTime at, string? comment) =>
        document.Sign(version, new SignRequest(by, version.Revision, ReviewKind.Full, at) { PasswordVerified = true, Comment = comment });
}
