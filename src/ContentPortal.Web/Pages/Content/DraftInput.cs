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
    };
}

public sealed class FlagInput
{
    public string? Symptom { get; set; }

    public string? Advice { get; set; }

    public string? Urgency { get; set; }

    /// <summary>The flag's codes, one per line like the document's Codes field.</summary>
    public string? Codes { get; set; }
}
