using Microsoft.AspNetCore.Identity;

namespace ContentPortal.Web.Data;

public class PortalUser : IdentityUser
{
    /// <summary>The name shown in history and carried into the feed as publisher (never the email).</summary>
    public string DisplayName { get; set; } = "";
}
