using System.Text.Json;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one error-answer writer (the database outage, the NUL refusal and the error page answer through it):
/// problem+json for the API, a short page for people, never cached.
/// </summary>
public sealed class ErrorAnswerTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task The_api_gets_problem_json_with_the_title_and_message()
    {
        var context = NewContext("/api/v1/feed");

        await ErrorAnswer.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable", "Try again in a minute", "Nothing was saved <now>.");

        Assert.Equal((503, "application/problem+json", "no-store"), (context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.CacheControl.ToString()));
        var problem = JsonDocument.Parse(Body(context)).RootElement;
        Assert.Equal(("Service unavailable", "Nothing was saved <now>.", 503),
            (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString(), problem.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task People_get_a_short_page_with_the_text_encoded()
    {
        var context = NewContext("/Content");

        await ErrorAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", "The request was refused", "Text may not contain <b>this</b>.");

        Assert.Equal((400, "text/html; charset=utf-8", "no-store"), (context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.CacheControl.ToString()));
        var page = Body(context);
        Assert.Contains("<title>The request was refused - ContentPortal</title>", page);
        Assert.Contains("<h1>The request was refused</h1><p>Text may not contain &lt;b&gt;this&lt;/b&gt;.</p>", page);
    }

    [Theory]
    [InlineData("/api/v1/feed", true)]
    [InlineData("/API/v1/lookup", true)]
    [InlineData("/api", true)]
    [InlineData("/apiary", false)]
    [InlineData("/Content/api", false)]
    public void Only_paths_under_api_are_the_apis(string path, bool api) =>
        Assert.Equal(api, ErrorAnswer.IsForApi(path));

    [Fact]
    public async Task The_error_pages_api_answer_is_problem_json_at_the_status_chosen()
    {
        var context = NewContext("/Error");
        context.Response.StatusCode = StatusCodes.Status409Conflict;

        await new ErrorAnswer.Problem("That was refused", "This version has been submitted.")
            .ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal((409, "application/problem+json"), (context.Response.StatusCode, context.Response.ContentType));
        var problem = JsonDocument.Parse(Body(context)).RootElement;
        Assert.Equal(("That was refused", "This version has been submitted.", 409),
            (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString(), problem.GetProperty("status").GetInt32()));
    }

    private DefaultHttpContext NewContext(string path) => new()
    {
        RequestServices = factory.Services,
        Request = { Path = path },
        Response = { Body = new MemoryStream() },
    };

    private static string Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body).ReadToEnd();
    }
}
