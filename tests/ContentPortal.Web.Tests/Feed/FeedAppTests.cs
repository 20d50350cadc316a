using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// The set-up the feed test classes share: a portal of their own per test (fake clock, the seed content
/// published as snapshot 1) and an anonymous client that does not follow redirects, as a consumer calls the API.
/// </summary>
public abstract class FeedAppTests : IAsyncLifetime
{
    protected readonly PortalFactory app = new(PortalOptions.WithFakeClock());

    protected HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = app.CreateClient(new() { AllowAutoRedirect = false });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();
}
