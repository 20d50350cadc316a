using System.Linq.Expressions;

namespace ContentPortal.Domain;

/// <summary>
/// Which version of a document is meant: one vocabulary (after Orchard Core's VersionOptions) for the
/// domain (<see cref="Document.Pick"/>), the database queries (VersionQueries.Pick) and the pages.
/// </summary>
public enum VersionOption
{
    /// <summary>The highest-numbered version, whatever its status: what the editors see.</summary>
    Latest,

    /// <summary>The highest-numbered approved version: what the next snapshot would publish.</summary>
    LatestApproved,

    /// <summary>The version the current snapshot serves, if any: what readers see.</summary>
    Published,
}

public static class VersionOptions
{
    /// <summary>"Approved" as an expression, so the same rule runs in memory and in database queries.</summary>
    public static readonly Expression<Func<DocumentVersion, bool>> IsApproved = v => v.Status == VersionStatus.Approved;

    internal static readonly Func<DocumentVersion, bool> IsApprovedRule = IsApproved.Compile();
}
