using ContentPortal.Web.Feed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// FeedHttp.Serve over real Kestrel on loopback (the test server buffers differently): every body size
/// arrives whole, on one kept-alive connection, around the 64 KB slices the body is flushed in.
/// </summary>
public sealed class FeedBytesOverKestrelTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(30_507)]
    [InlineData(64 * 1024)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(3 * 64 * 1024 + 40_947)]
    public async Task A_body_of_any_size_arrives_whole_twice_on_one_connection(int size)
    {
        var json = new byte[size];
        new Random(size).NextBytes(json);
        var bytes = new FeedBytes(json, new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/feed", (HttpContext context) => FeedHttp.Serve(context, bytes, "no-store"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        // A stalled tail fails the test within seconds instead of hanging it.
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
        for (var request = 1; request <= 2; request++)
        {
            using var response = await http.GetAsync("/feed");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(size, response.Content.Headers.ContentLength);
            Assert.Equal(json, await response.Content.ReadAsByteArrayAsync());
        }

        await app.StopAsync();
    }
}
