using System.Net;
using System.Text.RegularExpressions;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>
/// For tests that read raw HTML strings and post hand-built forms (rather than <see cref="HtmlPage"/> and
/// <see cref="FormData"/>): the antiforgery token, the editor's revision, a form body.
/// </summary>
public static partial class Html
{
    public const string TokenField = "__RequestVerificationToken";

    /// <summary>The antiforgery token of the first form on the page.</summary>
    public static string Token(string html) =>
        FindToken(html) ?? throw new InvalidOperationException("No antiforgery token on the page.");

    /// <summary>The antiforgery token of the first form on the page, or null when there is none.</summary>
    public static string? FindToken(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>The hidden Input.Revision the editor form carries.</summary>
    public static int Revision(string html) =>
        RevisionPattern().Match(html) is { Success: true } m ? int.Parse(m.Groups[1].Value) : throw new InvalidOperationException("No Input.Revision on the page.");

    /// <summary>A form body: the fields in order, then the token.</summary>
    public static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new(TokenField, token)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("id=\"Input_Revision\" name=\"Input.Revision\" value=\"(\\d+)\"")]
    private static partial Regex RevisionPattern();
}
