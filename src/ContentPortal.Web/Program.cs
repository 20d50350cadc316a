using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Pages.Guest;
using ContentPortal.Web.Scheduling;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Webhooks;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

DatabaseProvider provider;
try
{
    provider = builder.Services.AddPortalDatabase(builder.Configuration, builder.Environment.ContentRootPath);
}
catch (DatabaseConfigurationException exception)
{
    Console.Error.WriteLine($"ContentPortal: {exception.Message}");
    return 2;
}

// The key ring that protects login cookies and antiforgery tokens lives in the portal's database, so a
// login on one instance is valid on every other and survives a restart or a new container; encrypted
// there with a certificate, so a copy of the database cannot mint a login cookie.
try
{
    KeyRingProtection.Configure(
        builder.Services.AddDataProtection().SetApplicationName("ContentPortal").PersistKeysToDbContext<PortalDbContext>(),
        builder.Configuration, builder.Environment);
}
catch (KeyRingConfigurationException exception)
{
    Console.Error.WriteLine($"ContentPortal: {exception.Message}");
    return 2;
}

// Behind a load balancer or TLS-terminating proxy: trust X-Forwarded-For/-Proto only from the listed
// proxies (ForwardedHeaders:KnownProxies, comma-separated addresses; loopback is always trusted).
builder.Services.Configure<ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
    foreach (var address in (builder.Configuration["ForwardedHeaders:KnownProxies"] ?? "")
                 .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (System.Net.IPAddress.TryParse(address, out var ip))
        {
            options.KnownProxies.Add(ip);
        }
    }
});

builder.Services
    .AddIdentity<PortalUser, IdentityRole>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireDigit = false;
        // Lockout counts wrong passwords at the signing step only (§11.300(d)); failed logins are throttled
        // instead (LoginThrottle), so nobody can lock someone else out by guessing.
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    })
    .AddEntityFrameworkStores<PortalDbContext>()
    .AddDefaultTokenProviders()
    .AddPasswordValidator<ContentPortal.Web.Pages.Account.PasswordRules>()
    .AddClaimsPrincipalFactory<PortalClaimsFactory>();

builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/Account/Login";
    options.AccessDeniedPath = "/Account/AccessDenied";
    options.Cookie.Name = "ContentPortal.Auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Strict;
    // Secure whenever the browser's request was https (behind a TLS proxy: as X-Forwarded-Proto says).
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    options.SlidingExpiration = true;
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.Events.OnRedirectToLogin = context =>
    {
        // htmx and API callers get a status, not a login page swapped into a fragment.
        if (context.Request.IsHtmx() || context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers["HX-Redirect"] = LoginReturn.ForHtmx(context.Request, context.RedirectUri, options.LoginPath);

            // No status page behind it: htmx follows the redirect and never shows a body, and rendering one mints
            // a new antiforgery cookie. With two requests out when a session ends, the later cookie would no longer
            // match the form of the login page the first redirect loaded (a 400 on "Log in").
            if (context.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    };
    options.Events.OnRedirectToAccessDenied = context =>
    {
        // A signed-in user without the role gets a real 403; the status page explains it.
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    };
});

// Disabling an account, changing its roles or password, and logging out update its security stamp;
// checking the stamp on every request ends that person's open sessions at once (a copied cookie too).
builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
builder.Services.Configure<WorkflowOptions>(builder.Configuration.GetSection("Workflow"));
builder.Services.Configure<ContentOptions>(builder.Configuration.GetSection("Content"));
try
{
    builder.Services.AddSingleton(OverduePolicySettings.Read(builder.Configuration));
}
catch (OverduePolicyConfigurationException exception)
{
    Console.Error.WriteLine($"ContentPortal: {exception.Message}");
    return 2;
}

builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

builder.Services.AddRazorPages(options =>
{
    options.Conventions.AllowAnonymousToPage("/Account/Login");
    options.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
    options.Conventions.AllowAnonymousToPage("/Error");
    options.Conventions.AllowAnonymousToPage("/Status");
    options.Conventions.AuthorizeFolder("/Review", Roles.Reviewer);
    options.Conventions.AuthorizeFolder("/Publish", Roles.Publisher);
    options.Conventions.AuthorizeFolder("/Admin", Roles.Admin);
    options.Conventions.AuthorizeFolder("/Audit", "AuditReader");
    options.Conventions.ConfigureFilter(new MustChangePasswordFilter());
}).AddMvcOptions(options => BindingMessages.Configure(options.ModelBindingMessageProvider));
builder.Services.AddAuthorization(options =>
{
    foreach (var role in Roles.All)
    {
        options.AddPolicy(role, policy => policy.RequireRole(role));
    }

    options.AddPolicy("AuditReader", policy => policy.RequireRole(Roles.Admin, Roles.Reviewer));
});

// htmx sends the antiforgery token in this header (set on <body> by the layout).
builder.Services.AddAntiforgery(options =>
{
    options.HeaderName = "RequestVerificationToken";
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});
builder.Services.Configure<CookieTempDataProviderOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
builder.Services.AddSingleton<CookieTempDataProvider>();
builder.Services.AddSingleton<ITempDataProvider, FragmentTempDataProvider>();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<Microsoft.AspNetCore.Mvc.ViewFeatures.Infrastructure.TempDataSerializer, TextTempDataSerializer>();
builder.Services.AddHealthChecks().AddDbContextCheck<PortalDbContext>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PublishedFeed>();
builder.Services.AddScoped<DraftPresence>();
builder.Services.AddSingleton<ContentPortal.Web.Pages.Account.LoginThrottle>();
builder.Services.AddScoped<ContentPortal.Web.Pages.Admin.Users.AccountChanges>();
builder.Services.AddScoped<ContentPortal.Web.Pages.WorkQueues>();
builder.Services.AddGuestLinks();
builder.Services.AddReaderFeedback();

builder.Services.AddSingleton<WebhookOutbox>();
builder.Services.AddScoped<ContentPortal.Web.Publishing.Publisher>();
builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName, client =>
{
    client.Timeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Webhooks:TimeoutSeconds", 10.0));
    client.DefaultRequestHeaders.UserAgent.ParseAdd("ContentPortal-Webhooks/1");
}).ConfigurePrimaryHttpMessageHandler(services => services.GetRequiredService<WebhookTargets>().CreateHandler());
builder.Services.AddSingleton<WebhookTargets>();
builder.Services.AddSingleton<WebhookDispatcher>();
builder.Services.AddHostedService(services => services.GetRequiredService<WebhookDispatcher>());
builder.Services.AddSingleton<ContentPortal.Web.Auditing.AuditAnchor>();
builder.Services.AddSingleton<ContentPortal.Web.Auditing.AuditCheckpointer>();
builder.Services.AddHostedService(services => services.GetRequiredService<ContentPortal.Web.Auditing.AuditCheckpointer>());
builder.Services.AddSingleton<ScheduledPublisher>();
builder.Services.AddHostedService(services => services.GetRequiredService<ScheduledPublisher>());
if (provider == DatabaseProvider.PostgreSQL)
{
    // Several instances share the database: follow publishes made by the others.
    builder.Services.AddSingleton<FeedFollower>();
    builder.Services.AddHostedService(services => services.GetRequiredService<FeedFollower>());
}

builder.Services.AddCors(options => options.AddPolicy(FeedCors.Policy, FeedCors.Configure));
builder.Services.AddOpenApi(FeedOpenApi.Configure);

var app = builder.Build();

// The first publish after a start would compile its item queries and load the rendering code: done now, off the
// start-up path. A failure here costs only that time later, so it is logged, never thrown.
async Task WarmUpPublishingAsync(IServiceProvider root, CancellationToken stopping)
{
    await Task.Yield();
    try
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await new ContentPortal.Web.Publishing.FeedItems(services.GetRequiredService<PortalDbContext>(), services.GetRequiredService<PublishedFeed>()).WarmUpAsync(stopping);
    }
    catch (Exception exception) when (!stopping.IsCancellationRequested && exception is not ObjectDisposedException)
    {
        app.Logger.LogWarning(exception, "Warming up the publish path at start-up failed; the first publish will be slower.");
    }
    catch (Exception)
    {
        // The app is stopping (a test host disposed early): nothing to warm up for.
    }
}

// Roles, and in Development the demo accounts and the seed: run once per database, under the migration lock.
async Task PrepareAsync(IServiceProvider services, PortalDbContext db)
{
    // The audit signing key first (issue 25): a missing or foreign key stops the start before anything is signed.
    await services.GetRequiredService<ContentPortal.Web.Auditing.AuditAnchor>().EnsureSigningKeyAsync(db, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
    await DemoUsers.EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole>>());
    if (app.Environment.IsDevelopment())
    {
        var password = app.Configuration["DemoUsers:Password"]
            ?? throw new InvalidOperationException("Set DemoUsers:Password for the Development demo accounts.");
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await DemoUsers.EnsureAsync(services.GetRequiredService<UserManager<PortalUser>>(), db, password, now);
        var seedPath = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, app.Configuration["Seed:Path"] ?? "../../seed"));
        await SeedImport.ImportAsync(db, services.GetRequiredService<ContentPortal.Web.Publishing.Publisher>(), services.GetRequiredService<PublishedFeed>(), seedPath, now, app.Logger);
    }
}

var command = args.Length > 0 ? args[0] : null;
if (command == CopyDatabaseCommand.Name)
{
    return await CopyDatabaseCommand.RunAsync(app.Services, app.Configuration, args);
}

try
{
    if (command == VerifyAuditCommand.Name)
    {
        return await VerifyAuditCommand.RunAsync(app.Services, args);
    }

    await using var scope = app.Services.CreateAsyncScope();
    var services = scope.ServiceProvider;
    var db = services.GetRequiredService<PortalDbContext>();
    if (command == "migrate")
    {
        // For deployments that migrate in a separate step before rolling out new instances.
        await Database.MigrateAsync(db, () => DemoUsers.EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole>>()));
        Console.WriteLine($"ContentPortal: the {provider} database is up to date.");
        return 0;
    }

    if (command == ContentPortal.Web.Auditing.RotateAuditKeyCommand.Name)
    {
        await Database.MigrateAsync(db, () => DemoUsers.EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole>>()));
        return await ContentPortal.Web.Auditing.RotateAuditKeyCommand.RunAsync(app.Services, args);
    }

    if (command == CreateAdminCommand.Name)
    {
        await Database.MigrateAsync(db, () => DemoUsers.EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole>>()));
        return await CreateAdminCommand.RunAsync(app.Services, args);
    }

    await Database.MigrateAsync(db, () => PrepareAsync(services, db));
    await services.GetRequiredService<PublishedFeed>().ReloadAsync(db);
    _ = WarmUpPublishingAsync(app.Services, app.Lifetime.ApplicationStopping);
}
catch (ContentPortal.Web.Auditing.AuditKeyRefusedException refused)
{
    app.Logger.LogCritical("ContentPortal will not start: {Reason}", refused.Message);
    return 4;
}
catch (Exception exception) when (Database.IsUnavailable(exception))
{
    // One clear line instead of a stack trace: the usual first-deployment mistake.
    app.Logger.LogCritical("The {Provider} database could not be reached: {Reason}. Check ConnectionStrings:Default and that the server is running.",
        provider, exception.GetBaseException().Message);
    return 3;
}

app.UseForwardedHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseFeedFastPath();
app.UseSecurityHeaders();
app.UseDatabaseUnavailable();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/Error",
    // A refusal that escaped a handler is still a refusal (409), never a 500.
    StatusCodeSelector = exception => exception switch
    {
        RefusedException => StatusCodes.Status409Conflict,
        _ when Database.IsUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    },
});
app.UseStatusCodePagesWithReExecute("/Status", "?code={0}");
app.UseNulCharacterRefusal();
app.UseStaticFiles();
app.UseRouting();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapFeed();
ContentPortal.Web.Auditing.AuditJwks.MapAuditJwks(app);
// HEAD answers like GET (the server drops the body), not with the login redirect of an unmatched route.
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().RequireCors(FeedCors.Policy)
    .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
app.MapReaderFeedback();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Visible to the test projects' WebApplicationFactory.</summary>
public partial class Program;
