using System.ComponentModel.DataAnnotations;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Account;

public class LoginModel(SignInManager<PortalUser> signIn, PortalDbContext db, TimeProvider clock) : PageModel
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
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var now = clock.GetUtcNow().UtcDateTime;
        if (user is null)
        {
            // Same work as a known account (one password hash), so the answer's timing does not tell
            // whether the address has an account.
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(new PortalUser(), DummyHash(signIn.UserManager.PasswordHasher), Input.Password);
        }
        else if (user.IsDisabled)
        {
            // Only someone who knows the password learns that the account is disabled.
            if (await signIn.UserManager.CheckPasswordAsync(user, Input.Password))
            {
                db.Record(new AuditRecord(now, user.Id, user.DisplayName, AuditActions.LoginRefused, $"user:{user.Id}", "Login refused: the account is disabled"));
                await db.SaveChangesAsync();
                ModelState.AddModelError(string.Empty, "This account is disabled. Ask an administrator.");
                return Page();
            }

            db.Record(new AuditRecord(now, user.Id, user.DisplayName, AuditActions.LoginFailed, $"user:{user.Id}", "Failed login: wrong email or password (account disabled)"));
            await db.SaveChangesAsync();
            ModelState.AddModelError(string.Empty, "The email or password is not right.");
            return Page();
        }

        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            db.Record(new AuditRecord(now, user!.Id, user.DisplayName, AuditActions.LoginSucceeded, $"user:{user.Id}", "Logged in"));
            await db.SaveChangesAsync();
            return LocalRedirect(user.MustChangePassword ? "/Account/ChangePassword" : Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        // Failed logins are audited too; an unknown email is recorded as typed (the trail is for admins).
        db.Record(new AuditRecord(now, user?.Id ?? "anonymous", user?.DisplayName ?? "Unknown user", AuditActions.LoginFailed,
            user is null ? $"email:{email}" : $"user:{user.Id}", result.IsLockedOut ? "Failed login; the account is locked out" : "Failed login: wrong email or password"));
        await db.SaveChangesAsync();
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "This account is locked after too many failed attempts. Try again in 15 minutes or ask an administrator."
            : "The email or password is not right.");
        return Page();
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
