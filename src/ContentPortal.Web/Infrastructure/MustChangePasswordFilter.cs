using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ContentPortal.Web.Infrastructure;

/// <summary>Someone signed in with a one-time password goes to Change password before anything else.</summary>
public sealed class MustChangePasswordFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.ActionDescriptor.ViewEnginePath;
        var user = context.HttpContext.User;
        if (user.HasClaim(PortalClaimsFactory.MustChangePasswordClaim, "true") && !page.StartsWith("/Account/", StringComparison.Ordinal))
        {
            context.Result = new RedirectToPageResult("/Account/ChangePassword");
            return;
        }

        await next();
    }
}
