namespace ContentPortal.Domain.Tests;

/// <summary>"Keep as it is": a periodic-review signature on the published version itself (issue 27).</summary>
public class PeriodicReviewTests
{
    private static readonly DateTime Day = Clock.T0.AddDays(1000);

    private const string Hard = "# Lower back pain\n\nMusculoskeletal lumbosacral discomfort characteristically necessitates multidisciplinary physiotherapeutic intervention alongside pharmacological analgesia administration. Contemporaneous epidemiological investigations substantiate graduated mobilisation interventions.";

    /// <summary>v1 approved by <see cref="Docs.SecondReviewer"/> (minute 2) and published; two references.</summary>
    private static Document Published(string body = "# Lower back pain\r\n\r\nKeep moving.")
    {
        var content = Contents.Article(body: body) with
        {
            References = [new ReferenceInput("NICE NG59", "https://www.nice.org.uk/guidance/ng59"), new ReferenceInput("NHS", "https://www.nhs.uk/conditions/back-pain/")],
        };
        var document = Docs.NewArticle(content: content);
        document.Submit(document.Latest, "First version", Docs.Author, Clock.At(1));
        document.Sign(document.Latest, new SignRequest(Docs.SecondReviewer, document.Latest.Revision, ReviewKind.Full, Clock.At(2))
        {
            PasswordVerified = true,
            Policy = new SignOffPolicy(1),
            Answers = new SigningAnswers("Clinical terms are needed here.", [new EvidenceAnswer(1, true, null), new EvidenceAnswer(2, true, null)]),
        });
        Tamper.Set(document, nameof(Document.PublishedVersionId), document.Latest.Id);
        return document;
    }

    private static SignRequest Periodic(Document document, Actor signer, DateTime at, int required = 1, string? reason = null, string evidence = "true,true") =>
        new(signer, document.Latest.Revision, ReviewKind.Periodic, at)
        {
            PasswordVerified = true,
            Policy = new SignOffPolicy(required) { ReadingAgeTarget = SignOffPolicy.DefaultReadingAgeTarget },
            Answers = new SigningAnswers(reason, evidence.Split(',').Select((a, i) => a == "true"
                ? new EvidenceAnswer(i + 1, true, null)
                : new EvidenceAnswer(i + 1, false, a == "blank" ? null : a)).ToList()),
        };

    [Fact]
    public void Keep_as_it_is_signs_the_published_version_itself_with_the_periodic_meaning_and_a_new_review_period()
    {
        var document = Published();
        var version = document.Latest;
        var hash = version.ContentHash;
        var reviewer = SignOff.ReviewerNo(1);

        Assert.True(document.Sign(version, Periodic(document, reviewer, Day)));

        Assert.Single(document.Versions);
        Assert.Equal(VersionStatus.Approved, version.Status);
        Assert.Equal(hash, version.ContentHash);
        Assert.True(version.SignaturesVerify());
        var signature = version.Approvals[^1];
        Assert.Equal((ReviewKind.Periodic, Approval.PeriodicMeaning, hash, "Reviewer A1"), (signature.Kind, signature.Meaning, signature.ContentHash, signature.SignerName));
        Assert.Equal("I have reviewed this content at its periodic review and it remains clinically accurate.", signature.Meaning);
        Assert.Equal((Day, Day.AddMonths(36)), (version.LastReviewed, version.ReviewDue));
        document.RefreshListing();
        Assert.Equal(Day.AddMonths(36), document.ListedReviewDue);
        Assert.Equal(2, version.EvidenceChecks.Count(c => c.CheckedAt == Day && c.Rechecked));
        var actions = version.AuditEvents.Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.VersionSigned, AuditActions.VersionPeriodicReviewed], actions[^2..]);
        Assert.Contains("kept as it is (1 of 1 signatures: Reviewer A1)", version.AuditEvents[^1].Details, StringComparison.Ordinal);
    }

    [Theory]
    // Required approvals: the round completes with the policy's count of distinct signers, then starts again.
    [InlineData(1, "A1", "done")]
    [InlineData(2, "A1", "waiting")]
    [InlineData(2, "A1,A2", "done")]
    [InlineData(2, "A1,A1", "You have already signed this periodic review.")]
    [InlineData(3, "A1,A2", "waiting")]
    [InlineData(3, "A1,A2,A3", "done")]
    // Once a round completes, the same reviewers may sign the next one.
    [InlineData(1, "A1,A1", "done")]
    [InlineData(2, "A1,A2,A1", "waiting")]
    [InlineData(2, "A1,A2,A2,A1", "done")]
    public void Required_approvals_count_distinct_signers_per_round(int required, string signers, string outcome)
    {
        var document = Published();
        var version = document.Latest;
        var names = signers.Split(',');
        bool completed = false;
        Exception? refused = null;
        DateTime last = default;
        for (var i = 0; i < names.Length; i++)
        {
            last = Day.AddDays(i);
            var signer = People.Reviewer($"reviewer-{names[i].ToLowerInvariant()}", $"Reviewer {names[i]}");
            refused = Record.Exception(() => completed = document.Sign(version, Periodic(document, signer, last, required)));
            if (refused is not null)
            {
                break;
            }
        }

        switch (outcome)
        {
            case "done":
                Assert.Null(refused);
                Assert.True(completed);
                Assert.Equal((last, last.AddMonths(36)), (version.LastReviewed, version.ReviewDue));
                Assert.Empty(version.PeriodicRound());
                break;
            case "waiting":
                Assert.Null(refused);
                Assert.False(completed);
                Assert.NotEqual(last, version.LastReviewed);
                Assert.NotEmpty(version.PeriodicRound());
                break;
            default:
                Assert.IsType<RefusedException>(refused);
                Assert.StartsWith(outcome, refused!.Message, StringComparison.Ordinal);
                break;
        }
    }

    [Theory]
    [InlineData("author", "You edited this version, so you cannot approve it.")]
    [InlineData("editor-only", "Only a reviewer can sign a periodic review.")]
    [InlineData("publisher-only", "Only a reviewer can sign a periodic review.")]
    [InlineData("no-password", "Enter your password to sign.")]
    [InlineData("stale", "This version changed while you were reading it")]
    [InlineData("unpublished", "This document has not been published, so it has no periodic review yet.")]
    [InlineData("not-the-published", "Version 1 is not the published version.")]
    [InlineData("retired", "\u201cLower back pain\u201d is retired")]
    [InlineData("newer-approved", "Version 2 is approved and replaces version 1 at the next publish")]
    [InlineData("reset-by-author", "Alex Author reset your password and also edited this version")]
    [InlineData("password-set-by-admin", "An administrator set your password")]
    [InlineData("sponsored-by-author", "Alex Author created your account and also edited this version")]
    [InlineData("tampered", "This version's content no longer matches what was submitted")]
    [InlineData("ok", null)]
    public void Keep_as_it_is_is_refused_as_an_approval_would_be(string situation, string? refusal)
    {
        var document = Published();
        var version = document.Latest;
        var signer = situation switch
        {
            "author" => Docs.Author,
            "editor-only" => People.Editor("editor-9", "Ed Nine"),
            "publisher-only" => People.Publisher(),
            "sponsored-by-author" => SignOff.ReviewerNo(1) with { Sponsors = [new Sponsor(Docs.Author.UserId, Docs.Author.DisplayName, "created your account")] },
            _ => SignOff.ReviewerNo(1),
        };
        var request = Periodic(document, signer, Day);
        switch (situation)
        {
            case "no-password":
                request = request with { PasswordVerified = false };
                break;
            case "stale":
                request = request with { ReadRevision = version.Revision - 1 };
                break;
            case "unpublished":
                Tamper.Set(document, nameof(Document.PublishedVersionId), null);
                break;
            case "not-the-published":
                Tamper.Set(document, nameof(Document.PublishedVersionId), Guid.NewGuid());
                break;
            case "retired":
                document.Retire(People.Publisher(), Clock.At(50));
                break;
            case "newer-approved":
                Docs.ApproveNewVersion(document, "Lower back pain (2)", 60);
                break;
            case "reset-by-author":
                request = request with { Administrations = [new AccountAdministration(Docs.Author.UserId, Docs.Author.DisplayName, signer.UserId, signer.DisplayName, AdministrationAction.ResetPassword, Clock.At(3))] };
                break;
            case "password-set-by-admin":
                request = request with { PasswordSetByAdministrator = true };
                break;
            case "tampered":
                Tamper.Set(version, nameof(DocumentVersion.Title), "Changed in the database");
                break;
        }

        var approvals = version.Approvals.Count;
        var reviewed = version.LastReviewed;
        var exception = Record.Exception(() => document.Sign(version, request));

        if (refusal is null)
        {
            Assert.Null(exception);
            return;
        }

        Assert.NotNull(exception);
        Assert.StartsWith(refusal, exception is InvalidContentException invalid ? string.Join(" ", invalid.Errors.Values) : exception.Message, StringComparison.Ordinal);
        Assert.Equal(approvals, version.Approvals.Count);
        Assert.Equal(reviewed, version.LastReviewed);
    }

    [Theory]
    // Every reference re-checked or a reason; the reading-age reason when above the target.
    [InlineData(false, null, "true,true", null)]
    [InlineData(false, null, "true,Link is gone", null)]
    [InlineData(false, null, "true,blank", "Evidence[1].Reason")]
    [InlineData(false, null, "blank,blank", "Evidence[0].Reason")]
    [InlineData(true, null, "true,true", "ReadabilityReason")]
    [InlineData(true, "Clinical terms are needed.", "true,true", null)]
    [InlineData(true, "Clinical terms are needed.", "true,blank", "Evidence[1].Reason")]
    public void Keep_as_it_is_needs_the_evidence_answers_and_the_reading_age_reason(bool hard, string? reason, string evidence, string? problemField)
    {
        var document = Published(hard ? Hard : "# Lower back pain\r\n\r\nKeep moving.");
        var version = document.Latest;

        var exception = Record.Exception(() => document.Sign(version, Periodic(document, SignOff.ReviewerNo(1), Day, reason: reason, evidence: evidence)));

        if (problemField is null)
        {
            Assert.Null(exception);
            Assert.Equal(hard ? reason : null, version.Approvals[^1].ReadabilityReason);
            Assert.Equal(evidence.Split(',').Count(e => e != "true"), version.EvidenceChecks.Count(c => c.CheckedAt == Day && !c.Rechecked));
        }
        else
        {
            var invalid = Assert.IsType<InvalidContentException>(exception);
            Assert.Contains(problemField, invalid.Errors.Keys);
            Assert.Single(version.Approvals);
        }
    }

    [Fact]
    public void A_version_in_the_workflow_is_not_kept_by_a_periodic_review_but_approved()
    {
        var document = Docs.InReview();
        var version = document.Latest;
        Tamper.Set(document, nameof(Document.PublishedVersionId), version.Id);

        var refused = Assert.Throws<RefusedException>(() => document.Sign(version, new SignRequest(SignOff.ReviewerNo(1), version.Revision, ReviewKind.Periodic, Day) { PasswordVerified = true }));

        Assert.StartsWith("This version is in review. A periodic review keeps a published, approved version as it is", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_periodic_review_keeps_earlier_signatures_verifying_and_moves_the_revision_on()
    {
        var document = Published();
        var version = document.Latest;
        var revision = version.Revision;
        var first = version.Approvals[0];

        document.Sign(version, Periodic(document, SignOff.ReviewerNo(1), Day, required: 2));

        Assert.Equal(revision + 1, version.Revision);
        Assert.True(first.Verifies(version));
        Assert.All(version.Approvals, a => Assert.True(a.Verifies(version)));
        Assert.Equal(Clock.At(2), version.LastReviewed);
    }

    [Theory]
    // (published version, its periodic reviews) → (next version, its periodic reviews): what the publish calls it.
    [InlineData(1, 0, 1, 0, null)]
    [InlineData(1, 0, 1, 1, EntryChange.Reviewed)]
    [InlineData(1, 1, 1, 2, EntryChange.Reviewed)]
    [InlineData(1, 2, 1, 2, null)]
    [InlineData(1, 1, 2, 0, EntryChange.Changed)]
    public void A_version_kept_at_a_periodic_review_is_published_as_reviewed(int publishedNumber, int publishedReviews, int nextNumber, int nextReviews, EntryChange? expected)
    {
        var documentId = Guid.NewGuid();
        var versionIds = new Dictionary<int, Guid> { [1] = Guid.NewGuid(), [2] = Guid.NewGuid() };
        SnapshotEntry Entry(int number, int reviews) => new(documentId, versionIds[number], number, DocumentKind.Article, "lower-back-pain", "Lower back pain", reviews);
        var current = new SnapshotContents(4, [Entry(publishedNumber, publishedReviews)]);
        var next = Entry(nextNumber, nextReviews);

        var edited = SnapshotPlan.For(current, [new PendingEntry(documentId, DocumentKind.Article, "lower-back-pain", next, Published: true)]);
        var compared = SnapshotPlan.For(current, [next]);

        foreach (var plan in new[] { edited, compared })
        {
            Assert.Equal(expected, plan.Changes.SingleOrDefault()?.Change);
        }

        // Anything that differs is a new manifest row (and so a new item), the same as for a new version.
        var (written, closed) = edited.Edit!.Rows();
        Assert.Equal(expected is null ? 0 : 1, written.Count);
        Assert.Equal(expected is null ? 0 : 1, closed.Count);
    }
}

public class ReviseAtPeriodicReviewTests
{
    [Theory]
    [InlineData("reviewer", "ok", "Add the 2024 guidance.", null)]
    [InlineData("editor", "ok", "Add the 2024 guidance.", "Only a reviewer can revise a document at its periodic review.")]
    [InlineData("reviewer", "ok", "  ", "Say what should change, for the editors.")]
    [InlineData("reviewer", "ok", "LONG", "Keep the note to 4000 characters.")]
    [InlineData("reviewer", "draft-open", "Add the 2024 guidance.", "Version 2 is a draft already")]
    [InlineData("reviewer", "unpublished", "Add the 2024 guidance.", "Version 1 is not the published version.")]
    [InlineData("reviewer", "retired", "Add the 2024 guidance.", "Version 1 is not the published version.")]
    public void Revise_opens_the_next_draft_from_the_published_version(string who, string situation, string note, string? refusal)
    {
        var document = Docs.Approved();
        var published = document.Latest;
        Tamper.Set(document, nameof(Document.PublishedVersionId), published.Id);
        var by = who == "reviewer" ? SignOff.ReviewerNo(1) : People.Editor("editor-9", "Ed Nine");
        switch (situation)
        {
            case "draft-open":
                document.OpenDraft(Docs.Author, Clock.At(20), out _);
                break;
            case "unpublished":
                Tamper.Set(document, nameof(Document.PublishedVersionId), null);
                break;
            case "retired":
                document.Retire(People.Publisher(), Clock.At(20));
                break;
        }

        var versions = document.Versions.Count;
        var exception = Record.Exception(() => document.Revise(published, note == "LONG" ? new string('x', 4001) : note, by, Clock.At(30)));

        if (refusal is not null)
        {
            Assert.NotNull(exception);
            Assert.StartsWith(refusal, exception is InvalidContentException invalid ? string.Join(" ", invalid.Errors.Values) : exception.Message, StringComparison.Ordinal);
            Assert.Equal(versions, document.Versions.Count);
            return;
        }

        Assert.Null(exception);
        var draft = document.Latest;
        Assert.Equal((2, VersionStatus.Draft), (draft.Number, draft.Status));
        Assert.Equal(published.ComputeHash(), draft.ComputeHash());
        Assert.Empty(draft.Authors); // the reviewer wrote nothing, so may still approve the revision
        Assert.Equal(published.Id, document.LatestApproved!.Id); // still due: the dates stay the published version's
        Assert.Contains("to revise it at its periodic review: Add the 2024 guidance.", document.AuditEvents[^1].Details, StringComparison.Ordinal);
    }
}
