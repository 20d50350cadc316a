using Microsoft.AspNetCore.Identity;

namespace ContentPortal.Web.Data;

public class PortalUser : IdentityUser
{
    /// <summary>The name shown in history and carried into the feed as publisher (never the email).</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled account cannot log in, and its open sessions end at their next request.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>Set for accounts created with a one-time password: the first login must choose a new one.</summary>
    public bool MustChangePassword { get; set; }
}
