using DiffPlex;

namespace ContentPortal.Domain;

public enum DiffKind
{
    Same,
    Inserted,
    Deleted,
}

/// <summary>A run of text that is the same in both versions, only in the newer one, or only in the older one.</summary>
public sealed record DiffSegment(DiffKind Kind, string Text);

/// <summary>Word-level differences between two texts (DiffPlex's differ over words, spaces and punctuation).</summary>
public static class WordDiff
{
    public static IReadOnlyList<DiffSegment> Between(string before, string after)
    {
        var result = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, WordsAndSpaces.Instance);
        var segments = new List<DiffSegment>();
        var next = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(segments, DiffKind.Same, result.PiecesOld, next, block.DeleteStartA - next);
            Add(segments, DiffKind.Deleted, result.PiecesOld, block.DeleteStartA, block.DeleteCountA);
            Add(segments, DiffKind.Inserted, result.PiecesNew, block.InsertStartB, block.InsertCountB);
            next = block.DeleteStartA + block.DeleteCountA;
        }

        Add(segments, DiffKind.Same, result.PiecesOld, next, result.PiecesOld.Count - next);
        return segments;
    }

    private static void Add(List<DiffSegment> segments, DiffKind kind, IReadOnlyList<string> pieces, int start, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var text = string.Concat(pieces.Skip(start).Take(count));
        if (segments.Count > 0 && segments[^1].Kind == kind)
        {
            segments[^1] = new DiffSegment(kind, segments[^1].Text + text);
        }
        else
        {
            segments.Add(new DiffSegment(kind, text));
        }
    }

    /// <summary>
    /// Splits into runs of letters/digits, runs of whitespace (line ends included) and single other
    /// characters, so the pieces put back together are exactly the text and a changed word shows alone.
    /// </summary>
    private sealed class WordsAndSpaces : IChunker
    {
        public static readonly WordsAndSpaces Instance = new();

        public IReadOnlyList<string> Chunk(string text)
        {
            var pieces = new List<string>();
            var start = 0;
            while (start < text.Length)
            {
                var end = start + 1;
                var kind = KindOf(text[start]);
                if (kind != 2)
                {
                    while (end < text.Length && KindOf(text[end]) == kind)
                    {
                        end++;
                    }
                }

                pieces.Add(text[start..end]);
                start = end;
            }

            return pieces;
        }

        private static int KindOf(char c) => char.IsLetterOrDigit(c) || c == '\'' ? 0 : char.IsWhiteSpace(c) ? 1 : 2;
    }
}

public enum FlagChange
{
    Unchanged,
    Added,
    Removed,
    Changed,
    Moved,
}

/// <summary>How one red flag differs between two versions. Positions are 1-based; null where the flag is absent.</summary>
public sealed record FlagDiff(
    FlagChange Change,
    int? Before,
    int? After,
    RedFlagInput? Old,
    RedFlagInput? New,
    IReadOnlyList<DiffSegment> Symptom,
    IReadOnlyList<DiffSegment> Advice)
{
    public bool UrgencyChanged => Old is not null && New is not null && !string.Equals(Old.Urgency, New.Urgency, StringComparison.OrdinalIgnoreCase);

    /// <summary>The flag's codes before and after, word by word (empty when neither side has codes).</summary>
    public IReadOnlyList<DiffSegment> Codes =>
        (Old?.Codes.Count ?? 0) == 0 && (New?.Codes.Count ?? 0) == 0 ? [] : WordDiff.Between(ClinicalCodes.Text(Old?.Codes), ClinicalCodes.Text(New?.Codes));

    public bool CodesChanged => Old is not null && New is not null && ClinicalCodes.Text(Old.Codes) != ClinicalCodes.Text(New.Codes);
}

/// <summary>One text field's word-level differences.</summary>
public sealed record FieldDiff(string Field, string Label, IReadOnlyList<DiffSegment> Segments)
{
    public bool Changed => Segments.Any(s => s.Kind != DiffKind.Same);
}

/// <summary>What changed between two versions' content: text fields word by word, red flags flag by flag.</summary>
public sealed record ContentComparison(DocumentKind Kind, IReadOnlyList<FieldDiff> Fields, IReadOnlyList<FlagDiff> Flags)
{
    public bool HasChanges => Fields.Any(f => f.Changed) || Flags.Any(f => f.Change != FlagChange.Unchanged);

    public static ContentComparison Of(DocumentKind kind, VersionContent before, VersionContent after)
    {
        var fields = new List<FieldDiff>();
        foreach (var (field, label) in DraftConflict.FieldLabels)
        {
            if ((field == "Body" || field == "References" || field == "Aspects") && kind != DocumentKind.Article || field == "Flags")
            {
                continue;
            }

            // Codes and health aspects are shown once either side has some, so comparisons of uncoded versions look as they always did.
            if (field == "Codes" && before.Codes.Count == 0 && after.Codes.Count == 0
                || field == "Aspects" && before.Aspects.Count == 0 && after.Aspects.Count == 0)
            {
                continue;
            }

            fields.Add(new FieldDiff(field, label, WordDiff.Between(DraftConflict.TextOf(before, field), DraftConflict.TextOf(after, field))));
        }

        var flags = kind == DocumentKind.RedFlagList ? CompareFlags(before.Flags, after.Flags) : [];
        return new ContentComparison(kind, fields, flags);
    }

    /// <summary>
    /// A flag is the same flag when its symptom is the same (ignoring case); left-over flags at the same
    /// position are one flag that was reworded. Kept flags outside every longest run still in order were moved.
    /// </summary>
    public static IReadOnlyList<FlagDiff> CompareFlags(IReadOnlyList<RedFlagInput> before, IReadOnlyList<RedFlagInput> after)
    {
        var pairOf = new int?[after.Count]; // after index → before index
        var taken = new bool[before.Count];
        for (var j = 0; j < after.Count; j++)
        {
            for (var i = 0; i < before.Count; i++)
            {
                if (!taken[i] && string.Equals(before[i].Symptom.Trim(), after[j].Symptom.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    (pairOf[j], taken[i]) = (i, true);
                    break;
                }
            }
        }

        for (var j = 0; j < after.Count; j++)
        {
            if (pairOf[j] is null && j < before.Count && !taken[j])
            {
                (pairOf[j], taken[j]) = (j, true);
            }
        }

        var inOrder = InEveryLongestRun(pairOf);
        var diffs = new List<(double Order, FlagDiff Diff)>();
        for (var j = 0; j < after.Count; j++)
        {
            var now = after[j];
            if (pairOf[j] is not { } i)
            {
                diffs.Add((j, new FlagDiff(FlagChange.Added, null, j + 1, null, now, [new DiffSegment(DiffKind.Inserted, now.Symptom)], [new DiffSegment(DiffKind.Inserted, now.Advice)])));
                continue;
            }

            var was = before[i];
            var symptom = WordDiff.Between(was.Symptom.Trim(), now.Symptom.Trim());
            var advice = WordDiff.Between(was.Advice.Trim(), now.Advice.Trim());
            var reworded = symptom.Any(s => s.Kind != DiffKind.Same) || advice.Any(s => s.Kind != DiffKind.Same)
                || !string.Equals(was.Urgency.Trim(), now.Urgency.Trim(), StringComparison.OrdinalIgnoreCase)
                || ClinicalCodes.Text(was.Codes) != ClinicalCodes.Text(now.Codes);
            var change = reworded ? FlagChange.Changed : inOrder.Contains(j) ? FlagChange.Unchanged : FlagChange.Moved;
            diffs.Add((j, new FlagDiff(change, i + 1, j + 1, was, now, symptom, advice)));
        }

        for (var i = 0; i < before.Count; i++)
        {
            if (!taken[i])
            {
                var was = before[i];
                diffs.Add((i - 0.5, new FlagDiff(FlagChange.Removed, i + 1, null, was, null, [new DiffSegment(DiffKind.Deleted, was.Symptom)], [new DiffSegment(DiffKind.Deleted, was.Advice)])));
            }
        }

        return diffs.OrderBy(d => d.Order).Select(d => d.Diff).ToList();
    }

    /// <summary>
    /// The after-indexes of the kept flags that are in every longest run whose old positions still increase.
    /// A flag in only some of those runs is moved: when two neighbours swap (one moved up a place, or the
    /// other down), both changed places and the comparison cannot tell which the editor moved, so it shows
    /// both rather than call the moved one unchanged.
    /// </summary>
    private static HashSet<int> InEveryLongestRun(int?[] pairOf)
    {
        var kept = Enumerable.Range(0, pairOf.Length).Where(j => pairOf[j] is not null).Select(j => (After: j, Before: pairOf[j]!.Value)).ToList();
        var ending = new int[kept.Count]; // longest run ending at k
        var starting = new int[kept.Count]; // longest run starting at k
        for (var k = 0; k < kept.Count; k++)
        {
            ending[k] = 1 + Enumerable.Range(0, k).Where(m => kept[m].Before < kept[k].Before).Select(m => ending[m]).DefaultIfEmpty(0).Max();
        }

        for (var k = kept.Count - 1; k >= 0; k--)
        {
            starting[k] = 1 + Enumerable.Range(k + 1, kept.Count - k - 1).Where(m => kept[m].Before > kept[k].Before).Select(m => starting[m]).DefaultIfEmpty(0).Max();
        }

        var longest = ending.DefaultIfEmpty(0).Max();
        var onSomeRun = Enumerable.Range(0, kept.Count).Where(k => ending[k] + starting[k] - 1 == longest).ToList();

        // Every longest run takes exactly one flag at each step; a step only one flag can fill is in all of them.
        return onSomeRun.GroupBy(k => ending[k]).Where(step => step.Count() == 1).Select(step => kept[step.Single()].After).ToHashSet();
    }
}
