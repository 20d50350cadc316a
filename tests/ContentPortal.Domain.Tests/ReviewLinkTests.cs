namespace ContentPortal.Domain.Tests;

public class ReviewLinkTests
{
    private static readonly Actor Reviewer = People.Reviewer();

    private static DocumentVersion Version() => Docs.InReview().Latest;

    private static ReviewLink Made(DocumentVersion? version = null, int? days = null) =>
        ReviewLink.Create(version ?? Version(), "Dr Priya Shah", days, Reviewer, Clock.At(0)).Link;

    // ---- Making a link ------------------------------------------------------------------------

    [Theory]
    [InlineData("Editor", null)]
    [InlineData("Reviewer", null)]
    [InlineData("AdminAllRoles", null)]
    [InlineData("Publisher", "Only editors and reviewers can make a review link.")]
    [InlineData("AdminRoleOnly", "Only editors and reviewers can make a review link.")]
    [InlineData("NoRole", "Only editors and reviewers can make a review link.")]
    public void Who_may_make_a_link(string role, string? refusal)
    {
        var version = Version();
        var by = People.ForRole(role);

        if (refusal is null)
        {
            var (link, token) = ReviewLink.Create(version, "  Dr Priya Shah ", null, by, Clock.At(0));
            Assert.Equal("Dr Priya Shah", link.GuestName);
            Assert.Equal(version.Id, link.VersionId);
            Assert.Equal(version.DocumentId, link.DocumentId);
            Assert.Equal(version.Number, link.VersionNumber);
            Assert.Equal(ReviewLink.HashOf(token), link.TokenHash);
            Assert.Equal(by.DisplayName, link.CreatedByName);
            var record = Assert.Single(link.AuditEvents);
            Assert.Equal(AuditActions.ReviewLinkCreated, record.Action);
            Assert.Equal(version.Subject, record.Subject);
            Assert.DoesNotContain(token, record.Details);
        }
        else
        {
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => ReviewLink.Create(version, "Dr Priya Shah", null, by, Clock.At(0))).Message);
        }
    }

    [Theory]
    [InlineData(null, 14)]
    [InlineData(1, 1)]
    [InlineData(30, 30)]
    [InlineData(90, 90)]
    public void The_link_expires_after_the_days_given_14_by_default(int? days, int expected)
    {
        var link = Made(days: days);

        Assert.Equal(Clock.At(0).AddDays(expected), link.ExpiresAt);
        Assert.Equal(ReviewLinkState.Active, link.StateAt(link.ExpiresAt.AddTicks(-10)));
        Assert.Equal(ReviewLinkState.Expired, link.StateAt(link.ExpiresAt));
    }

    [Theory]
    [InlineData("Dr Priya Shah", 0, "Days", "A link can be open for 1 to 90 days.")]
    [InlineData("Dr Priya Shah", -3, "Days", "A link can be open for 1 to 90 days.")]
    [InlineData("Dr Priya Shah", 91, "Days", "A link can be open for 1 to 90 days.")]
    [InlineData("", 14, "GuestName", "Enter the guest's name, as it should appear beside their comments.")]
    [InlineData("   ", 14, "GuestName", "Enter the guest's name, as it should appear beside their comments.")]
    [InlineData(null, 14, "GuestName", "Enter the guest's name, as it should appear beside their comments.")]
    public void Bad_input_is_refused_by_its_field(string? name, int days, string field, string message)
    {
        var refused = Assert.Throws<InvalidContentException>(() => ReviewLink.Create(Version(), name, days, Reviewer, Clock.At(0)));
        Assert.Equal(message, refused.Errors[field]);
    }

    [Theory]
    [InlineData(ReviewLink.MaxGuestNameLength, true)]
    [InlineData(ReviewLink.MaxGuestNameLength + 1, false)]
    public void The_guest_name_is_at_most_100_characters(int length, bool accepted)
    {
        var name = new string('x', length);
        if (accepted)
        {
            Assert.Equal(name, ReviewLink.Create(Version(), name, null, Reviewer, Clock.At(0)).Link.GuestName);
        }
        else
        {
            Assert.Contains("GuestName", Assert.Throws<InvalidContentException>(() => ReviewLink.Create(Version(), name, null, Reviewer, Clock.At(0))).Errors.Keys);
        }
    }

    [Fact]
    public void A_draft_gets_no_link()
    {
        var draft = Docs.NewArticle().Latest;

        var refused = Assert.Throws<RefusedException>(() => ReviewLink.Create(draft, "Dr Priya Shah", null, Reviewer, Clock.At(0)));
        Assert.StartsWith("A draft can still change.", refused.Message);
    }

    [Fact]
    public void Tokens_are_256_random_bits_and_only_their_hash_is_kept()
    {
        var tokens = Enumerable.Range(0, 50).Select(_ => ReviewLink.Create(Version(), "Dr Priya Shah", null, Reviewer, Clock.At(0))).ToList();

        Assert.All(tokens, t =>
        {
            Assert.Equal(32, Convert.FromBase64String(t.Token.Replace('-', '+').Replace('_', '/') + "=").Length);
            Assert.True(ReviewLink.IsWellFormed(t.Token));
            Assert.Matches("^[0-9a-f]{64}$", t.Link.TokenHash);
            Assert.NotEqual(t.Token, t.Link.TokenHash);
        });
        Assert.Equal(50, tokens.Select(t => t.Token).Distinct().Count());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("abc", false)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false)] // 42
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true)] // 43
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-", true)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/", false)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false)]
    public void Only_token_shaped_text_is_looked_up(string? token, bool wellFormed)
    {
        Assert.Equal(wellFormed, ReviewLink.IsWellFormed(token));
    }

    // ---- Revoking -----------------------------------------------------------------------------

    [Theory]
    [InlineData("Editor", 1, null)]
    [InlineData("Reviewer", 1, null)]
    [InlineData("Publisher", 1, "Only editors and reviewers can revoke a review link.")]
    [InlineData("NoRole", 1, "Only editors and reviewers can revoke a review link.")]
    [InlineData("Editor", 14 * 24 * 60, "This link has expired already; nobody can open it.")]
    public void Revoking(string role, int minute, string? refusal)
    {
        var link = Made();
        link.ClearAuditEvents();
        var by = People.ForRole(role);

        if (refusal is null)
        {
            link.Revoke(by, Clock.At(minute));
            Assert.Equal(ReviewLinkState.Revoked, link.StateAt(Clock.At(minute)));
            Assert.Equal(by.DisplayName, link.RevokedByName);
            Assert.Equal(AuditActions.ReviewLinkRevoked, Assert.Single(link.AuditEvents).Action);
            Assert.Equal($"This link was already revoked by {by.DisplayName}.", Assert.Throws<RefusedException>(() => link.Revoke(by, Clock.At(minute + 1))).Message);
        }
        else
        {
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => link.Revoke(by, Clock.At(minute))).Message);
            Assert.Null(link.RevokedAt);
            Assert.Empty(link.AuditEvents);
        }
    }

    // ---- The guest ----------------------------------------------------------------------------

    [Theory]
    [InlineData("active", null)]
    [InlineData("expired", "This review link has expired.")]
    [InlineData("revoked", "This review link was revoked.")]
    public void The_guest_views_and_comments_only_while_the_link_is_active(string state, string? refusal)
    {
        var version = Version();
        var link = Made(version);
        var at = Clock.At(10);
        if (state == "expired")
        {
            at = link.ExpiresAt.AddMinutes(1);
        }
        else if (state == "revoked")
        {
            link.Revoke(Reviewer, Clock.At(5));
        }

        var staffThread = ReviewThread.Start(version, null, null, "Is the dose right?", Reviewer, Clock.At(1));
        link.ClearAuditEvents();
        staffThread.ClearAuditEvents();

        if (refusal is null)
        {
            link.RecordView(at);
            var thread = link.StartThread(version, "p1", "Paragraph 1", "The dose changed in 2024.", at);
            link.Reply(staffThread, "Yes, for adults.", at);

            Assert.Equal("Dr Priya Shah (guest, via link)", Assert.Single(thread.Messages).AuthorName);
            Assert.Equal($"guest-link:{link.Id}", thread.Messages[0].AuthorId);
            Assert.Equal("Dr Priya Shah (guest, via link)", staffThread.Messages[^1].AuthorName);
            Assert.Equal(
                [AuditActions.ReviewLinkViewed, AuditActions.ReviewLinkCommented, AuditActions.ReviewLinkCommented],
                link.AuditEvents.Select(e => e.Action));
            Assert.All(link.AuditEvents, e => Assert.Equal("Dr Priya Shah (guest, via link)", e.ActorName));
        }
        else
        {
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => link.RecordView(at)).Message);
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => link.StartThread(version, null, null, "Hello", at)).Message);
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => link.Reply(staffThread, "Hello", at)).Message);
            Assert.Single(staffThread.Messages);
            Assert.Empty(link.AuditEvents);
        }
    }

    [Fact]
    public void The_guest_reaches_no_other_version()
    {
        var document = Docs.ChangesRequested();
        var first = document.Latest;
        var link = Made(first);
        var next = document.OpenDraft(Docs.Author, Clock.At(3), out _);
        var otherThread = ReviewThread.Start(next, null, null, "On the new draft", Reviewer, Clock.At(4));

        Assert.Equal("This link is for another version.", Assert.Throws<RefusedException>(() => link.StartThread(next, null, null, "Hello", Clock.At(5))).Message);
        Assert.Equal("That comment thread is not on the version this link shows.", Assert.Throws<RefusedException>(() => link.Reply(otherThread, "Hello", Clock.At(5))).Message);
        Assert.Single(otherThread.Messages);
    }

    [Fact]
    public void The_guest_may_not_resolve_or_reopen_a_thread()
    {
        var version = Version();
        var link = Made(version);
        var thread = link.StartThread(version, null, null, "Check the dose.", Clock.At(1));

        Assert.Throws<RefusedException>(() => thread.Resolve(link.Guest, Clock.At(2)));
        thread.Resolve(Reviewer, Clock.At(3));
        Assert.Throws<RefusedException>(() => thread.Reopen(link.Guest, Clock.At(4)));
    }
}
