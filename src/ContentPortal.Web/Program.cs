using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Scheduling;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Webhooks;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var connectionString = Database.ResolveSqlite(
    builder.Configuration.GetConnectionString("Default") ?? "Data Source=App_Data/contentportal.db",
    builder.Environment.ContentRootPath);
// Split queries: a document loads versions with flags, authors and transitions; one JOIN would multiply rows.
builder.Services.AddDbContext<PortalDbContext>(options =>
    options.UseSqlite(connectionString, sqlite => sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));

builder.Services
    .AddIdentity<PortalUser, IdentityRole>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireDigit = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    })
    .AddEntityFrameworkStores<PortalDbContext>()
    .AddDefaultTokenProviders()
    .AddClaimsPrincipalFactory<PortalClaimsFactory>();

builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/Account/Login";
    options.AccessDeniedPath = "/Account/AccessDenied";
    options.Cookie.Name = "ContentPortal.Auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Strict;
    options.SlidingExpiration = true;
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.Events.OnRedirectToLogin = context =>
    {
        // htmx and API callers get a status, not a login page swapped into a fragment.
        if (context.Request.IsHtmx() || context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers["HX-Redirect"] = LoginReturn.ForHtmx(context.Request, context.RedirectUri, options.LoginPath);
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

// Disabling an account (or changing its roles) updates its security stamp; checking the stamp on
// every request ends that person's open sessions at once.
builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
builder.Services.Configure<WorkflowOptions>(builder.Configuration.GetSection("Workflow"));

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
builder.Services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<Microsoft.AspNetCore.Mvc.ViewFeatures.Infrastructure.TempDataSerializer, TextTempDataSerializer>();
builder.Services.AddHealthChecks().AddDbContextCheck<PortalDbContext>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PublishedFeed>();
builder.Services.AddSingleton<DraftPresence>();
builder.Services.AddScoped<ContentPortal.Web.Pages.WorkQueues>();

builder.Services.AddSingleton<WebhookOutbox>();
builder.Services.AddScoped<Publisher>();
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
builder.Services.AddCors(options => options.AddPolicy(FeedCors.Policy, FeedCors.Configure));
builder.Services.AddOpenApi(options => options.ShouldInclude = description => description.RelativePath?.StartsWith("api/") == true);

var app = builder.Build();

if (args.Length > 0 && args[0] == CreateAdminCommand.Name)
{
    using (var scope = app.Services.CreateScope())
    {
        await Database.MigrateAsync(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
        await DemoUsers.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
    }

    return await CreateAdminCommand.RunAsync(app.Services, args);
}

if (args.Length > 0 && args[0] == VerifyAuditCommand.Name)
{
    return await VerifyAuditCommand.RunAsync(app.Services);
}

await using (var scope = app.Services.CreateAsyncScope())
{
    var services = scope.ServiceProvider;
    var db = services.GetRequiredService<PortalDbContext>();
    var feed = services.GetRequiredService<PublishedFeed>();
    await Database.MigrateAsync(db);
    await DemoUsers.EnsureRolesAsync(services.GetRequiredService<RoleManager<IdentityRole>>());
    if (app.Environment.IsDevelopment())
    {
        var password = app.Configuration["DemoUsers:Password"]
            ?? throw new InvalidOperationException("Set DemoUsers:Password for the Development demo accounts.");
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await DemoUsers.EnsureAsync(services.GetRequiredService<UserManager<PortalUser>>(), db, password, now);
        var seedPath = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, app.Configuration["Seed:Path"] ?? "../../seed"));
        await SeedImport.ImportAsync(db, services.GetRequiredService<Publisher>(), feed, seedPath, now, app.Logger);
    }

    await feed.ReloadAsync(db);
}

app.UseFeedFastPath();
app.UseSecurityHeaders();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/Error",
    // A refusal that escaped a handler is still a refusal (409), never a 500.
    StatusCodeSelector = exception => exception is RefusedException ? StatusCodes.Status409Conflict : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePagesWithReExecute("/Status", "?code={0}");
app.UseStaticFiles();
app.UseRouting();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapFeed();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().RequireCors(FeedCors.Policy);
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Visible to the test projects' WebApplicationFactory.</summary>
public partial class Program;
