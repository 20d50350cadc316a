namespace ContentPortal.Web.Feed;

// The public feed contract, schemaVersion 1 (docs/feed.md). Consumers depend on these names:
// add fields freely, but never rename or remove one without a new schemaVersion.

public sealed record FeedDocument(
    int SchemaVersion,
    FeedSnapshot Snapshot,
    IReadOnlyList<FeedArticle> Articles,
    IReadOnlyList<FeedRedFlagList> RedFlagLists);

public sealed record FeedSnapshot(int Id, DateTime PublishedAt, string PublishedBy, string Note);

public sealed record FeedArticle(
    Guid Id,
    string Slug,
    int Version,
    string Title,
    string Summary,
    string BodyMarkdown,
    string BodyHtml,
    DateTime ApprovedAt,
    string ContentHash,
    DateTime? LastReviewed,
    DateTime? ReviewDue,
    IReadOnlyList<FeedApproval> Approvals);

public sealed record FeedRedFlagList(
    Guid Id,
    string Slug,
    int Version,
    string Title,
    string Summary,
    IReadOnlyList<FeedRedFlag> Flags,
    DateTime ApprovedAt,
    string ContentHash,
    DateTime? LastReviewed,
    DateTime? ReviewDue,
    IReadOnlyList<FeedApproval> Approvals);

/// <summary>A reviewer's electronic signature as consumers see it (no ids, no emails).</summary>
public sealed record FeedApproval(string Name, string Role, DateTime SignedAt, string Meaning);

public sealed record FeedRedFlag(string Symptom, string Advice, string Urgency);
