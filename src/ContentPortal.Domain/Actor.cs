namespace ContentPortal.Domain;

/// <summary>The editors' words for what each person may do.</summary>
public static class Roles
{
    public const string Editor = "Editor";
    public const string Reviewer = "Reviewer";
    public const string Publisher = "Publisher";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Editor, Reviewer, Publisher, Admin];
}

/// <summary>Someone who set an account up, and what they did ("created your account", "last changed your roles").</summary>
public sealed record Sponsor(string UserId, string DisplayName, string What);

/// <summary>Who is acting: every rule that changes state takes one, so the record names a person.</summary>
public sealed record Actor(string UserId, string DisplayName, IReadOnlySet<string> Roles)
{
    /// <summary>
    /// The people who set this account up: who created it and who last changed its roles. Whoever can make
    /// an account can act through it, so it may not sign their work (four eyes across accounts).
    /// </summary>
    public IReadOnlyList<Sponsor> Sponsors { get; init; } = [];

    public bool Holds(string role) => Roles.Contains(role);

    public void Require(string role, string doing)
    {
        if (!Holds(role))
        {
            var name = role.ToLowerInvariant();
            throw new RefusedException($"Only {("aeiou".Contains(name[0]) ? "an" : "a")} {name} can {doing}.");
        }
    }

    /// <summary>The seed importer: recorded by name so history says the content was imported.</summary>
    public static Actor SeedImport { get; } = new("system:seed-import", "Seed import", new HashSet<string>(Domain.Roles.All));

    /// <summary>
    /// The overdue policy (<see cref="Domain.OverduePolicy"/>): no person decided its publishes, so the snapshot
    /// and the audit trail name it. It holds Publisher only: it republishes what is published (flagged, or
    /// without a withdrawn document) and never signs or approves anything.
    /// </summary>
    public static Actor OverduePolicy { get; } = new("system:overdue-policy", "Overdue policy", new HashSet<string> { Domain.Roles.Publisher });
}
