namespace ContentPortal.Domain.Tests;

public class ClaimTests
{
    private static readonly Actor Claimer = People.Reviewer("reviewer-1", "Rita Reviewer");
    private static readonly Actor Other = Docs.SecondReviewer; // "reviewer-2", "Rob Reviewer"
    private const string ClaimedByRita = "Rita Reviewer has claimed this version for review until 2025-03-04 09:03 UTC. Ask them to release it first, or an administrator.";

    private static (Document Document, DocumentVersion Version) ClaimedInReview()
    {
        var document = Docs.InReview();
        document.ClaimForReview(document.Latest, Claimer, Clock.At(3), Clock.ClaimLifetime);
        return (document, document.Latest);
    }

    // ---- Claiming -----------------------------------------------------------------------------

    [Theory]
    [InlineData("Reviewer")]
    [InlineData("AdminAllRoles")]
    public void A_reviewer_claims_a_version_in_review(string role)
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var actor = People.ForRole(role);
        var revision = version.Revision;

        document.ClaimForReview(version, actor, Clock.At(3), Clock.ClaimLifetime);

        Assert.Equal(actor.UserId, version.ClaimedById);
        Assert.Equal(actor.DisplayName, version.ClaimedByName);
        Assert.Equal(Clock.At(3), version.ClaimedAt);
        Assert.Equal(revision + 1, version.Revision);
        Assert.Equal(VersionStatus.InReview, version.Status);
    }

    [Theory]
    [InlineData("Editor")]
    [InlineData("Publisher")]
    [InlineData("AdminRoleOnly")]
    [InlineData("NoRole")]
    public void Claiming_needs_the_reviewer_role(string role)
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var revision = version.Revision;

        var refused = Assert.Throws<RefusedException>(() => document.ClaimForReview(version, People.ForRole(role), Clock.At(3), Clock.ClaimLifetime));

        Assert.Equal("Only a reviewer can claim a version for review.", refused.Message);
        Assert.Null(version.ClaimedById);
        Assert.Null(version.ClaimedAt);
        Assert.Equal(revision, version.Revision);
    }

    [Theory]
    [InlineData(VersionStatus.Draft, "This version is a draft; only a version in review can be claimed.")]
    [InlineData(VersionStatus.ChangesRequested, "This version is sent back with changes requested; only a version in review can be claimed.")]
    [InlineData(VersionStatus.Approved, "This version is approved; only a version in review can be claimed.")]
    public void Only_a_version_in_review_can_be_claimed(VersionStatus status, string message)
    {
        var document = Docs.InState(status);
        var version = document.Latest;

        var refused = Assert.Throws<RefusedException>(() => document.ClaimForReview(version, People.Reviewer("reviewer-7", "Reva"), Clock.At(9), Clock.ClaimLifetime));

        Assert.Equal(message, refused.Message);
        Assert.Null(version.ClaimedById);
    }

    [Fact]
    public void A_second_reviewer_claiming_is_refused_naming_the_claimer()
    {
        var (document, version) = ClaimedInReview();
        var revision = version.Revision;

        var refused = Assert.Throws<RefusedException>(() => document.ClaimForReview(version, Other, Clock.At(4), Clock.ClaimLifetime));

        Assert.Equal(ClaimedByRita, refused.Message);
        Assert.Equal(Claimer.UserId, version.ClaimedById);
        Assert.Equal(Clock.At(3), version.ClaimedAt);
        Assert.Equal(revision, version.Revision);
    }

    [Fact]
    public void Claiming_twice_by_the_same_reviewer_is_refused()
    {
        var (document, version) = ClaimedInReview();
        var revision = version.Revision;

        var refused = Assert.Throws<RefusedException>(() => document.ClaimForReview(version, Claimer, Clock.At(4), Clock.ClaimLifetime));

        Assert.Equal("You have already claimed this version.", refused.Message);
        Assert.Equal(Clock.At(3), version.ClaimedAt);
        Assert.Equal(revision, version.Revision);
    }

    // ---- Releasing ----------------------------------------------------------------------------

    [Fact]
    public void The_claimer_releases_and_then_another_reviewer_may_claim()
    {
        var (document, version) = ClaimedInReview();
        var revision = version.Revision;

        document.ReleaseClaim(version, Claimer, Clock.At(0));

        Assert.Null(version.ClaimedById);
        Assert.Null(version.ClaimedByName);
        Assert.Null(version.ClaimedAt);
        Assert.Equal(revision + 1, version.Revision);

        document.ClaimForReview(version, Other, Clock.At(5), Clock.ClaimLifetime);
        Assert.Equal(Other.UserId, version.ClaimedById);
    }

    [Theory]
    [InlineData("other reviewer", "Rita Reviewer claimed this version; only they or an administrator can release it.")]
    [InlineData("editor", "Only a reviewer can release a review claim.")]
    public void Only_the_claimer_or_an_administrator_releases(string who, string message)
    {
        var (document, version) = ClaimedInReview();
        var actor = who switch
        {
            "other reviewer" => Other,
            "editor" => People.Editor(),
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };
        var revision = version.Revision;

        var refused = Assert.Throws<RefusedException>(() => document.ReleaseClaim(version, actor, Clock.At(0)));

        Assert.Equal(message, refused.Message);
        Assert.Equal(Claimer.UserId, version.ClaimedById);
        Assert.Equal(revision, version.Revision);
    }

    [Theory]
    [InlineData("AdminAllRoles")]
    [InlineData("AdminRoleOnly")]
    public void An_administrator_releases_someone_elses_claim_and_it_is_audited_as_such(string role)
    {
        var (document, version) = ClaimedInReview();
        version.ClearAuditEvents();

        document.ReleaseClaim(version, People.ForRole(role), Clock.At(10));

        Assert.Null(version.ClaimedById);
        Assert.Null(version.ClaimExpiresAt);
        var released = Assert.Single(version.AuditEvents);
        Assert.Equal(AuditActions.VersionReleased, released.Action);
        Assert.Contains("claimed by Rita Reviewer; released by an administrator", released.Details);
    }

    [Theory]
    [InlineData(3 * 24 * 60 + 2, true)]   // a minute before it lapses (claimed at minute 3)
    [InlineData(3 * 24 * 60 + 3, false)]  // the moment it lapses
    [InlineData(10 * 24 * 60, false)]
    public void A_claim_lapses_after_its_lifetime_and_then_blocks_nobody(int minute, bool stillHeld)
    {
        var (document, version) = ClaimedInReview();
        Assert.Equal(Clock.At(3) + Clock.ClaimLifetime, version.ClaimExpiresAt);
        Assert.Equal(stillHeld, version.IsClaimedAt(Clock.At(minute)));

        if (stillHeld)
        {
            Assert.Equal(ClaimedByRita, Assert.Throws<RefusedException>(() => document.ClaimForReview(version, Other, Clock.At(minute), Clock.ClaimLifetime)).Message);
            return;
        }

        // Lapsed: another reviewer takes it over (audited), and could equally sign without claiming.
        document.ClaimForReview(version, Other, Clock.At(minute), Clock.ClaimLifetime);
        Assert.Equal(Other.UserId, version.ClaimedById);
        Assert.Equal(Clock.At(minute) + Clock.ClaimLifetime, version.ClaimExpiresAt);
        Assert.Contains("Rita Reviewer's claim had lapsed", version.AuditEvents[^1].Details);
        Assert.True(document.Latest.IsClaimedAt(Clock.At(minute)));
    }

    [Fact]
    public void Releasing_an_unclaimed_version_is_refused()
    {
        var document = Docs.InReview();
        var version = document.Latest;

        var refused = Assert.Throws<RefusedException>(() => document.ReleaseClaim(version, Claimer, Clock.At(0)));

        Assert.Equal("Nobody has claimed this version.", refused.Message);
    }

    // ---- Acting on a claimed version ----------------------------------------------------------

    [Theory]
    [InlineData("sign", "claimer", null)]
    [InlineData("sign", "other", ClaimedByRita)]
    [InlineData("request changes", "claimer", null)]
    [InlineData("request changes", "other", ClaimedByRita)]
    public void Acting_on_a_claimed_version(string action, string who, string? refusal)
    {
        var (document, version) = ClaimedInReview();
        var actor = who == "claimer" ? Claimer : Other;
        void Act()
        {
            if (action == "sign")
            {
                document.Approve(version, actor, Clock.At(6), null);
            }
            else
            {
                document.RequestChanges(version, version.Revision, actor, Clock.At(6), "Add the exercise advice.");
            }
        }

        if (refusal is null)
        {
            Act();
            Assert.Equal(action == "sign" ? VersionStatus.Approved : VersionStatus.ChangesRequested, version.Status);
            Assert.Equal(actor.UserId, version.Transitions[^1].ByUserId);
            Assert.Null(version.ClaimedById); // the claim ends when the version leaves review
            Assert.Null(version.ClaimedByName);
            Assert.Null(version.ClaimedAt);
        }
        else
        {
            var refused = Assert.Throws<RefusedException>(Act);
            Assert.Equal(refusal, refused.Message);
            Assert.Equal(VersionStatus.InReview, version.Status);
            Assert.Empty(version.Approvals);
            Assert.Equal(Claimer.UserId, version.ClaimedById);
        }
    }

    [Fact]
    public void Another_reviewer_may_act_once_the_claim_is_released()
    {
        var (document, version) = ClaimedInReview();
        document.ReleaseClaim(version, Claimer, Clock.At(0));

        document.Approve(version, Other, Clock.At(6), null);

        Assert.Equal(VersionStatus.Approved, version.Status);
    }

    [Fact]
    public void A_partial_signature_by_the_claimer_frees_the_claim_for_the_next_signer()
    {
        // With two required signatures the claimer's part ends with their signature: the claim is
        // released, so the second reviewer signs without waiting for anyone.
        var (document, version) = ClaimedInReview();
        var policy = SignOff.Requiring(2);
        Assert.False(document.Sign(version, new SignRequest(Claimer, version.Revision, ReviewKind.Full, Clock.At(4)) { Policy = policy, PasswordVerified = true }));
        Assert.Null(version.ClaimedById);
        Assert.Equal(VersionStatus.InReview, version.Status);

        Assert.True(document.Sign(version, new SignRequest(Other, version.Revision, ReviewKind.Full, Clock.At(5)) { Policy = policy, PasswordVerified = true }));
        Assert.Equal("Rita Reviewer, Rob Reviewer", version.ApprovedByName);
    }

    /// <summary>
    /// Four eyes makes an author unable to sign, yet ClaimForReview lets an author who holds the reviewer
    /// role claim their own version: every other reviewer is then refused ("… has claimed this version")
    /// and the claimer cannot sign either, so the version is stuck until the author releases it.
    /// </summary>
    [Fact]
    public void An_author_cannot_claim_their_own_version()
    {
        var document = Docs.InReview(); // authored by Docs.Author, who is an editor and a reviewer
        var version = document.Latest;

        var refused = Assert.Throws<RefusedException>(() => document.ClaimForReview(version, Docs.Author, Clock.At(3), Clock.ClaimLifetime));

        Assert.Contains("edited", refused.Message);
        Assert.Null(version.ClaimedById);
    }
}
