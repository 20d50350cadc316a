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

    // Separation of duties: whoever created the account or last changed its roles could act through it,
    // so it may not sign their work (Document.Sign refuses; see Actor.Sponsors).

    /// <summary>The user id of the admin who created the account (null: created by a command or the demo seeding).</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(450)]
    public string? CreatedById { get; set; }

    [System.ComponentModel.DataAnnotations.MaxLength(200)]
    public string? CreatedByName { get; set; }

    /// <summary>The user id of the admin who last changed the account's roles.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(450)]
    public string? RolesChangedById { get; set; }

    [System.ComponentModel.DataAnnotations.MaxLength(200)]
    public string? RolesChangedByName { get; set; }

    /// <summary>The people who set this account up, as the domain's signing rule sees them.</summary>
    public IReadOnlyList<ContentPortal.Domain.Sponsor> Sponsors()
    {
        var sponsors = new List<ContentPortal.Domain.Sponsor>();
        if (CreatedById is not null)
        {
            sponsors.Add(new(CreatedById, CreatedByName ?? "An administrator", "created your account"));
        }

        if (RolesChangedById is not null)
        {
            sponsors.Add(new(RolesChangedById, RolesChangedByName ?? "An administrator", "last changed your roles"));
        }

        return sponsors;
    }
}
