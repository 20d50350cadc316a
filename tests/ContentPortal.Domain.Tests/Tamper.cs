using System.Reflection;

namespace ContentPortal.Domain.Tests;

/// <summary>
/// Simulates changes nothing public can make (a row edited in the database): sets a property through
/// its private setter.
/// </summary>
internal static class Tamper
{
    public static void Set<T>(T target, string property, object? value)
        where T : notnull
    {
        var info = typeof(T).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"{typeof(T).Name} has no property {property}.", nameof(property));
        info.SetValue(target, value);
    }

    /// <summary>An aggregate's private list, as a database edit would reach it (no domain method allows this).</summary>
    public static List<TItem> List<TItem>(object target, string field) =>
        (List<TItem>)(target.GetType().GetField(field, BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(target)
            ?? throw new ArgumentException($"{target.GetType().Name} has no field {field}.", nameof(field)));
}

/// <summary>Builders for the sign-off tests: versions with an approved (fully reviewed) predecessor.</summary>
internal static class SignOff
{
    public static SignOffPolicy Requiring(int count) => new(count);

    /// <summary>Distinct reviewers who never edited anything: "reviewer-a1" … with names "Reviewer A1" ….</summary>
    public static Actor ReviewerNo(int n) => People.Reviewer($"reviewer-a{n}", $"Reviewer A{n}");

    /// <summary>v1 approved with a full review at minute 2, v2 (retitled by <see cref="Docs.Author"/>) in review.</summary>
    public static Document WithSecondVersionInReview(out DocumentVersion v2, int minute = 10)
    {
        var document = Docs.Approved();
        v2 = document.OpenDraft(Docs.Author, Clock.At(minute), out _);
        document.Edit(v2, Contents.Article(title: "Lower back pain in adults"), "Retitled", v2.Revision, Docs.Author, Clock.At(minute + 1));
        document.Submit(v2, null, Docs.Author, Clock.At(minute + 2));
        return document;
    }
}
