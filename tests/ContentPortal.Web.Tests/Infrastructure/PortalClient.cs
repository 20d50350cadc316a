using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>An HttpClient (cookies kept, redirects not followed) with the moves a person makes in the portal.</summary>
public sealed class PortalClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task LoginAsync(string email, string password = PortalFactory.Password)
    {
        var response = await TryLoginAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    public async Task<HttpResponseMessage> TryLoginAsync(string email, string password)
    {
        var login = await GetPageAsync("/Account/Login");
        return await PostFormAsync("/Account/Login", [new("Input.Email", email), new("Input.Password", password)], login.Token);
    }

    public async Task<HtmlPage> GetPageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(url);
        var page = await HtmlPage.ReadAsync(response);
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {expected}, got {(int)response.StatusCode} {response.StatusCode}. {page.Text[..Math.Min(page.Text.Length, 500)]}");
        return page;
    }

    /// <summary>
    /// A form post. The token goes in the <c>__RequestVerificationToken</c> field, or for htmx in the
    /// <c>RequestVerificationToken</c> header (as the layout's hx-headers sends it), with <c>HX-Request: true</c>.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string? token, bool htmx = false)
    {
        var body = fields.Where(f => f.Key != HtmlPage.TokenField).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
            if (token is not null)
            {
                request.Headers.Add("RequestVerificationToken", token);
            }
        }
        else if (token is not null)
        {
            body.Add(new(HtmlPage.TokenField, token));
        }

        request.Content = new FormUrlEncodedContent(body);
        return await Http.SendAsync(request);
    }

    /// <summary>Posts a form taken from a page, with its own token.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string url, FormData form, bool htmx = false) =>
        PostFormAsync(url, form.Fields, form.Token, htmx);

    public void Dispose() => Http.Dispose();
}

/// <summary>A response read as HTML: the text a person reads, field messages, forms and the antiforgery token.</summary>
public sealed partial class HtmlPage
{
    public const string TokenField = Tests.Infrastructure.Html.TokenField;

    private static readonly HtmlParser Parser = new();

    private HtmlPage(HttpResponseMessage response, string html)
    {
        Response = response;
        Html = html;
        Document = Parser.ParseDocument(html);
    }

    public HttpResponseMessage Response { get; }

    public string Html { get; }

    public IHtmlDocument Document { get; }

    /// <summary>The decoded text, whitespace collapsed, as a reader sees it.</summary>
    public string Text => Whitespace().Replace(Document.DocumentElement.TextContent, " ");

    /// <summary>The antiforgery token, as the brief's regex finds it in a page's forms.</summary>
    public string? Token => Tests.Infrastructure.Html.FindToken(Html);

    public static async Task<HtmlPage> ReadAsync(HttpResponseMessage response) =>
        new(response, await response.Content.ReadAsStringAsync());

    /// <summary>The message shown next to a field (<c>asp-validation-for</c>), or "" when there is none.</summary>
    public string FieldError(string field) =>
        Document.QuerySelector($"[data-valmsg-for=\"{field}\"]")?.TextContent.Trim()
        ?? throw new InvalidOperationException($"The page has no message slot for {field}.");

    /// <summary>The form-level error summary (<c>asp-validation-summary</c>).</summary>
    public string Summary => string.Join(" ", Document.QuerySelectorAll(".error-summary").Select(e => e.TextContent.Trim()));

    public FormData Form(string selector = "form[method=post]")
    {
        var form = Document.QuerySelector<IHtmlFormElement>(selector)
            ?? throw new InvalidOperationException($"No form {selector} on the page:\n{Text}");
        return FormData.From(form, Token);
    }

    /// <summary>The value of the named input, textarea or select anywhere on the page (null when absent).</summary>
    public string? FieldValue(string name) => Document.QuerySelector($"[name=\"{name}\"]") switch
    {
        IHtmlTextAreaElement textArea => textArea.Value,
        IHtmlInputElement input => input.Value,
        IHtmlSelectElement select => select.Value,
        _ => null,
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>The successful controls of a form, in order, as a browser would send them (minus buttons).</summary>
public sealed class FormData
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private readonly string? _pageToken;

    private FormData(List<KeyValuePair<string, string>> fields, string? pageToken)
    {
        _fields = fields;
        _pageToken = pageToken;
    }

    /// <summary>The form's own antiforgery token, else the page's.</summary>
    public string? Token => Get(HtmlPage.TokenField) ?? _pageToken;

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public static FormData From(IHtmlFormElement form, string? pageToken)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "submit" or "button" or "image" or "reset")
                    {
                        continue;
                    }

                    if (input.Type is "radio" or "checkbox" && !input.IsChecked)
                    {
                        continue;
                    }

                    fields.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlTextAreaElement textArea when !string.IsNullOrEmpty(textArea.Name):
                    fields.Add(new(textArea.Name!, textArea.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    var option = select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault();
                    fields.Add(new(select.Name!, option?.Value ?? ""));
                    break;
            }
        }

        return new FormData(fields, pageToken);
    }

    public string? Get(string name) => _fields.FirstOrDefault(f => f.Key == name) is { Key: not null } f ? f.Value : null;

    /// <summary>Sets a field as if typed (adds it when the form had none).</summary>
    public FormData Set(string name, string value)
    {
        var at = _fields.FindIndex(f => f.Key == name);
        if (at < 0)
        {
            _fields.Add(new(name, value));
        }
        else
        {
            _fields[at] = new(name, value);
        }

        return this;
    }

    /// <summary>Leaves a field out, as a forged or stale post would.</summary>
    public FormData Remove(string name)
    {
        _fields.RemoveAll(f => f.Key == name);
        return this;
    }

    public FormData Copy() => new([.. _fields], _pageToken);
}
