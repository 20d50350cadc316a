using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ContentPortal.Web.Pages.Account;

/// <summary>
/// The longest password login accepts is the longest any form may set (Identity checks only the minimum), so
/// nobody sets a password they can then never log in with. Runs for every form and command that sets one.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<PortalUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password) =>
        Task.FromResult(password is { Length: > LoginModel.LoginInput.MaxPasswordLength }
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = $"A password is at most {LoginModel.LoginInput.MaxPasswordLength} characters." })
            : IdentityResult.Success);
}
