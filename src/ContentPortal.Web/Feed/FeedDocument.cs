using System.Text.Json.Serialization;

namespace ContentPortal.Web.Feed;

// The public feed contract, schemaVersion 1 (docs/feed.md, Feed/feed.schema.json). Consumers depend on
// these names: add fields freely, but never rename or remove one without a new schemaVersion.
// A field every item has goes on FeedItem (one property here, one line in FeedBuilder.Common).

public sealed record FeedDocument(
    int SchemaVersion,
    FeedSnapshot Snapshot,
    IReadOnlyList<FeedArticle> Articles,
    IReadOnlyList<FeedRedFlagList> RedFlagLists);

public sealed record FeedSnapshot(
    int Id,
    DateTime PublishedAt,
    string PublishedBy,
    string Note,
    int? RepublishedFrom,
    // Left out (not null) for snapshots published before it was recorded: their bytes stay as they were sealed.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FeedAuditHead? AuditChainHead = null);

/// <summary>
/// The portal's audit chain head when the snapshot was prepared: keep it to check the trail later. Since
/// issue 25 signed (ES256 detached JWS over <c>contentportal-audit-head/1|sequence|hash|signedAt</c>, key
/// <c>kid</c> in /.well-known/jwks.json); heads of older snapshots have no signature fields.
/// </summary>
public sealed record FeedAuditHead(
    long Sequence,
    string Hash,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SignedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Signature = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kid = null)
{
    /// <summary>The head a snapshot's feed (and its webhook) carries; null when it never carried one.</summary>
    public static FeedAuditHead? Of(ContentPortal.Domain.Snapshot snapshot) =>
        snapshot.AuditHeadSequence is { } sequence && !snapshot.AuditHeadBackfilled
            ? new FeedAuditHead(sequence, snapshot.AuditHeadHash!, snapshot.AuditHeadSignedAt is { } signedAt ? ContentPortal.Domain.AuditHead.FeedTime(signedAt) : null, snapshot.AuditHeadSignature, snapshot.AuditHeadKeyId)
            : null;
}

/// <summary>Fields every article and red-flag list carries, in this order in the JSON.</summary>
public abstract class FeedItem
{
    [JsonPropertyOrder(-100)] public Guid Id { get; set; }

    /// <summary>"article" or "redFlagList": lets /changes mix both kinds in one list.</summary>
    [JsonPropertyOrder(-99)] public string Kind { get; set; } = "";

    [JsonPropertyOrder(-98)] public string Slug { get; set; } = "";

    [JsonPropertyOrder(-97)] public int Version { get; set; }

    [JsonPropertyOrder(-96)] public string Title { get; set; } = "";

    [JsonPropertyOrder(-95)] public string Summary { get; set; } = "";

    [JsonPropertyOrder(10)] public DateTime ApprovedAt { get; set; }

    [JsonPropertyOrder(11)] public string ContentHash { get; set; } = "";

    [JsonPropertyOrder(12)] public string? ChangeNote { get; set; }

    /// <summary>The last full clinical review this version rests on (a minor change keeps the one before).</summary>
    [JsonPropertyOrder(13)] public DateTime? LastReviewed { get; set; }

    [JsonPropertyOrder(14)] public DateTime? ReviewDue { get; set; }

    /// <summary>The reviewers' electronic signatures on this version, oldest first.</summary>
    [JsonPropertyOrder(15)] public IReadOnlyList<FeedApproval> Approvals { get; set; } = [];

    /// <summary>The sources the content rests on, in the editors' order.</summary>
    [JsonPropertyOrder(16)] public IReadOnlyList<FeedReference> References { get; set; } = [];

    /// <summary>How hard the text is to read (an article's body; a list's symptoms and advice).</summary>
    [JsonPropertyOrder(17)] public FeedReadability Readability { get; set; } = null!;

    /// <summary>What the item is about, in SNOMED CT / ICD-10 (empty when none); /api/v1/lookup finds items by them.</summary>
    [JsonPropertyOrder(18)] public IReadOnlyList<FeedCode> Codes { get; set; } = [];

    /// <summary>
    /// True when the clinical review is overdue (reviewDue has passed; the overdue policy's snapshot says so).
    /// Left out otherwise, so every item rendered before it keeps its bytes.
    /// </summary>
    [JsonPropertyOrder(19)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ReviewOverdue { get; set; }
}

/// <summary>A clinical code: the system's URI (http://snomed.info/sct or http://hl7.org/fhir/sid/icd-10), the code, and the editors' text for it (may be empty).</summary>
public sealed record FeedCode(string System, string Code, string Display)
{
    public static IReadOnlyList<FeedCode> Of(IEnumerable<Domain.ClinicalCode> codes) => codes.Select(c => new FeedCode(c.System, c.Code, c.Display)).ToList();
}

/// <summary>SMOG (the main figure), Flesch–Kincaid grade and Flesch reading ease to one decimal; reading age = SMOG + 5, whole years.</summary>
public sealed record FeedReadability(double Smog, double FleschKincaidGrade, double FleschReadingEase, int ReadingAge, int Words, int Sentences, int Polysyllables);

/// <summary>
/// A reviewer's electronic signature as consumers see it (no ids, no emails); ReadabilityReason is why it was approved above the
/// reading-age target (null when that was not needed); Kind is "full", "minor" or "periodic" (issue 27; items rendered before it have none).
/// </summary>
public sealed record FeedApproval(string Name, string Role, DateTime SignedAt, string Meaning, string? ReadabilityReason, string Kind);

/// <summary>
/// A citation: its source (e.g. "NICE guideline NG59") and link, either of which may be empty; the section
/// (a heading of the article) it supports, and when and by whom it was last re-checked at a review (nulls when never).
/// </summary>
public sealed record FeedReference(string Source, string Link, string? Section, DateTime? LastChecked, string? LastCheckedBy);

public sealed class FeedArticle : FeedItem
{
    public string BodyMarkdown { get; set; } = "";

    public string BodyHtml { get; set; } = "";

    public IReadOnlyList<FeedSection> Sections { get; set; } = [];
}

public sealed class FeedRedFlagList : FeedItem
{
    public IReadOnlyList<FeedRedFlag> Flags { get; set; } = [];
}

public sealed record FeedRedFlag(string Symptom, string Advice, string Urgency)
{
    /// <summary>What the symptom is, in SNOMED CT / ICD-10 (empty when none).</summary>
    public IReadOnlyList<FeedCode> Codes { get; init; } = [];
}

/// <summary>
/// A part of an article's body, split at its level 1 and 2 headings; Text is sanitized HTML. Aspect is the schema.org
/// health aspect the editors chose for it, by its short name ("Treatments"); left out when none was chosen.
/// </summary>
public sealed record FeedSection(int Position, string Headline, string Text)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Aspect { get; init; }
}
