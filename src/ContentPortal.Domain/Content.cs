using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ContentPortal.Domain;

public enum DocumentKind
{
    Article,
    RedFlagList,
}

public enum Urgency
{
    Emergency,
    Urgent,
    Routine,
}

/// <summary>One symptom that means: see a doctor. Part of a red-flag list version; never changed in place.</summary>
public sealed class RedFlag
{
    public RedFlag(int position, string symptom, string advice, Urgency urgency)
    {
        Position = position;
        Symptom = symptom;
        Advice = advice;
        Urgency = urgency;
    }

    public int Position { get; private set; }

    public string Symptom { get; private set; }

    public string Advice { get; private set; }

    public Urgency Urgency { get; private set; }

    /// <summary>What the symptom is, in SNOMED CT / ICD-10 (empty when the editors coded none).</summary>
    public IReadOnlyList<ClinicalCode> Codes { get; private set; } = [];

    internal RedFlag WithCodes(IEnumerable<ClinicalCode> codes)
    {
        Codes = ClinicalCodes.Normalized(codes);
        return this;
    }
}

/// <summary>What an editor types into a version: the part a reviewer signs off.</summary>
public sealed record VersionContent(string Title, string Summary, string BodyMarkdown, IReadOnlyList<RedFlagInput> Flags)
{
    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 1000;
    public const int MaxBodyBytes = 200 * 1024;
    public const int MaxFlagTextLength = 1000;

    /// <summary>Citations of an article (one per line in the editor). Empty for red-flag lists.</summary>
    public IReadOnlyList<ReferenceInput> References { get; init; } = [];

    /// <summary>What the whole document is about (the editor's Codes field), for articles and red-flag lists alike.</summary>
    public IReadOnlyList<ClinicalCode> Codes { get; init; } = [];

    /// <summary>The health aspect the editor chose for each section of an article (by heading); a section without one has none.</summary>
    public IReadOnlyList<SectionAspect> Aspects { get; init; } = [];

    /// <summary>Field name → message, for every rule the content breaks. Empty when it is fine.</summary>
    public IReadOnlyDictionary<string, string> Validate(DocumentKind kind)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Title))
        {
            errors["Title"] = "Enter a title.";
        }
        else if (Title.Trim().Length > MaxTitleLength)
        {
            errors["Title"] = $"The title is {Title.Trim().Length} characters; the limit is {MaxTitleLength}.";
        }

        if (Summary.Trim().Length > MaxSummaryLength)
        {
            errors["Summary"] = $"The summary is {Summary.Trim().Length} characters; the limit is {MaxSummaryLength}.";
        }

        if (ClinicalCodeInput.Problem(Codes) is { } codeProblem)
        {
            errors["Codes"] = codeProblem;
        }

        if (kind == DocumentKind.Article)
        {
            var bytes = Encoding.UTF8.GetByteCount(BodyMarkdown);
            if (bytes > MaxBodyBytes)
            {
                errors["Body"] = $"The body is {bytes / 1024} KB; the limit is {MaxBodyBytes / 1024} KB. Split it into more than one article.";
            }

            if (ReferenceInput.Problem(References, PlainText.Headings(BodyMarkdown)) is { } referenceProblem)
            {
                errors["References"] = referenceProblem;
            }
        }
        else
        {
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < Flags.Count; i++)
            {
                var flag = Flags[i];
                if (string.IsNullOrWhiteSpace(flag.Symptom))
                {
                    errors[$"Flags[{i}].Symptom"] = "Enter the symptom.";
                }
                else if (flag.Symptom.Trim().Length > MaxFlagTextLength)
                {
                    errors[$"Flags[{i}].Symptom"] = $"The symptom is longer than {MaxFlagTextLength} characters.";
                }
                else if (seen.TryGetValue(flag.Symptom.Trim(), out var first))
                {
                    errors[$"Flags[{i}].Symptom"] = $"This symptom is already red flag {first + 1}.";
                }
                else
                {
                    seen[flag.Symptom.Trim()] = i;
                }

                if (string.IsNullOrWhiteSpace(flag.Advice))
                {
                    errors[$"Flags[{i}].Advice"] = "Enter the advice for this symptom.";
                }
                else if (flag.Advice.Trim().Length > MaxFlagTextLength)
                {
                    errors[$"Flags[{i}].Advice"] = $"The advice is longer than {MaxFlagTextLength} characters.";
                }

                if (!TryParseUrgency(flag.Urgency, out _))
                {
                    errors[$"Flags[{i}].Urgency"] = "Choose emergency, urgent or routine.";
                }

                if (ClinicalCodeInput.Problem(flag.Codes) is { } flagCodeProblem)
                {
                    errors[$"Flags[{i}].Codes"] = flagCodeProblem;
                }
            }
        }

        return errors;
    }

    /// <summary>Before → after, field by field, for the audit trail. Long text is summarised by length.</summary>
    public string DescribeChangesFrom(VersionContent before)
    {
        var changes = new List<string>();
        void Field(string name, string old, string now)
        {
            if (old == now)
            {
                return;
            }

            changes.Add(old.Length + now.Length <= 160 ? $"{name}: \"{old}\" → \"{now}\"" : $"{name}: changed ({old.Length} → {now.Length} characters)");
        }

        Field("Title", before.Title.Trim(), Title.Trim());
        Field("Summary", before.Summary.Trim(), Summary.Trim());
        Field("Body", before.BodyMarkdown.Replace("\r\n", "\n"), BodyMarkdown.Replace("\r\n", "\n"));
        var oldFlags = string.Join(" | ", before.Flags.Select(f => $"{f.Symptom.Trim()} ({f.Urgency.Trim().ToLowerInvariant()})"));
        var newFlags = string.Join(" | ", Flags.Select(f => $"{f.Symptom.Trim()} ({f.Urgency.Trim().ToLowerInvariant()})"));
        Field("Red flags", oldFlags, newFlags);
        if (!before.Flags.Select(f => f.Advice.Trim()).SequenceEqual(Flags.Select(f => f.Advice.Trim())))
        {
            changes.Add("Red-flag advice changed");
        }

        Field("Codes", ClinicalCodes.Text(before.Codes), ClinicalCodes.Text(Codes));
        // As stored: a choice for a heading the body no longer has is dropped, and that is the change to record.
        Field("Health aspects", HealthAspects.Text(HealthAspects.Normalized(before.Aspects, before.BodyMarkdown)), HealthAspects.Text(HealthAspects.Normalized(Aspects, BodyMarkdown)));
        if (!before.Flags.Select(f => ClinicalCodes.Text(f.Codes)).SequenceEqual(Flags.Select(f => ClinicalCodes.Text(f.Codes))))
        {
            changes.Add("Red-flag codes changed");
        }

        return changes.Count == 0 ? "No content change" : string.Join("; ", changes);
    }

    public static bool TryParseUrgency(string? text, out Urgency urgency)
    {
        // Exact names only: Enum.TryParse would accept numbers and OR a list like "emergency,urgent".
        var name = Enum.GetNames<Urgency>().FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        urgency = name is null ? default : Enum.Parse<Urgency>(name);
        return name is not null;
    }
}

/// <summary>A red flag as typed: urgency still text, so a bad value can be shown back to the editor.</summary>
public sealed record RedFlagInput(string Symptom, string Advice, string Urgency)
{
    /// <summary>What the symptom is, as parsed from the flag's Codes field.</summary>
    public IReadOnlyList<ClinicalCode> Codes { get; init; } = [];
}

public static partial class Slug
{
    public const int MaxLength = 100;

    [GeneratedRegex(@"\A[a-z0-9]+(?:-[a-z0-9]+)*\z")] // \z: $ would accept a trailing newline
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();

    public static string? Problem(string? slug) =>
        string.IsNullOrWhiteSpace(slug) ? "Enter a slug."
        : slug.Length > MaxLength ? $"The slug is longer than {MaxLength} characters."
        : !Pattern().IsMatch(slug) ? "Use lower-case letters, digits and single hyphens, like lower-back-pain."
        : null;

    /// <summary>The refusal for a slug another document uses (slugs are unique: feed readers look items up by them).</summary>
    public static string Taken(string slug) => $"The slug \"{slug}\" is already used by another document. Choose another.";

    /// <summary>A slug suggested from a title: "Back pain: at night" → "back-pain-at-night".</summary>
    public static string Suggest(string title)
    {
        var ascii = new string(title.Normalize(NormalizationForm.FormD)
            .Where(c => char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark).ToArray());
        var slug = NotSlug().Replace(ascii.ToLowerInvariant(), "-").Trim('-');
        return slug.Length > MaxLength ? slug[..MaxLength].TrimEnd('-') : slug;
    }
}

/// <summary>SHA-256 over a canonical form of the signed content, so any change to it shows.</summary>
public static class ContentHash
{
    // The canonical form is JSON with a fixed shape: every string is quoted and escaped, so no text
    // can move from one field to another without changing the hash.
    // References, codes and health aspects join the form only when there are some, so versions hashed before they existed
    // keep their hash (and the signatures made over it stay valid).
    public static string Of(DocumentKind kind, string title, string summary, string body, IEnumerable<RedFlag> flags, IEnumerable<ArticleReference>? references = null, IEnumerable<ClinicalCode>? codes = null, IEnumerable<SectionAspect>? aspects = null)
    {
        var chosen = aspects?.Select(a => new CanonicalAspect(a.Heading, HealthAspects.Name(a.Aspect))).ToList();
        var cited = references?.OrderBy(r => r.Position).Select(r => new CanonicalReference(r.Position, r.Source, r.Link, r.Section)).ToList();
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new CanonicalContent(
            kind.ToString(),
            title,
            summary,
            body,
            flags.OrderBy(f => f.Position).Select(f => new CanonicalFlag(f.Position, f.Symptom, f.Advice, f.Urgency.ToString(), Canonical(f.Codes))).ToList(),
            cited is { Count: > 0 } ? cited : null)
        {
            Codes = Canonical(codes),
            Aspects = chosen is { Count: > 0 } ? chosen : null,
        });
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    private sealed record CanonicalContent(
        string Kind,
        string Title,
        string Summary,
        string Body,
        List<CanonicalFlag> Flags,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<CanonicalReference>? References)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public List<CanonicalCode>? Codes { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public List<CanonicalAspect>? Aspects { get; init; }
    }

    private sealed record CanonicalAspect(string Heading, string Aspect);

    // A section joins a reference's form only when there is one, so references hashed before sections existed keep their hash.
    private sealed record CanonicalReference(
        int Position,
        string Source,
        string Link,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Section);

    private sealed record CanonicalFlag(
        int Position,
        string Symptom,
        string Advice,
        string Urgency,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<CanonicalCode>? Codes);

    private sealed record CanonicalCode(string System, string Code, string Display);

    private static List<CanonicalCode>? Canonical(IEnumerable<ClinicalCode>? codes)
    {
        var list = codes?.Select(c => new CanonicalCode(c.System, c.Code, c.Display)).ToList();
        return list is { Count: > 0 } ? list : null;
    }
}
