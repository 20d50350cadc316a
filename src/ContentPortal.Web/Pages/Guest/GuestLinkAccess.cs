using ContentPortal.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Guest;

/// <summary>
/// The guest's whole reach: the page /Guest/{token} (its GET and its comment POSTs), and only when the address
/// carries something shaped like a token. A guest gets no cookie or identity, so every other page still asks for
/// a login; the page itself then finds the link by the token's hash and answers 404 (unknown) or 410 (closed).
/// </summary>
public static class GuestLinkAccess
{
    public const string Policy = "GuestLink";

    public static IServiceCollection AddGuestLinks(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, TokenInAddress>();
        services.Configure<AuthorizationOptions>(options => options.AddPolicy(Policy, policy => policy.AddRequirements(new TokenInAddress())));
        services.Configure<RazorPagesOptions>(options => options.Conventions.AuthorizePage("/Guest/Index", Policy));
        return services;
    }

    /// <summary>Met when the route's token is well formed; nothing about who is asking.</summary>
    public sealed class TokenInAddress : AuthorizationHandler<TokenInAddress>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenInAddress requirement)
        {
            if (context.Resource is HttpContext http && http.GetRouteValue("token") is string token && ReviewLink.IsWellFormed(token))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
