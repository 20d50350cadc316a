namespace ContentPortal.Domain;

/// <summary>
/// An article or red-flag list: a stable id and slug, and numbered versions. At most one version
/// is open (a draft or in review) at a time.
/// </summary>
public sealed class Document
{
    private Document()
    {
    }

    public Guid Id { get; private set; }

    public DocumentKind Kind { get; private set; }

    public string Slug { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public List<DocumentVersion> Versions { get; private set; } = [];

    /// <summary>Set while the document is retired: it stays out of new snapshots; its history stays.</summary>
    public DateTime? RetiredAt { get; private set; }

    public string? RetiredByName { get; private set; }

    public bool IsRetired => RetiredAt is not null;

    public DocumentVersion Latest => Versions.MaxBy(v => v.Number) ?? throw new InvalidOperationException("A document always has a version.");

    public DocumentVersion? LatestApproved => Versions.Where(v => v.Status == VersionStatus.Approved).MaxBy(v => v.Number);

    /// <summary>The version editors are working on or reviewers are reviewing, if any.</summary>
    public DocumentVersion? OpenVersion => Versions.Where(v => v.Status is VersionStatus.Draft or VersionStatus.InReview).MaxBy(v => v.Number);

    public static Document Create(DocumentKind kind, string slug, VersionContent content, Actor by, DateTime at)
    {
        by.Require(Roles.Editor, "create a document");
        var slugProblem = Domain.Slug.Problem(slug);
        if (slugProblem is not null)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = slugProblem });
        }

        var document = new Document { Id = Guid.NewGuid(), Kind = kind, Slug = slug, CreatedAt = at };
        document.Versions.Add(DocumentVersion.NewDraft(document.Id, kind, 1, content, by, at, "Created"));
        return document;
    }

    public static Document Import(DocumentKind kind, string slug, VersionContent content, Actor importer, DateTime at, string source)
    {
        var slugProblem = Domain.Slug.Problem(slug);
        if (slugProblem is not null)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = $"{source}: {slugProblem}" });
        }

        var document = new Document { Id = Guid.NewGuid(), Kind = kind, Slug = slug, CreatedAt = at };
        document.Versions.Add(DocumentVersion.Imported(document.Id, kind, content, importer, at, source));
        return document;
    }

    /// <summary>
    /// The draft to edit: the open one, or a new one copied from the latest version.
    /// Refused while a version is in review, so reviewers never chase a moving target.
    /// </summary>
    public DocumentVersion OpenDraft(Actor by, DateTime at, out bool created)
    {
        by.Require(Roles.Editor, "edit content");
        var open = OpenVersion;
        if (open is { Status: VersionStatus.Draft })
        {
            created = false;
            return open;
        }

        if (open is { Status: VersionStatus.InReview })
        {
            throw new RefusedException($"Version {open.Number} is in review. It can be edited again once a reviewer approves it or requests changes.");
        }

        var basis = Latest;
        var draft = DocumentVersion.NewDraft(Id, Kind, basis.Number + 1, basis.CurrentContent(), by, at, $"Started from version {basis.Number}");
        if (basis.Status != VersionStatus.Approved)
        {
            // Text nobody approved stays its authors' work: they may not approve the copy either.
            draft.InheritAuthors(basis);
        }

        Versions.Add(draft);
        created = true;
        return draft;
    }

    /// <summary>Takes the document out of the next snapshot (a publisher's call); versions and history are kept.</summary>
    public void Retire(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "retire a document");
        if (IsRetired)
        {
            throw new RefusedException($"\u201c{Latest.Title}\u201d is already retired.");
        }

        RetiredAt = at;
        RetiredByName = by.DisplayName;
    }

    /// <summary>Brings a retired document back: its latest approved version enters the next snapshot again.</summary>
    public void Unretire(Actor by)
    {
        by.Require(Roles.Publisher, "un-retire a document");
        if (!IsRetired)
        {
            throw new RefusedException($"\u201c{Latest.Title}\u201d is not retired.");
        }

        RetiredAt = null;
        RetiredByName = null;
    }

    public DocumentVersion Version(int number) =>
        Versions.FirstOrDefault(v => v.Number == number) ?? throw new RefusedException($"This document has no version {number}.");
}
