using System.ComponentModel.DataAnnotations;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Account;

/// <summary>
/// Logging in. No answer, status or timing tells an account from a non-account: every attempt costs one
/// password hash, and only someone who knows the password learns that an account is disabled or locked.
/// Failures are throttled per client address and per account (<see cref="LoginThrottle"/>), never by locking
/// the account, so nobody can lock a reviewer out by guessing.
/// </summary>
public class LoginModel(SignInManager<PortalUser> signIn, PortalDbContext db, TimeProvider clock, LoginThrottle throttle) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when the signing screen ended the session after too many wrong passwords.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Locked { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        // The client address as the trusted proxy forwarded it (UseForwardedHeaders runs first).
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(address, email) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError(string.Empty, $"Too many failed logins. Wait {Math.Max(1, (seconds + 59) / 60)} minute(s), then try again.");
            return Page();
        }

        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(email);
        var now = clock.GetUtcNow().UtcDateTime;
        // One password hash whatever the account's state (none, disabled, locked), so timing tells nothing.
        bool passwordRight;
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new PortalUser(), DummyHash(users.PasswordHasher), Input.Password);
            passwordRight = false;
        }
        else
        {
            passwordRight = await users.CheckPasswordAsync(user, Input.Password);
        }

        if (!passwordRight)
        {
            var target = user is null ? $"email:{email}" : $"user:{user.Id}";
            // Repeated failures are one audit row per window and then one per tally, not one row each.
            if (throttle.Failed(address, email, target, now, out var count))
            {
                db.Record(new AuditRecord(now, user?.Id ?? "anonymous", user?.DisplayName ?? "Unknown user", AuditActions.LoginFailed, target,
                    count == 1 ? $"Failed login from {address}: wrong email or password" : $"{count} failed logins from {address} in the last window: wrong email or password"));
                await db.SaveChangesAsync();
            }

            ModelState.AddModelError(string.Empty, "The email or password is not right.");
            return Page();
        }

        if (user!.IsDisabled || await users.IsLockedOutAsync(user))
        {
            db.Record(new AuditRecord(now, user.Id, user.DisplayName, AuditActions.LoginRefused, $"user:{user.Id}",
                user.IsDisabled ? "Login refused: the account is disabled" : "Login refused: the account is locked (wrong passwords when signing)"));
            await db.SaveChangesAsync();
            ModelState.AddModelError(string.Empty, user.IsDisabled
                ? "This account is disabled. Ask an administrator."
                : "This account is locked after too many wrong passwords when signing. Try again in 15 minutes or ask an administrator.");
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        db.Record(new AuditRecord(now, user.Id, user.DisplayName, AuditActions.LoginSucceeded, $"user:{user.Id}", "Logged in"));
        await db.SaveChangesAsync();
        return LocalRedirect(user.MustChangePassword ? "/Account/ChangePassword" : Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    private static string? dummyHash;

    private static string DummyHash(IPasswordHasher<PortalUser> hasher) =>
        dummyHash ??= hasher.HashPassword(new PortalUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)));

    public sealed class LoginInput
    {
        // RFC 5321's limit for an address; anything longer is not an account and must not reach the audit trail.
        public const int MaxEmailLength = 254;
        public const int MaxPasswordLength = 1024;

        [Required(ErrorMessage = "Enter your email.")]
        [StringLength(MaxEmailLength, ErrorMessage = "An email address is at most 254 characters.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.org.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(MaxPasswordLength, ErrorMessage = "A password is at most 1024 characters.")]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";
    }
}
