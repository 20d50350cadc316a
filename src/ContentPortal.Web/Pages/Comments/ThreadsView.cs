using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Comments;

/// <summary>What the _Threads partial shows: a document's review threads and where new comments attach.</summary>
public sealed class ThreadsView
{
    public required Guid DocumentId { get; init; }

    public required Guid VersionId { get; init; }

    public required int VersionNumber { get; init; }

    /// <summary>What a new comment can point at: a paragraph or a red flag of this version.</summary>
    public required IReadOnlyList<(string Value, string Label)> Anchors { get; init; }

    public required IReadOnlyList<ReviewThread> Threads { get; init; }

    /// <summary>Where a plain (non-htmx) form post returns to.</summary>
    public required string ReturnUrl { get; init; }

    public string? Message { get; set; }

    public string? Error { get; set; }

    public static async Task<ThreadsView> LoadAsync(PortalDbContext db, Document document, DocumentVersion version, string returnUrl)
    {
        var threads = await db.ReviewThreads.AsNoTracking()
            .Where(t => t.DocumentId == document.Id)
            .ToListAsync();
        return new ThreadsView
        {
            DocumentId = document.Id,
            VersionId = version.Id,
            VersionNumber = version.Number,
            Anchors = AnchorsOf(version),
            // Open threads first, newest version first, so the editor sees what to act on.
            Threads = threads.OrderBy(t => t.IsResolved).ThenByDescending(t => t.VersionNumber).ThenBy(t => t.Messages.Min(m => m.At)).ToList(),
            ReturnUrl = returnUrl,
        };
    }

    public static IReadOnlyList<(string Value, string Label)> AnchorsOf(DocumentVersion version)
    {
        if (version.Kind == DocumentKind.RedFlagList)
        {
            return version.Flags.OrderBy(f => f.Position).Select(f => ($"flag{f.Position}", $"Red flag {f.Position}: {Short(f.Symptom)}")).ToList();
        }

        return Paragraphs(version.BodyMarkdown).Select((text, i) => ($"p{i + 1}", $"Paragraph {i + 1}: {Short(text)}")).ToList();
    }

    public static string? AnchorLabel(DocumentVersion version, string? anchor) =>
        anchor is null ? null : AnchorsOf(version).FirstOrDefault(a => a.Value == anchor).Label;

    private static IEnumerable<string> Paragraphs(string markdown) =>
        markdown.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Short(string text)
    {
        var flat = text.Replace('\n', ' ').Trim();
        return flat.Length <= 60 ? flat : flat[..57] + "…";
    }
}
