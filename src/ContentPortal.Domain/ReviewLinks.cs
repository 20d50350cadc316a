using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ContentPortal.Domain;

/// <summary>Where a review link stands at a given time.</summary>
public enum ReviewLinkState
{
    Active,
    Expired,
    Revoked,
}

/// <summary>
/// A link that lets one named guest without an account (a consultant asked for a specialist opinion) read one
/// version and comment in its threads, until it expires or is revoked. Pinned to the version: a new version
/// needs a new link. The token is shown once when the link is made and only its SHA-256 hash is kept, so the
/// store alone cannot open a link.
/// </summary>
public sealed class ReviewLink : Aggregate
{
    public const int DefaultDays = 14;
    public const int MaxDays = 90;
    public const int MaxGuestNameLength = 100;

    /// <summary>The role a guest acts in: enough to comment and reply in review threads, nothing else.</summary>
    public const string GuestRole = "Guest via link";

    private ReviewLink()
    {
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public Guid VersionId { get; private set; }

    public int VersionNumber { get; private set; }

    /// <summary>The guest's name as the editor typed it ("Dr Priya Shah").</summary>
    public string GuestName { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string TokenHash { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public string CreatedById { get; private set; } = "";

    public string CreatedByName { get; private set; } = "";

    public DateTime ExpiresAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public string? RevokedByName { get; private set; }

    /// <summary>How the guest is named in threads and in the audit trail.</summary>
    public string GuestLabel => $"{GuestName} (guest, via link)";

    /// <summary>The guest as the domain sees them: they may take part in this version's threads only (see <see cref="StartThread"/>).</summary>
    public Actor Guest => new($"guest-link:{Id}", GuestLabel, new HashSet<string> { GuestRole });

    /// <summary>
    /// Makes a link to <paramref name="version"/> for <paramref name="guestName"/>, open for <paramref name="days"/>
    /// days (14 when not given, at most 90). Returns the link and its token, which is never stored.
    /// </summary>
    public static (ReviewLink Link, string Token) Create(DocumentVersion version, string? guestName, int? days, Actor by, DateTime at)
    {
        RequireEditorOrReviewer(by, "make a review link");
        if (version.Status == VersionStatus.Draft)
        {
            throw new RefusedException("A draft can still change. Submit it for review first, so the guest reads exactly the version the link names.");
        }

        var errors = new Dictionary<string, string>();
        var name = guestName?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors["GuestName"] = "Enter the guest's name, as it should appear beside their comments.";
        }
        else if (name.Length > MaxGuestNameLength)
        {
            errors["GuestName"] = $"The guest's name can be at most {MaxGuestNameLength} characters.";
        }

        var lifetime = days ?? DefaultDays;
        if (lifetime < 1 || lifetime > MaxDays)
        {
            errors["Days"] = $"A link can be open for 1 to {MaxDays} days.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        var token = NewToken();
        var link = new ReviewLink
        {
            Id = Guid.NewGuid(),
            DocumentId = version.DocumentId,
            VersionId = version.Id,
            VersionNumber = version.Number,
            GuestName = name,
            TokenHash = HashOf(token),
            CreatedAt = at,
            CreatedById = by.UserId,
            CreatedByName = by.DisplayName,
            ExpiresAt = at.AddDays(lifetime),
        };
        link.Audit(by, at, AuditActions.ReviewLinkCreated, version.Subject, $"Review link for {name} to version {version.Number}, open until {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
        return (link, token);
    }

    /// <summary>256 random bits, base64url (43 characters): the part of the link that opens it.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>True for something shaped like a token (43 base64url characters); anything else is not looked up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>What is stored and looked up instead of the token.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    public ReviewLinkState StateAt(DateTime now) =>
        RevokedAt is not null ? ReviewLinkState.Revoked : now >= ExpiresAt ? ReviewLinkState.Expired : ReviewLinkState.Active;

    public void Revoke(Actor by, DateTime at)
    {
        RequireEditorOrReviewer(by, "revoke a review link");
        switch (StateAt(at))
        {
            case ReviewLinkState.Revoked:
                throw new RefusedException($"This link was already revoked by {RevokedByName}.");
            case ReviewLinkState.Expired:
                throw new RefusedException("This link has expired already; nobody can open it.");
        }

        RevokedAt = at;
        RevokedByName = by.DisplayName;
        Audit(by, at, AuditActions.ReviewLinkRevoked, Subject, $"Review link for {GuestName} to version {VersionNumber} revoked");
    }

    /// <summary>The guest opened the link.</summary>
    public void RecordView(DateTime at)
    {
        RequireActive(at);
        Audit(Guest, at, AuditActions.ReviewLinkViewed, Subject, $"{GuestLabel} opened version {VersionNumber}");
    }

    /// <summary>The guest starts a thread on the linked version.</summary>
    public ReviewThread StartThread(DocumentVersion version, string? anchor, string? anchorText, string? text, DateTime at)
    {
        RequireActive(at);
        if (version.Id != VersionId)
        {
            throw new RefusedException("This link is for another version.");
        }

        var thread = ReviewThread.Start(version, anchor, anchorText, text, Guest, at);
        Audit(Guest, at, AuditActions.ReviewLinkCommented, Subject, $"{GuestLabel} commented through the link (thread {thread.Id})");
        return thread;
    }

    /// <summary>The guest replies in a thread on the linked version.</summary>
    public void Reply(ReviewThread thread, string? text, DateTime at)
    {
        RequireActive(at);
        if (thread.VersionId != VersionId)
        {
            throw new RefusedException("That comment thread is not on the version this link shows.");
        }

        thread.Reply(text, Guest, at);
        Audit(Guest, at, AuditActions.ReviewLinkCommented, Subject, $"{GuestLabel} replied through the link (thread {thread.Id})");
    }

    private string Subject => $"version:{VersionId}";

    private void RequireActive(DateTime at)
    {
        switch (StateAt(at))
        {
            case ReviewLinkState.Revoked:
                throw new RefusedException("This review link was revoked.");
            case ReviewLinkState.Expired:
                throw new RefusedException("This review link has expired.");
        }
    }

    private static void RequireEditorOrReviewer(Actor by, string doing)
    {
        if (!by.Holds(Roles.Editor) && !by.Holds(Roles.Reviewer))
        {
            throw new RefusedException($"Only editors and reviewers can {doing}.");
        }
    }
}
