namespace ContentPortal.Domain.Tests;

public class ReviewDatesTests
{
    private static readonly Actor Reviewer = Docs.SecondReviewer;

    /// <summary>Step i happens on day 100·(i+1) after <see cref="Clock.T0"/>.</summary>
    private static DateTime StepTime(int step) => Clock.T0.AddDays(100 * (step + 1));

    /// <summary>
    /// Runs steps, each making one version, except "interval:N" (a reviewer sets the review period):
    /// "import" (version 1 imported), "full" / "minor" (new version signed off that way),
    /// "sentback" (new version sent back with changes requested).
    /// </summary>
    private static Document Run(string steps)
    {
        Document? document = null;
        var tokens = steps.Split(',');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var at = StepTime(i);
            if (token.StartsWith("interval:", StringComparison.Ordinal))
            {
                document ??= Docs.NewArticle();
                document.SetReviewInterval(int.Parse(token["interval:".Length..], System.Globalization.CultureInfo.InvariantCulture), Reviewer, Clock.At(0));
                continue;
            }

            if (token == "import")
            {
                Assert.Null(document);
                document = Document.Import(DocumentKind.Article, "lower-back-pain", Contents.Article(), Actor.SeedImport, at, "seed.json");
                continue;
            }

            DocumentVersion version;
            if (document is null || document.Latest.Status == VersionStatus.Draft)
            {
                document ??= Docs.NewArticle();
                version = document.Latest;
            }
            else
            {
                version = document.OpenDraft(Docs.Author, at.AddMinutes(-3), out _);
                document.Edit(version, Contents.Article(title: $"Lower back pain, step {i}"), null, version.Revision, Docs.Author, at.AddMinutes(-2));
            }

            document.Submit(version, $"Step {i}", Docs.Author, at.AddMinutes(-1));
            switch (token)
            {
                case "full":
                    Assert.True(document.Sign(version, new SignRequest(Reviewer, version.Revision, ReviewKind.Full, at) { PasswordVerified = true }));
                    break;
                case "minor":
                    Assert.True(document.Sign(version, new SignRequest(Reviewer, version.Revision, ReviewKind.Minor, at) { PasswordVerified = true }));
                    break;
                case "sentback":
                    document.RequestChanges(version, version.Revision, Reviewer, at, "Fix it.");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(steps), token, "Unknown step.");
            }
        }

        return document ?? throw new ArgumentException("No steps.", nameof(steps));
    }

    // ---- 3. Minor vs full review dates --------------------------------------------------------

    [Theory]
    [InlineData("full", 0, 36)]
    [InlineData("import", 0, 36)]
    [InlineData("import,minor", 0, 36)]
    [InlineData("import,full", 1, 36)]
    [InlineData("full,full", 1, 36)]
    [InlineData("full,minor", 0, 36)]
    [InlineData("full,minor,minor", 0, 36)]
    [InlineData("full,minor,full", 2, 36)]
    [InlineData("full,minor,full,minor", 2, 36)]
    [InlineData("full,sentback,minor", 0, 36)]
    [InlineData("full,sentback,full", 2, 36)]
    [InlineData("interval:12,full", 1, 12)]
    [InlineData("interval:1,full", 1, 1)]
    [InlineData("interval:60,full", 1, 60)]
    [InlineData("full,interval:12,minor", 0, 36)]
    [InlineData("full,interval:12,full", 2, 12)]
    [InlineData("full,interval:12,minor,full", 3, 12)]
    public void Review_dates_after_the_last_sign_off(string steps, int reviewedAtStep, int dueMonths)
    {
        var document = Run(steps);
        var latest = document.Latest;
        var expectedReviewed = StepTime(reviewedAtStep);

        Assert.Equal(VersionStatus.Approved, latest.Status);
        Assert.Equal(expectedReviewed, latest.LastReviewed);
        Assert.Equal(expectedReviewed.AddMonths(dueMonths), latest.ReviewDue);
        Assert.Equal(latest.LastReviewed, document.LastReviewed);
        Assert.Equal(latest.ReviewDue, document.ReviewDue);
        Assert.Equal(steps.EndsWith("minor", StringComparison.Ordinal) ? ReviewKind.Minor : ReviewKind.Full, latest.ReviewKind);
    }

    [Fact]
    public void Earlier_versions_keep_their_own_review_dates()
    {
        var document = Run("full,minor,full");

        Assert.Equal(StepTime(0), document.Version(1).LastReviewed);
        Assert.Equal(StepTime(0), document.Version(2).LastReviewed);
        Assert.Equal(StepTime(0).AddMonths(36), document.Version(2).ReviewDue);
        Assert.Equal(StepTime(2), document.Version(3).LastReviewed);
    }

    [Theory]
    [InlineData("minor")]
    [InlineData("sentback,minor")]
    [InlineData("interval:12,minor")]
    [InlineData("sentback,sentback,minor")]
    public void Minor_on_a_document_never_fully_reviewed_is_refused(string steps)
    {
        var tokens = steps.Split(',');
        var document = tokens.Length == 1 ? Docs.NewArticle() : Run(string.Join(',', tokens[..^1]));
        var version = document.Versions.Count == 1 && document.Latest.Status == VersionStatus.Draft
            ? document.Latest
            : document.OpenDraft(Docs.Author, Clock.At(5000), out _);
        document.Submit(version, "Typo", Docs.Author, Clock.At(5001));

        var refused = Assert.Throws<RefusedException>(
            () => document.Sign(version, new SignRequest(Reviewer, version.Revision, ReviewKind.Minor, Clock.At(5002)) { PasswordVerified = true }));

        Assert.Equal("This document has never had a full clinical review, so this change cannot be approved as minor.", refused.Message);
        Assert.Equal(VersionStatus.InReview, version.Status);
        Assert.Empty(version.Approvals);
        Assert.Null(version.LastReviewed);
        Assert.Null(document.LastReviewed);
        Assert.Null(document.ReviewDue);
    }

    [Fact]
    public void A_full_review_of_the_never_reviewed_version_is_still_allowed_after_a_refused_minor()
    {
        var document = Docs.InReview();
        Assert.Throws<RefusedException>(() => document.Sign(document.Latest, new SignRequest(Reviewer, document.Latest.Revision, ReviewKind.Minor, Clock.At(5)) { PasswordVerified = true }));

        Assert.True(document.Sign(document.Latest, new SignRequest(Reviewer, document.Latest.Revision, ReviewKind.Full, Clock.At(6)) { PasswordVerified = true }));

        Assert.Equal(Clock.At(6), document.LastReviewed);
        Assert.Equal(Clock.At(6).AddMonths(36), document.ReviewDue);
    }

    [Theory]
    [InlineData("2024-02-29T10:00:00", 36, "2027-02-28T10:00:00")]
    [InlineData("2024-02-29T10:00:00", 48, "2028-02-29T10:00:00")]
    [InlineData("2025-01-31T10:00:00", 1, "2025-02-28T10:00:00")]
    [InlineData("2025-08-31T23:59:59", 6, "2026-02-28T23:59:59")]
    [InlineData("2025-12-15T08:30:00", 12, "2026-12-15T08:30:00")]
    public void Review_due_is_calendar_months_after_the_full_review(string signedAt, int months, string due)
    {
        var at = DateTime.SpecifyKind(DateTime.Parse(signedAt, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        var document = Docs.InReview();
        document.SetReviewInterval(months, Reviewer, Clock.At(0));

        document.Approve(document.Latest, Reviewer, at, null);

        Assert.Equal(at, document.LastReviewed);
        Assert.Equal(DateTime.SpecifyKind(DateTime.Parse(due, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc), document.ReviewDue);
    }

    [Fact]
    public void Import_sets_the_review_dates_from_the_import_time()
    {
        var document = Document.Import(DocumentKind.Article, "lower-back-pain", Contents.Article(), Actor.SeedImport, Clock.At(0), "seed.json");

        Assert.Equal(Clock.At(0), document.LastReviewed);
        Assert.Equal(Clock.At(0).AddMonths(SignOffPolicy.DefaultReviewIntervalMonths), document.ReviewDue);
        Assert.Equal(ReviewKind.Full, document.Latest.ReviewKind);
    }

    [Fact]
    public void Dates_in_force_stay_those_of_the_approved_version_while_a_newer_one_is_open_or_sent_back()
    {
        var document = Docs.Approved();
        var approvedDue = document.ReviewDue;
        var v2 = document.OpenDraft(Docs.Author, Clock.At(10), out _);
        Assert.Equal(Clock.At(2), document.LastReviewed);

        document.Submit(v2, "Resubmitted", Docs.Author, Clock.At(11));
        Assert.Equal(Clock.At(2), document.LastReviewed);

        document.RequestChanges(v2, v2.Revision, Reviewer, Clock.At(12), "No.");
        Assert.Equal(Clock.At(2), document.LastReviewed);
        Assert.Equal(approvedDue, document.ReviewDue);
        Assert.Null(v2.LastReviewed);
    }

    // ---- Review interval ----------------------------------------------------------------------

    [Theory]
    [InlineData(int.MinValue, false)]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(12, true)]
    [InlineData(60, true)]
    [InlineData(61, false)]
    [InlineData(int.MaxValue, false)]
    public void SetReviewInterval_accepts_1_to_60_months(int months, bool accepted)
    {
        var document = Docs.NewArticle();
        Assert.Equal(SignOffPolicy.DefaultReviewIntervalMonths, document.ReviewIntervalMonths);

        if (accepted)
        {
            document.SetReviewInterval(months, Reviewer, Clock.At(0));
            Assert.Equal(months, document.ReviewIntervalMonths);
        }
        else
        {
            var refused = Assert.Throws<InvalidContentException>(() => document.SetReviewInterval(months, Reviewer, Clock.At(0)));
            Assert.Equal("Choose a review period between 1 and 60 months.", refused.Errors["ReviewIntervalMonths"]);
            Assert.Equal(SignOffPolicy.DefaultReviewIntervalMonths, document.ReviewIntervalMonths);
        }
    }

    [Theory]
    [InlineData("Reviewer", true)]
    [InlineData("AdminAllRoles", true)]
    [InlineData("Editor", false)]
    [InlineData("Publisher", false)]
    [InlineData("AdminRoleOnly", false)]
    [InlineData("NoRole", false)]
    public void SetReviewInterval_is_for_reviewers(string role, bool allowed)
    {
        var document = Docs.NewArticle();
        var actor = People.ForRole(role);

        if (allowed)
        {
            document.SetReviewInterval(12, actor, Clock.At(0));
            Assert.Equal(12, document.ReviewIntervalMonths);
        }
        else
        {
            var refused = Assert.Throws<RefusedException>(() => document.SetReviewInterval(12, actor, Clock.At(0)));
            Assert.Equal("Only a reviewer can change a document's review period.", refused.Message);
            Assert.Equal(36, document.ReviewIntervalMonths);
        }
    }

    [Fact]
    public void A_new_interval_does_not_move_the_dates_already_in_force()
    {
        var document = Docs.Approved();

        document.SetReviewInterval(12, Reviewer, Clock.At(0));

        Assert.Equal(Clock.At(2).AddMonths(36), document.ReviewDue);
        Assert.Equal(Clock.At(2).AddMonths(36), document.Latest.ReviewDue);
    }

    // ---- Overdue ------------------------------------------------------------------------------

    [Theory]
    [InlineData(-365 * 24 * 60 * 60L * 10_000_000L, false)]
    [InlineData(-1L, false)]
    [InlineData(0L, true)]
    [InlineData(1L, true)]
    [InlineData(24 * 60 * 60L * 10_000_000L, true)]
    public void IsReviewOverdue_from_the_due_instant_on(long ticksFromDue, bool overdue)
    {
        var document = Docs.Approved();
        var due = document.ReviewDue!.Value;
        Assert.Equal(Clock.At(2).AddMonths(36), due);

        Assert.Equal(overdue, document.IsReviewOverdue(due.AddTicks(ticksFromDue)));
    }

    [Theory]
    [InlineData(VersionStatus.Draft)]
    [InlineData(VersionStatus.InReview)]
    [InlineData(VersionStatus.ChangesRequested)]
    public void A_document_never_approved_is_never_overdue(VersionStatus status)
    {
        var document = Docs.InState(status);

        Assert.Null(document.ReviewDue);
        Assert.False(document.IsReviewOverdue(DateTime.MaxValue));
    }

    [Fact]
    public void A_minor_change_does_not_make_an_overdue_document_current()
    {
        var document = Run("full,minor");
        var due = StepTime(0).AddMonths(36);

        Assert.True(document.IsReviewOverdue(due));
        Assert.False(document.IsReviewOverdue(due.AddTicks(-1)));
    }

    [Fact]
    public void A_full_review_makes_an_overdue_document_current_again()
    {
        var document = Docs.Approved();
        var firstDue = document.ReviewDue!.Value;
        var lateReview = firstDue.AddDays(10);
        Assert.True(document.IsReviewOverdue(lateReview));

        var v2 = document.OpenDraft(Docs.Author, lateReview.AddMinutes(-2), out _);
        document.Submit(v2, "Re-review", Docs.Author, lateReview.AddMinutes(-1));
        document.Approve(v2, Reviewer, lateReview, null);

        Assert.False(document.IsReviewOverdue(lateReview));
        Assert.Equal(lateReview.AddMonths(36), document.ReviewDue);
    }
}
