using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace ContentPortal.Domain;

/// <summary>
/// What a section of an article is about, as schema.org's <c>HealthAspectEnumeration</c> names it (release 30.0,
/// every member; the member is <c>https://schema.org/{name}HealthAspect</c>). The feed uses the short name.
/// </summary>
public enum HealthAspect
{
    Allergies,
    Benefits,
    Causes,
    Contagiousness,
    Effectiveness,
    GettingAccess,
    HowItWorks,
    HowOrWhere,
    Ingredients,
    LivingWith,
    MayTreat,
    Misconceptions,
    Overview,
    PatientExperience,
    Pregnancy,
    Prevention,
    Prognosis,
    RelatedTopics,
    RisksOrComplications,
    Safety,
    Screening,
    SeeDoctor,
    SelfCare,
    SideEffects,
    Stages,
    Symptoms,
    Treatments,
    Types,
    UsageOrSchedule,
}

/// <summary>
/// The health aspect an editor chose for one section of an article. <paramref name="Heading"/> is the section's
/// heading as plain text (<see cref="HealthAspects.SectionHeadings"/>); empty for the text before the first heading.
/// </summary>
public sealed record SectionAspect(string Heading, HealthAspect Aspect);

/// <summary>
/// Health aspects of an article's sections: the names, the suggestion from a heading's words, and how chosen aspects
/// follow the body. Choices are keyed by heading text, so a section keeps its aspect when headings are reordered;
/// a renamed or removed heading's choice is dropped (the new heading gets a suggestion, which is not a choice).
/// </summary>
public static partial class HealthAspects
{
    public static IReadOnlyList<HealthAspect> All { get; } = Enum.GetValues<HealthAspect>();

    /// <summary>The short name the feed uses ("Treatments").</summary>
    public static string Name(HealthAspect aspect) => aspect.ToString();

    /// <summary>The schema.org member as a URL ("https://schema.org/TreatmentsHealthAspect").</summary>
    public static string SchemaOrgUrl(HealthAspect aspect) => $"https://schema.org/{aspect}HealthAspect";

    /// <summary>The schema.org member's name ("TreatmentsHealthAspect"): FHIR's code in the https://schema.org system.</summary>
    public static string SchemaOrgCode(HealthAspect aspect) => $"{aspect}HealthAspect";

    /// <summary>For people: "Risks or complications", "See doctor".</summary>
    public static string Label(HealthAspect aspect)
    {
        var words = Words().Replace(aspect.ToString(), " $1").Trim();
        return words[0] + words[1..].ToLowerInvariant();
    }

    /// <summary>An exact short name, any case ("treatments"); numbers and lists are not names.</summary>
    public static bool TryParse(string? text, out HealthAspect aspect)
    {
        var name = Enum.GetNames<HealthAspect>().FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        aspect = name is null ? default : Enum.Parse<HealthAspect>(name);
        return name is not null;
    }

    /// <summary>
    /// The aspect a heading's words suggest, or null when they suggest none. The text before the first heading is the
    /// Overview. The first rule that matches wins, so "When to get help for back pain treatments" is about seeing a doctor.
    /// </summary>
    public static HealthAspect? Suggest(string heading)
    {
        if (string.IsNullOrWhiteSpace(heading))
        {
            return HealthAspect.Overview;
        }

        var words = heading.ToLowerInvariant();
        foreach (var (pattern, aspect) in Rules)
        {
            if (pattern.IsMatch(words))
            {
                return aspect;
            }
        }

        return null;
    }

    // Word starts, so "cause" finds "causes" and "caused". Urgent advice comes first: it must never read as a treatment.
    private static readonly (Regex Pattern, HealthAspect Aspect)[] Rules =
    [
        (Rule(@"urgent|emergenc|get help|getting help|get medical|(see|talk (with|to)|speak (with|to)|contact|ring) (a|your) (gp|doctor|pharmacist|nurse|midwife)|when to (see|talk|speak|contact|call)|call 999|call 111|\b111\b|\b999\b|a&e|non-urgent advice|ask for"), HealthAspect.SeeDoctor),
        (Rule(@"side effect"), HealthAspect.SideEffects),
        (Rule(@"caus|why (do|does|is|am|are|you|it)|what makes|triggers?\b"), HealthAspect.Causes),
        (Rule(@"symptom|signs?\b|check if|how to tell|how do i know"), HealthAspect.Symptoms),
        (Rule(@"prevent|avoid|reduce (your|the) risk|stop(ping)? it (coming|happening)|lower (your|the) risk"), HealthAspect.Prevention),
        (Rule(@"self[- ]?care|things you can do|what you can do|at home|yourself|look after"), HealthAspect.SelfCare),
        (Rule(@"treat|ease|easing|relie|manag|medicine|medication|painkiller|therap|surgery|operation|cure"), HealthAspect.Treatments),
        (Rule(@"risk|complication"), HealthAspect.RisksOrComplications),
        (Rule(@"living with|coping|cope|life with|day to day"), HealthAspect.LivingWith),
        (Rule(@"myth|misconception|is it true"), HealthAspect.Misconceptions),
        (Rule(@"pregnan|breastfeed"), HealthAspect.Pregnancy),
        (Rule(@"outlook|prognos|recover|how long"), HealthAspect.Prognosis),
        (Rule(@"screening|diagnos|tests?\b"), HealthAspect.Screening),
        (Rule(@"stages?\b"), HealthAspect.Stages),
        (Rule(@"types? of|kinds? of|\btypes\b"), HealthAspect.Types),
        (Rule(@"how (to take|much|often)|dosage|\bdoses?\b|when to take"), HealthAspect.UsageOrSchedule),
        (Rule(@"how it works|how does it work"), HealthAspect.HowItWorks),
        (Rule(@"stories|experience"), HealthAspect.PatientExperience),
        (Rule(@"overview|about|what is|what are|introduction|summary"), HealthAspect.Overview),
        (Rule(@"related|see also|more information"), HealthAspect.RelatedTopics),
    ];

    private static Regex Rule(string words) => new(@"(?<![a-z])(" + words + ")", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();

    /// <summary>
    /// The headings of the sections an article's body splits into, as the feed splits it (level 1 and 2 headings at the
    /// top level; "" first when there is text before the first heading), in order; a repeated heading once.
    /// </summary>
    public static IReadOnlyList<string> SectionHeadings(string markdown)
    {
        var body = markdown ?? "";
        var headings = PlainText.Parse(body).OfType<HeadingBlock>().Where(h => h.Level <= 2).ToList();
        var list = new List<string>();
        var intro = body[..(headings.Count > 0 ? headings[0].Span.Start : body.Length)];
        if (!string.IsNullOrWhiteSpace(intro))
        {
            list.Add("");
        }

        list.AddRange(headings.Select(SectionKey));
        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A section heading's key: its plain text (the feed finds a section's aspect by it).</summary>
    public static string SectionKey(HeadingBlock heading) => PlainText.InlineText(heading);

    /// <summary>
    /// The choices that still fit the body, in its order: one per section heading that exists, the first choice for
    /// a heading given twice. A choice for a heading no longer there is dropped.
    /// </summary>
    public static IReadOnlyList<SectionAspect> Normalized(IEnumerable<SectionAspect> aspects, string markdown)
    {
        var chosen = new Dictionary<string, HealthAspect>(StringComparer.Ordinal);
        foreach (var aspect in aspects)
        {
            chosen.TryAdd(aspect.Heading.Trim(), aspect.Aspect);
        }

        if (chosen.Count == 0)
        {
            return []; // nothing chosen: no need to read the headings (a seed import of 100,000 saves a Markdown parse each)
        }

        return SectionHeadings(markdown).Where(chosen.ContainsKey).Select(h => new SectionAspect(h, chosen[h])).ToList();
    }

    /// <summary>The choices as text, one "Heading: Aspect" per line, for diffs, conflicts and the audit line.</summary>
    public static string Text(IEnumerable<SectionAspect>? aspects) =>
        string.Join("\n", (aspects ?? []).Select(a => $"{(a.Heading.Length > 0 ? a.Heading : IntroName)}: {Label(a.Aspect)}"));

    /// <summary>How the editor and the diff name the text before the first heading.</summary>
    public const string IntroName = "(before the first heading)";
}
