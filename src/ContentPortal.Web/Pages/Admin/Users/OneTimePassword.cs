using System.Security.Cryptography;

namespace ContentPortal.Web.Pages.Admin.Users;

/// <summary>A random 20-character password for a new or reset account, shown once to the admin.</summary>
public static class OneTimePassword
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'k').Replace('/', 'm');
}
