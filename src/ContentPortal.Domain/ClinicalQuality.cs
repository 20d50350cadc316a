namespace ContentPortal.Domain;

/// <summary>
/// One reviewer's answer for one reference when signing a full review: re-checked, or why not.
/// Recorded on the version it was signed on; never changed.
/// </summary>
public sealed class EvidenceCheck
{
    public EvidenceCheck(int position, string source, string link, DateTime checkedAt, string checkedById, string checkedByName, bool rechecked, string? reason)
    {
        Position = position;
        Source = source;
        Link = link;
        CheckedAt = checkedAt;
        CheckedById = checkedById;
        CheckedByName = checkedByName;
        Rechecked = rechecked;
        Reason = reason;
    }

    /// <summary>The reference's position on the version signed.</summary>
    public int Position { get; private set; }

    public string Source { get; private set; }

    /// <summary>The reference's identity across versions: the same link is the same source.</summary>
    public string Link { get; private set; }

    public DateTime CheckedAt { get; private set; }

    public string CheckedById { get; private set; }

    public string CheckedByName { get; private set; }

    public bool Rechecked { get; private set; }

    /// <summary>"Not re-checked because …"; null when it was re-checked.</summary>
    public string? Reason { get; private set; }
}

/// <summary>What the reviewer ticked or wrote for the reference at <paramref name="Position"/>.</summary>
public sealed record EvidenceAnswer(int Position, bool Rechecked, string? NotRecheckedBecause);

/// <summary>
/// What a signature must carry besides the password: a reason when the reading age is above target,
/// and, for a full review, an answer for every reference.
/// </summary>
public sealed record SigningAnswers(string? ReadabilityReason, IReadOnlyList<EvidenceAnswer> Evidence)
{
    public const int MaxReasonLength = 500;

    public static SigningAnswers None { get; } = new(null, []);
}

/// <summary>A reference of a version with its latest check (any answer) and its latest actual re-check.</summary>
public sealed record ReferenceCheck(ArticleReference Reference, EvidenceCheck? LastRechecked, EvidenceCheck? LastAnswer);

/// <summary>
/// The clinical-quality rules around signing: reading age against the target, and the evidence register
/// (each reference re-checked at every full review; a minor change keeps the earlier checks).
/// </summary>
public static class ClinicalQuality
{
    /// <summary>Readability as the issue defines it: an article's body, or a list's symptoms and advice.</summary>
    public static Readability Measure(DocumentKind kind, VersionContent content) =>
        kind == DocumentKind.Article ? Readability.OfArticle(content.BodyMarkdown) : Readability.OfRedFlags(content.Flags);

    public static Readability Measure(DocumentVersion version) =>
        version.Kind == DocumentKind.Article ? Readability.OfArticle(version.BodyMarkdown) : Readability.OfRedFlags(version.Flags);

    /// <summary>The plain-English findings for typed or stored content (advice only, never a gate).</summary>
    public static IReadOnlyList<PlainEnglishFinding> PlainEnglishOf(DocumentKind kind, VersionContent content, IReadOnlyDictionary<string, string> jargon) =>
        kind == DocumentKind.Article ? PlainEnglish.CheckArticle(content.BodyMarkdown, jargon) : PlainEnglish.CheckRedFlags(content.Flags, jargon);

    /// <summary>True when a signature on content of this reading age needs a reason.</summary>
    public static bool NeedsReason(Readability readability, int? target) =>
        target is { } limit && !readability.IsEmpty && readability.ReadingAge > limit;

    /// <summary>
    /// The reason to record with a signature, or the field problems that refuse it. A reason is kept only
    /// when one was needed (null otherwise); evidence answers are checked for a full or periodic review.
    /// </summary>
    public static (string? Reason, IReadOnlyDictionary<string, string> Problems) CheckAnswers(
        Readability readability, int? target, ReviewKind kind, IReadOnlyList<ArticleReference> references, SigningAnswers answers)
    {
        var problems = new Dictionary<string, string>();
        string? reason = null;
        if (NeedsReason(readability, target))
        {
            reason = answers.ReadabilityReason?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                problems["ReadabilityReason"] = $"The reading age is {readability.ReadingAge}, above the target of {target}. Say briefly why it should be approved as it is.";
            }
            else if (reason.Length > SigningAnswers.MaxReasonLength)
            {
                problems["ReadabilityReason"] = $"Keep the reason to {SigningAnswers.MaxReasonLength} characters; it is {reason.Length}.";
            }
        }

        // A periodic review re-checks the evidence as a full review does.
        if (kind != ReviewKind.Minor)
        {
            foreach (var (key, problem) in EvidenceProblems(references, answers.Evidence))
            {
                problems[key] = problem;
            }
        }

        return (problems.Count == 0 ? reason : null, problems);
    }

    /// <summary>
    /// Every reference needs exactly one answer: re-checked, or a reason (1–500 characters) why not. An
    /// answer for a reference the version does not have is refused (a stale or forged form).
    /// Keys: "Evidence" for the form as a whole, "Evidence[i].Reason" for the i-th reference (from 0).
    /// </summary>
    public static IReadOnlyDictionary<string, string> EvidenceProblems(IReadOnlyList<ArticleReference> references, IReadOnlyList<EvidenceAnswer> answers)
    {
        var problems = new Dictionary<string, string>();
        var positions = references.Select(r => r.Position).ToHashSet();
        var stray = answers.Where(a => !positions.Contains(a.Position)).Select(a => a.Position).Distinct().ToList();
        if (stray.Count > 0)
        {
            problems["Evidence"] = $"The form answers for reference {string.Join(", ", stray)}, which this version does not have. Reload the page and sign again.";
        }

        var duplicated = answers.GroupBy(a => a.Position).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
        {
            problems["Evidence"] = $"The form answers more than once for reference {string.Join(", ", duplicated)}. Reload the page and sign again.";
        }

        var ordered = references.OrderBy(r => r.Position).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var answer = answers.FirstOrDefault(a => a.Position == ordered[i].Position);
            var because = answer?.NotRecheckedBecause?.Trim();
            if (answer is { Rechecked: true })
            {
                continue;
            }

            if (string.IsNullOrEmpty(because))
            {
                problems[$"Evidence[{i}].Reason"] = $"Reference {i + 1}: tick \u201cre-checked\u201d or say why it was not re-checked.";
            }
            else if (because.Length > SigningAnswers.MaxReasonLength)
            {
                problems[$"Evidence[{i}].Reason"] = $"Reference {i + 1}: keep the reason to {SigningAnswers.MaxReasonLength} characters; it is {because.Length}.";
            }
        }

        return problems;
    }

    /// <summary>
    /// Each reference of <paramref name="version"/> with its last check on this or an earlier version of the
    /// document (a minor change records none, so the earlier checks stay the last ones).
    /// </summary>
    public static IReadOnlyList<ReferenceCheck> EvidenceOf(IEnumerable<DocumentVersion> documentVersions, DocumentVersion version)
    {
        var checks = documentVersions.Where(v => v.DocumentId == version.DocumentId && v.Number <= version.Number)
            .SelectMany(v => v.EvidenceChecks)
            .ToList();
        return version.References.OrderBy(r => r.Position)
            .Select(r =>
            {
                var mine = checks.Where(c => string.Equals(c.Link, r.Link, StringComparison.OrdinalIgnoreCase)).ToList();
                return new ReferenceCheck(r, mine.Where(c => c.Rechecked).MaxBy(c => c.CheckedAt), mine.MaxBy(c => c.CheckedAt));
            })
            .ToList();
    }

    /// <summary>
    /// When the evidence of an approved version falls due: the oldest of its references' last re-checks plus
    /// the review period. A reference never re-checked counts from when it was first approved
    /// (<paramref name="firstApproved"/>: the approval time of each approved version citing it), so a
    /// review that says "not re-checked" does not make old evidence look fresh. Null without references.
    /// </summary>
    public static DateTime? EvidenceDue(IEnumerable<string> links, int reviewIntervalMonths, IEnumerable<(string Link, DateTime At)> rechecks, IEnumerable<(string Link, DateTime At)> firstApproved)
    {
        static Dictionary<string, DateTime> Latest(IEnumerable<(string Link, DateTime At)> rows, bool newest) =>
            rows.GroupBy(c => c.Link, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => newest ? g.Max(c => c.At) : g.Min(c => c.At), StringComparer.OrdinalIgnoreCase);

        var rechecked = Latest(rechecks, newest: true);
        var cited = Latest(firstApproved, newest: false);
        DateTime? oldest = null;
        foreach (var link in links)
        {
            DateTime? since = rechecked.TryGetValue(link, out var at) ? at : cited.TryGetValue(link, out var first) ? first : null;
            if (since is not null && (oldest is null || since < oldest))
            {
                oldest = since;
            }
        }

        return oldest?.AddMonths(reviewIntervalMonths);
    }
}
