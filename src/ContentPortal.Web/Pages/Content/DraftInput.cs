using ContentPortal.Domain;

namespace ContentPortal.Web.Pages.Content;

/// <summary>The draft form as posted: every field is the editor's typed text, kept even when it is refused.</summary>
public sealed class DraftInput
{
    public string? Title { get; set; }

    public string? Summary { get; set; }

    public string? Body { get; set; }

    /// <summary>One citation per line: the source, then its link.</summary>
    public string? References { get; set; }

    /// <summary>One clinical code per line: system, code, display ("SNOMED 279039007 Low back pain").</summary>
    public string? Codes { get; set; }

    public string? ChangeNote { get; set; }

    /// <summary>The draft revision the form was based on; a save from an older one is a conflict.</summary>
    public int Revision { get; set; }

    public List<FlagInput> Flags { get; set; } = [];

    /// <summary>The health aspect chosen for each section heading; an empty aspect is none chosen (its suggestion is only shown).</summary>
    public List<AspectInput> Aspects { get; set; } = [];

    /// <summary>The editor pressed "Use the suggestions": every section without a choice takes its suggestion.</summary>
    public bool AcceptSuggestions { get; set; }

    /// <summary>The aspect chosen for a section heading, or null when none is.</summary>
    public HealthAspect? ChosenAspect(string heading) =>
        Aspects.FirstOrDefault(a => (a.Heading ?? "") == heading && HealthAspects.TryParse(a.Aspect, out _)) is { } row && HealthAspects.TryParse(row.Aspect, out var aspect) ? aspect : null;

    /// <summary>Makes every suggestion for a section without a choice a choice: the editor asked for it in so many words.</summary>
    public void TakeSuggestions()
    {
        foreach (var heading in HealthAspects.SectionHeadings(Body ?? ""))
        {
            if (ChosenAspect(heading) is null && HealthAspects.Suggest(heading) is { } suggested)
            {
                Aspects.RemoveAll(a => (a.Heading ?? "") == heading);
                Aspects.Add(new AspectInput { Heading = heading, Aspect = HealthAspects.Name(suggested) });
            }
        }
    }

    public static DraftInput From(DocumentVersion draft) => FromContent(draft.CurrentContent(), draft.ChangeNote, draft.Revision);

    public static DraftInput FromContent(VersionContent content, string? changeNote, int revision) => new()
    {
        Title = content.Title,
        Summary = content.Summary,
        Body = content.BodyMarkdown,
        References = ReferenceInput.ToLines(content.References),
        Codes = ClinicalCodeInput.ToLines(content.Codes),
        ChangeNote = changeNote,
        Revision = revision,
        Flags = content.Flags.Select(f => new FlagInput { Symptom = f.Symptom, Advice = f.Advice, Urgency = f.Urgency, Codes = ClinicalCodeInput.ToLines(f.Codes) }).ToList(),
        Aspects = content.Aspects.Select(a => new AspectInput { Heading = a.Heading, Aspect = HealthAspects.Name(a.Aspect) }).ToList(),
    };

    // Every row is kept, even an empty one, so a field error points at the row the editor sees.
    public VersionContent ToContent() => new(
        Title ?? "",
        Summary ?? "",
        Body ?? "",
        Flags.Select(f => new RedFlagInput(f.Symptom ?? "", f.Advice ?? "", f.Urgency ?? "") { Codes = ClinicalCodeInput.ParseLines(f.Codes) }).ToList())
    {
        References = ReferenceInput.ParseLines(References),
        Codes = ClinicalCodeInput.ParseLines(Codes),
        // Only the select's own values are choices; anything else (none chosen) is no choice.
        Aspects = Aspects.Where(a => HealthAspects.TryParse(a.Aspect, out _))
            .Select(a => new SectionAspect(a.Heading ?? "", HealthAspects.TryParse(a.Aspect, out var aspect) ? aspect : default)).ToList(),
    };
}

/// <summary>One section's row of the Health aspects field: its heading (hidden) and the aspect chosen ("" for none).</summary>
public sealed class AspectInput
{
    public string? Heading { get; set; }

    public string? Aspect { get; set; }
}

public sealed class FlagInput
{
    public string? Symptom { get; set; }

    public string? Advice { get; set; }

    public string? Urgency { get; set; }

    /// <summary>The flag's codes, one per line like the document's Codes field.</summary>
    public string? Codes { get; set; }
}
