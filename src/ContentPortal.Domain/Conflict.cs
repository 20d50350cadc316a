namespace ContentPortal.Domain;

/// <summary>One field where the stored draft and the editor's typed copy differ.</summary>
public sealed record FieldConflict(string Field, string Label, string Theirs, string Mine);

/// <summary>
/// A save based on an older revision than the stored draft: someone else saved in between. Lists the
/// fields where their saved text and the editor's typed text differ, so the editor can merge, take
/// theirs, or keep theirs/mine field by field. Nothing is lost: both texts are in here.
/// </summary>
public sealed record DraftConflict(int BasedOnRevision, int CurrentRevision, string TheirName, DateTime TheirSavedAt, IReadOnlyList<FieldConflict> Fields)
{
    public static readonly IReadOnlyList<(string Field, string Label)> FieldLabels =
    [
        ("Title", "Title"), ("Summary", "Summary"), ("Body", "Body"), ("References", "References"), ("Codes", "Codes"), ("Aspects", "Health aspects"), ("Flags", "Red flags"),
    ];

    /// <summary>True when the typed copy was based on an older revision than the stored one.</summary>
    public static bool IsStale(int basedOnRevision, int currentRevision) => basedOnRevision != currentRevision;

    /// <summary>
    /// The conflict between the stored draft and the editor's copy (content and change note), or null when the copy is current.
    /// </summary>
    public static DraftConflict? Check(DocumentVersion draft, int basedOnRevision, VersionContent mine, string? myChangeNote)
    {
        if (!IsStale(basedOnRevision, draft.Revision))
        {
            return null;
        }

        return new DraftConflict(basedOnRevision, draft.Revision, draft.UpdatedByName, draft.UpdatedAt, Differences(draft, mine, myChangeNote));
    }

    /// <summary>The fields where the stored draft and the editor's copy differ, the change note last.</summary>
    public static IReadOnlyList<FieldConflict> Differences(DocumentVersion draft, VersionContent mine, string? myChangeNote)
    {
        var fields = Differences(draft.Kind, draft.CurrentContent(), mine).ToList();
        var (theirNote, myNote) = ((draft.ChangeNote ?? "").Trim(), (myChangeNote ?? "").Trim());
        if (!string.Equals(theirNote, myNote, StringComparison.Ordinal))
        {
            fields.Add(new FieldConflict("ChangeNote", "Change note", theirNote, myNote));
        }

        return fields;
    }

    /// <summary>True when both texts are already the same everywhere: saving mine changes nothing of theirs.</summary>
    public bool TextsAgree => Fields.Count == 0;

    /// <summary>The fields (in the editor's order) where <paramref name="theirs"/> and <paramref name="mine"/> differ, as text.</summary>
    public static IReadOnlyList<FieldConflict> Differences(DocumentKind kind, VersionContent theirs, VersionContent mine)
    {
        var conflicts = new List<FieldConflict>();
        foreach (var (field, label) in FieldLabels)
        {
            if ((field == "Body" || field == "References" || field == "Aspects") && kind != DocumentKind.Article || field == "Flags" && kind != DocumentKind.RedFlagList)
            {
                continue;
            }

            var (a, b) = (TextOf(theirs, field), TextOf(mine, field));
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                conflicts.Add(new FieldConflict(field, label, a, b));
            }
        }

        return conflicts;
    }

    /// <summary>The editor's copy with one field taken from theirs: the building block of a merge.</summary>
    public static VersionContent TakeField(VersionContent mine, VersionContent theirs, string field) => field switch
    {
        "Title" => mine with { Title = theirs.Title },
        "Summary" => mine with { Summary = theirs.Summary },
        "Body" => mine with { BodyMarkdown = theirs.BodyMarkdown },
        "References" => mine with { References = theirs.References },
        "Codes" => mine with { Codes = theirs.Codes },
        "Aspects" => mine with { Aspects = theirs.Aspects },
        "Flags" => mine with { Flags = theirs.Flags },
        "ChangeNote" => mine, // not content: the page takes the change note itself
        _ => throw new RefusedException($"There is no field called {field} to take."),
    };

    /// <summary>A field as comparable text: trimmed, with \n line ends (what a save would store).</summary>
    public static string TextOf(VersionContent content, string field) => field switch
    {
        "Title" => content.Title.Trim(),
        "Summary" => content.Summary.Trim(),
        "Body" => content.BodyMarkdown.Replace("\r\n", "\n"),
        "References" => ReferenceInput.ToLines(content.References.Select(r => new ReferenceInput(r.Source.Trim(), r.Link.Trim()))),
        "Codes" => ClinicalCodes.Text(content.Codes),
        "Aspects" => HealthAspects.Text(content.Aspects),
        "Flags" => string.Join("\n", content.Flags.Select((f, i) => $"{i + 1}. [{f.Urgency.Trim().ToLowerInvariant()}] {f.Symptom.Trim()}: {f.Advice.Trim()}"
            + (f.Codes.Count > 0 ? $" (codes: {string.Join("; ", ClinicalCodes.Normalized(f.Codes).Select(c => c.ToLine()))})" : ""))),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown field."),
    };
}
