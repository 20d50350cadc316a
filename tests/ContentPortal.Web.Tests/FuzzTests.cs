using System.Net;
using Xunit.Abstractions;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests;

/// <summary>
/// Every page handler and every API endpoint, found from the app's own routing (so a new page is fuzzed
/// without touching this file), gets malformed values: overlong, out of range, wrong type, invalid UTF-8,
/// dates at the ends of their type, missing. Nothing may answer 5xx.
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    // Sent raw (not percent-encoded again) so the server sees bytes that are not UTF-8.
    private const string InvalidUtf8 = "%FF%FE%C3%28%80";

    private static readonly string[] Values =
    [
        "",
        new string('x', 70_000),
        new string('\u00e9', 5_000) + "\u0000\ud83d",
        "-1",
        "0",
        "2147483648",
        "-99999999999999999999999",
        "1e400",
        "NaN",
        "abc",
        "00000000-0000-0000-0000-000000000000",
        "9999-12-31",
        "0001-01-01",
        "9999-12-31T23:59",
        "0001-01-01T00:00",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "http://169.254.169.254/latest/meta-data",
        InvalidUtf8,
    ];

    // Every string field gets one date and every number one offset: the combination that overflows.
    private static readonly string[] Dates = ["9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31", "0001-01-01"];
    private static readonly string[] Numbers = ["1080", "-1080", "2147483647", "-2147483648", "0"];

    // Handlers that end the fuzzing session itself; fuzzed with their own throwaway session.
    private static readonly HashSet<string> SessionEnders = ["/Account/Logout", "/Account/ChangePassword", "/Account/Login"];

    [Fact]
    public async Task No_page_handler_answers_5xx_to_malformed_input()
    {
        await using var factory = new PortalFactory();
        var failures = new List<string>();
        var ids = await RouteValuesAsync(factory);
        var handlers = await PageHandlersAsync(factory);
        Assert.True(handlers.Count > 30, $"Only {handlers.Count} handlers found.");
        var session = await Session.StartAsync(factory, PortalFactory.Admin);
        var requests = 0;
        var statuses = new SortedDictionary<string, int>();

        foreach (var handler in handlers)
        {
            var own = SessionEnders.Contains(handler.Page) ? await Session.StartAsync(factory, PortalFactory.Editor) : session;
            foreach (var route in handler.Routes(ids))
            {
                // Wrong route values and no fields at all.
                await CheckAsync(own, handler, route, [], htmx: false);
                await CheckAsync(own, handler, route, [], htmx: true);
            }

            var path = handler.Routes(ids).First();
            foreach (var value in Values)
            {
                // Every field at once.
                await CheckAsync(own, handler, path, handler.Fields.Select(f => (f.Name, value)).ToList(), htmx: false);
                // One field at a time, the others missing.
                foreach (var field in handler.Fields)
                {
                    await CheckAsync(own, handler, path, [(field.Name, value)], htmx: true);
                }
            }

            foreach (var date in Dates)
            {
                foreach (var number in Numbers)
                {
                    var fields = handler.Fields.Select(f => (f.Name, f.IsNumber ? number : f.IsText ? date : number)).ToList();
                    await CheckAsync(own, handler, path, fields, htmx: false);
                }
            }

            if (own != session)
            {
                own.Dispose();
            }

            // A handler may have changed the session (its account, its cookies): each handler starts afresh.
            session.Dispose();
            session = await Session.StartAsync(factory, PortalFactory.Admin);
        }

        output.WriteLine($"{handlers.Count} handlers, {requests} requests.");
        output.WriteLine(string.Join("\n", statuses.Select(s => $"{s.Key} ×{s.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));

        async Task CheckAsync(Session client, PageHandler handler, string path, List<(string Name, string Value)> fields, bool htmx)
        {
            requests++;
            var url = handler.Url(path);
            HttpResponseMessage response;
            if (handler.Method == "GET")
            {
                var query = Encode(fields);
                response = await client.Http.GetAsync(query.Length == 0 ? url : url + (url.Contains('?') ? "&" : "?") + query);
            }
            else
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url);
                if (htmx)
                {
                    request.Headers.Add("HX-Request", "true");
                    request.Headers.Add("RequestVerificationToken", client.Token);
                }

                var body = Encode(fields) + (htmx ? "" : "&" + HtmlPage.TokenField + "=" + Uri.EscapeDataString(client.Token));
                request.Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body.Replace("%FF%FE%C3%28%80", "\u00ff\u00fe\u00c3(\u0080")));
                request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
                response = await client.Http.SendAsync(request);
            }

            statuses[$"{handler.Method} {handler.Page} {handler.Name}: {(int)response.StatusCode}"] = statuses.GetValueOrDefault($"{handler.Method} {handler.Page} {handler.Name}: {(int)response.StatusCode}") + 1;
            // Cookies the browser cannot send back (over 8 KB together, even in chunks) break every later request (431).
            var bigCookie = response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Sum(c => c.Length) > 8192;
            if ((int)response.StatusCode >= 500 || bigCookie)
            {
                var shown = string.Join("&", fields.Select(f => $"{f.Name}={(f.Value.Length > 40 ? f.Value[..40] + "…" : f.Value)}"));
                failures.Add($"{handler.Method} {url} {(htmx ? "(htmx) " : "")}[{shown}] → {(int)response.StatusCode}{(bigCookie ? " with cookies over 8 KB" : "")}");
            }
        }
    }

    [Fact]
    public async Task No_api_endpoint_answers_5xx_to_malformed_input()
    {
        await using var factory = new PortalFactory();
        using var client = factory.NewClient();
        var failures = new List<string>();
        var ids = await RouteValuesAsync(factory);
        var patterns = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.TrimStart('/').StartsWith("api/"))
            .Distinct()
            .ToList();
        Assert.Contains(patterns, p => p.Contains("snapshots"));
        string[] verbs = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
        string[] queryKeys = ["page", "pageSize", "since", "id"];

        foreach (var pattern in patterns)
        {
            foreach (var value in Values.Append("1").Append("ankylosing-spondylitis"))
            {
                // The test server refuses a NUL in the path before the app sees it (Kestrel answers 400); it stays in the query.
                var path = "/" + RouteParameter().Replace(pattern.TrimStart('/'), _ => Escape(value.Replace("\u0000", "")));
                var query = string.Join("&", queryKeys.Select(k => k + "=" + Escape(value)));
                foreach (var verb in verbs)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(verb), path + "?" + query);
                    var response = await client.Http.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{verb} {pattern} with {(value.Length > 40 ? value[..40] : value)} → {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        _ = ids;
    }

    private static string Escape(string value) => value == InvalidUtf8 ? value : Uri.EscapeDataString(value);

    private static string Encode(IEnumerable<(string Name, string Value)> fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Escape(f.Value)));

    /// <summary>Ids that exist (a document, a version, a user, a snapshot) and ones that do not, for route values.</summary>
    private static Task<List<string>> RouteValuesAsync(PortalFactory factory) => factory.WithDbAsync(async db =>
    {
        var document = await db.Documents.AsNoTracking().OrderBy(d => d.Slug).FirstAsync();
        var version = await db.Documents.AsNoTracking().Where(d => d.Id == document.Id).Select(d => d.Versions.First().Id).FirstAsync();
        var user = await db.Users.AsNoTracking().Where(u => u.Email == PortalFactory.Editor2).Select(u => u.Id).FirstAsync();
        return new List<string> { document.Id.ToString(), version.ToString(), document.Slug, user, "1", "abc", new string('9', 400) };
    });

    private static async Task<List<PageHandler>> PageHandlersAsync(PortalFactory factory)
    {
        var loader = factory.Services.GetRequiredService<PageLoader>();
        var descriptors = factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<PageActionDescriptor>()
            .Where(d => d.AttributeRouteInfo?.Template is not null)
            .GroupBy(d => d.ViewEnginePath)
            .Select(g => g.First());
        var handlers = new List<PageHandler>();
        foreach (var descriptor in descriptors)
        {
            var page = await loader.LoadAsync(descriptor, EndpointMetadataCollection.Empty);
            var template = descriptor.AttributeRouteInfo!.Template!;
            foreach (var method in page.HandlerMethods)
            {
                var fields = new List<Field>();
                foreach (var property in page.BoundProperties)
                {
                    var supportsGet = property.BindingInfo?.RequestPredicate is null
                        || (property is PageBoundPropertyDescriptor p && p.Property.GetCustomAttribute<Microsoft.AspNetCore.Mvc.BindPropertyAttribute>()?.SupportsGet == true);
                    if (method.HttpMethod == "Get" && !supportsGet)
                    {
                        continue;
                    }

                    Expand(property.BindingInfo?.BinderModelName ?? property.Name, property.ParameterType, fields, 0);
                }

                foreach (var parameter in method.Parameters)
                {
                    Expand(parameter.BindingInfo?.BinderModelName ?? parameter.Name, parameter.ParameterType, fields, 0);
                }

                handlers.Add(new PageHandler(descriptor.ViewEnginePath, template, method.HttpMethod.ToUpperInvariant(), method.Name, fields.DistinctBy(f => f.Name).ToList()));
            }
        }

        return handlers.OrderBy(h => h.Page).ThenBy(h => h.Method).ThenBy(h => h.Name).ToList();
    }

    private static void Expand(string name, Type type, List<Field> fields, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string) || underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(decimal)
            || underlying == typeof(Guid) || underlying == typeof(DateTime) || underlying == typeof(DateOnly) || underlying == typeof(DateTimeOffset) || underlying == typeof(TimeSpan))
        {
            fields.Add(new Field(name, underlying != typeof(string) && !underlying.IsEnum && underlying != typeof(Guid) && underlying != typeof(DateOnly) && underlying != typeof(DateTime), underlying == typeof(string)));
            return;
        }

        if (depth > 2 || typeof(Microsoft.AspNetCore.Http.IFormFile).IsAssignableFrom(underlying))
        {
            fields.Add(new Field(name, false, true));
            return;
        }

        var element = underlying.IsArray ? underlying.GetElementType()
            : underlying.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(underlying) ? underlying.GetGenericArguments().Last()
            : null;
        if (element is not null)
        {
            Expand(name + "[0]", element, fields, depth + 1);
            Expand(name + "[1]", element, fields, depth + 1);
            return;
        }

        foreach (var property in underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            Expand(name + "." + property.Name, property.PropertyType, fields, depth + 1);
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    private sealed record Field(string Name, bool IsNumber, bool IsText);

    private sealed record PageHandler(string Page, string Template, string Method, string? Name, List<Field> Fields)
    {
        public IEnumerable<string> Routes(IReadOnlyList<string> ids)
        {
            if (!Template.Contains('{'))
            {
                yield return "/" + Template;
                yield break;
            }

            foreach (var id in ids)
            {
                yield return "/" + RouteParameter().Replace(Template, _ => Uri.EscapeDataString(id));
            }
        }

        public string Url(string path) => Name is null ? path : path + "?handler=" + Name;
    }

    private sealed class Session(PortalClient client, string token) : IDisposable
    {
        public HttpClient Http => client.Http;

        public string Token { get; } = token;

        public static async Task<Session> StartAsync(PortalFactory factory, string email)
        {
            var client = await factory.LoginAsync(email);
            var home = await client.GetPageAsync("/");
            return new Session(client, home.Token ?? throw new InvalidOperationException("No antiforgery token on the dashboard."));
        }

        public async Task<bool> StillSignedInAsync() => (await Http.GetAsync("/")).StatusCode == HttpStatusCode.OK;

        public void Dispose() => client.Dispose();
    }
}
