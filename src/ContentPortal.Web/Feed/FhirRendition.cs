using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using ContentPortal.Domain;
using Hl7.Fhir.Serialization;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The feed's items as FHIR R4 resources (Firely SDK), built from the same published JSON item, so a rendition can
/// never say something the signed snapshot does not: a red-flag list is a <c>PlanDefinition</c> (one action per
/// flag, urgency as the action's priority), an article a <c>DocumentReference</c> (HTML and Markdown as attachments),
/// the whole feed a <c>Bundle</c> of type collection. docs/feed.md documents the mapping.
/// </summary>
public static class FhirRendition
{
    public const string MediaType = "application/fhir+json";

    /// <summary>The tag system of an item's review status: <c>overdue</c> when the feed item says <c>reviewOverdue</c>.</summary>
    public const string ReviewStatusSystem = "urn:contentportal:review-status";

    /// <summary>The identifier system of an item's slug (an item's FHIR id is its document id: slugs may be longer than FHIR ids allow).</summary>
    public const string SlugSystem = "urn:contentportal:slug";

    public static byte[] Serialize(Resource resource) => Encoding.UTF8.GetBytes(resource.ToJson());

    public static Resource ToResource(FeedItem item) => item switch
    {
        FeedArticle article => ToDocumentReference(article),
        FeedRedFlagList list => ToPlanDefinition(list),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.Kind, "Unknown item kind."),
    };

    public static Bundle ToBundle(FeedSnapshot snapshot, IEnumerable<FeedItem> items) => new()
    {
        Id = $"snapshot-{snapshot.Id}",
        Type = Bundle.BundleType.Collection,
        Identifier = new Identifier("urn:contentportal:snapshot", snapshot.Id.ToString(CultureInfo.InvariantCulture)),
        Timestamp = new DateTimeOffset(snapshot.PublishedAt, TimeSpan.Zero),
        Entry = items.Select(item => new Bundle.EntryComponent { FullUrl = $"urn:uuid:{item.Id}", Resource = ToResource(item) }).ToList(),
    };

    public static PlanDefinition ToPlanDefinition(FeedRedFlagList list) => new()
    {
        Id = list.Id.ToString(),
        Meta = ReviewStatus(list),
        Identifier = [new Identifier(SlugSystem, list.Slug)],
        Version = list.Version.ToString(CultureInfo.InvariantCulture),
        Title = list.Title,
        Status = PublicationStatus.Active,
        Description = string.IsNullOrWhiteSpace(list.Summary) ? null : new Markdown(list.Summary),
        Date = DateTime(list.ApprovedAt),
        ApprovalDate = Date(list.ApprovedAt),
        LastReviewDate = list.LastReviewed is { } reviewed ? Date(reviewed) : null,
        Reviewer = Reviewers(list),
        Topic = list.Codes.Select(Concept).ToList(),
        RelatedArtifact = Citations(list),
        Action = list.Flags.Select(flag => new PlanDefinition.ActionComponent
        {
            Title = flag.Symptom,
            Description = flag.Advice,
            Priority = Priority(flag.Urgency),
            Code = flag.Codes.Select(Concept).ToList(),
        }).ToList(),
    };

    public static DocumentReference ToDocumentReference(FeedArticle article)
    {
        var approved = new DateTimeOffset(article.ApprovedAt, TimeSpan.Zero);
        var reviewers = article.Approvals.Select(a => new ResourceReference { Display = a.Name }).ToList();
        return new DocumentReference
        {
            Id = article.Id.ToString(),
            Meta = ReviewStatus(article),
            MasterIdentifier = new Identifier("urn:ietf:rfc:3986", $"urn:uuid:{article.Id}"),
            Identifier = [new Identifier(SlugSystem, article.Slug), new Identifier("urn:contentportal:content-hash", article.ContentHash)],
            Status = DocumentReferenceStatus.Current,
            DocStatus = CompositionStatus.Final,
            Date = approved,
            Description = string.IsNullOrWhiteSpace(article.Summary) ? article.Title : article.Summary,
            // Who signed it off; the feed names reviewers, never editors, so the authors are the signers too.
            Author = reviewers,
            Authenticator = reviewers.LastOrDefault(),
            Category = article.Codes.Select(Concept).ToList(),
            Contained = Sections(article, reviewers, approved) is { } sections ? [sections] : [],
            // The contained sections' Composition is the document's own: referenced from here, as FHIR requires (dom-3).
            Context = article.Sections.Any(s => s.Aspect is not null) ? new DocumentReference.ContextComponent { Related = [new ResourceReference($"#{SectionsId}")] } : null,
            Content =
            [
                new DocumentReference.ContentComponent { Attachment = Attachment("text/html", article.BodyHtml, article.Title, approved) },
                new DocumentReference.ContentComponent { Attachment = Attachment("text/markdown", article.BodyMarkdown, article.Title, approved) },
            ],
        };
    }

    /// <summary>The contained Composition of an article's sections: its id, and the system of their codes (schema.org's health aspects).</summary>
    public const string SectionsId = "sections";

    public const string HealthAspectSystem = "https://schema.org";

    /// <summary>
    /// An article's sections as a contained Composition when the editors chose health aspects: one section per feed
    /// section (title, plain text as its narrative), with the chosen aspect as its code. Null when none was chosen,
    /// so articles without aspects read as they always did.
    /// </summary>
    private static Composition? Sections(FeedArticle article, List<ResourceReference> reviewers, DateTimeOffset approved)
    {
        if (!article.Sections.Any(s => s.Aspect is not null))
        {
            return null;
        }

        return new Composition
        {
            Id = SectionsId,
            Status = CompositionStatus.Final,
            Type = new CodeableConcept { Text = "Health article" },
            DateElement = new FhirDateTime(approved),
            Author = reviewers.Count > 0 ? reviewers : [new ResourceReference { Display = "ContentPortal" }],
            Title = article.Title,
            Section = article.Sections.Select(section => new Composition.SectionComponent
            {
                Title = section.Headline.Length > 0 ? section.Headline : null,
                Code = section.Aspect is { } aspect && HealthAspects.TryParse(aspect, out var known)
                    ? new CodeableConcept(HealthAspectSystem, HealthAspects.SchemaOrgCode(known), HealthAspects.Label(known), null)
                    : null,
                // A section needs text (cmp-1); its plain text, escaped, is safe FHIR XHTML whatever the Markdown held.
                Text = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = NarrativeOf(section.Text) },
            }).ToList(),
        };
    }

    private static string NarrativeOf(string html)
    {
        var lines = SchemaOrgRendition.PlainText(html).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var paragraphs = lines.Length > 0 ? string.Concat(lines.Select(l => $"<p>{System.Net.WebUtility.HtmlEncode(l)}</p>")) : "<p>(no text)</p>";
        return $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{paragraphs}</div>";
    }

    /// <summary>Our urgency as a FHIR request priority: emergency → stat, urgent → urgent, routine → routine.</summary>
    public static RequestPriority Priority(string urgency) => urgency switch
    {
        "emergency" => RequestPriority.Stat,
        "urgent" => RequestPriority.Urgent,
        _ => RequestPriority.Routine,
    };

    private static CodeableConcept Concept(FeedCode code) =>
        new(code.System, code.Code, string.IsNullOrEmpty(code.Display) ? null : code.Display, string.IsNullOrEmpty(code.Display) ? null : code.Display);

    // An overdue review as a resource tag (meta.tag, valid on every resource): FHIR R4 has no element for it.
    private static Meta? ReviewStatus(FeedItem item) =>
        item.ReviewOverdue == true ? new Meta { Tag = [new Coding(ReviewStatusSystem, "overdue", "Clinical review overdue")] } : null;

    private static List<ContactDetail> Reviewers(FeedItem item) => item.Approvals.Select(a => new ContactDetail { Name = a.Name }).ToList();

    private static List<RelatedArtifact> Citations(FeedItem item) => item.References.Select(r => new RelatedArtifact
    {
        Type = RelatedArtifact.RelatedArtifactType.Citation,
        Display = r.Source.Length > 0 ? r.Source : null,
        Url = r.Link.Length > 0 ? r.Link : null,
    }).ToList();

    private static Attachment Attachment(string contentType, string text, string title, DateTimeOffset created)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new Attachment
        {
            ContentType = $"{contentType}; charset=utf-8",
            Language = "en",
            // An empty body has no data (FHIR forbids empty values); its size and hash still say so.
            Data = bytes.Length > 0 ? bytes : null,
            // Attachment.size is an unsignedInt in R4 (an integer64 from R5 on): set the R4 element, not Size.
            SizeUnsignedInt = bytes.Length,
            // FHIR R4 defines Attachment.hash as the SHA-1 of the data.
            Hash = SHA1.HashData(bytes),
            Title = title,
            CreationElement = new FhirDateTime(created),
        };
    }

    private static string DateTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
