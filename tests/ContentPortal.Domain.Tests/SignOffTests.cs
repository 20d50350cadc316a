namespace ContentPortal.Domain.Tests;

public class SignOffTests
{
    private const string RoleRefusal = "Only a reviewer can approve a version.";
    private const string AuthorRefusal = "You edited this version, so you cannot approve it.";

    private static Actor Signer(string label) => label switch
    {
        "Reviewer" => People.Reviewer("signer-1", "Sid Signer"),
        "EditorOnly" => People.With("signer-1", "Sid Signer", Roles.Editor),
        "PublisherOnly" => People.With("signer-1", "Sid Signer", Roles.Publisher),
        "AdminOnly" => People.With("signer-1", "Sid Signer", Roles.Admin),
        "AdminReviewer" => People.With("signer-1", "Sid Signer", Roles.Admin, Roles.Reviewer),
        "AdminAllRoles" => People.Admin("signer-1", "Sid Signer"),
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown signer label."),
    };

    // ---- 1. Transitions × roles × authorship --------------------------------------------------

    [Theory]
    // A reviewer: only a version in review they did not edit.
    [InlineData("Reviewer", false, VersionStatus.InReview, null)]
    [InlineData("Reviewer", true, VersionStatus.InReview, AuthorRefusal)]
    [InlineData("Reviewer", false, VersionStatus.Draft, "This version is a draft, so it cannot be approved. Only a version in review can be.")]
    [InlineData("Reviewer", true, VersionStatus.Draft, "This version is a draft, so it cannot be approved.")]
    [InlineData("Reviewer", false, VersionStatus.ChangesRequested, "This version is sent back with changes requested, so it cannot be approved.")]
    [InlineData("Reviewer", true, VersionStatus.ChangesRequested, "This version is sent back with changes requested, so it cannot be approved.")]
    [InlineData("Reviewer", false, VersionStatus.Approved, "This version is approved, so it cannot be approved.")]
    [InlineData("Reviewer", true, VersionStatus.Approved, "This version is approved, so it cannot be approved.")]
    // Without the reviewer role the role refusal comes first, whatever the state or authorship.
    [InlineData("EditorOnly", false, VersionStatus.InReview, RoleRefusal)]
    [InlineData("EditorOnly", true, VersionStatus.InReview, RoleRefusal)]
    [InlineData("EditorOnly", false, VersionStatus.Draft, RoleRefusal)]
    [InlineData("EditorOnly", false, VersionStatus.Approved, RoleRefusal)]
    [InlineData("PublisherOnly", false, VersionStatus.InReview, RoleRefusal)]
    [InlineData("PublisherOnly", true, VersionStatus.InReview, RoleRefusal)]
    [InlineData("PublisherOnly", false, VersionStatus.ChangesRequested, RoleRefusal)]
    [InlineData("PublisherOnly", false, VersionStatus.Approved, RoleRefusal)]
    [InlineData("AdminOnly", false, VersionStatus.InReview, RoleRefusal)]
    [InlineData("AdminOnly", true, VersionStatus.InReview, RoleRefusal)]
    [InlineData("AdminOnly", false, VersionStatus.Draft, RoleRefusal)]
    [InlineData("AdminOnly", false, VersionStatus.ChangesRequested, RoleRefusal)]
    // An administrator signs as a reviewer only when holding that role, and four eyes still applies.
    [InlineData("AdminReviewer", false, VersionStatus.InReview, null)]
    [InlineData("AdminReviewer", true, VersionStatus.InReview, AuthorRefusal)]
    [InlineData("AdminReviewer", false, VersionStatus.Draft, "This version is a draft, so it cannot be approved.")]
    [InlineData("AdminReviewer", false, VersionStatus.Approved, "This version is approved, so it cannot be approved.")]
    [InlineData("AdminAllRoles", false, VersionStatus.InReview, null)]
    [InlineData("AdminAllRoles", true, VersionStatus.InReview, AuthorRefusal)]
    [InlineData("AdminAllRoles", false, VersionStatus.ChangesRequested, "This version is sent back with changes requested, so it cannot be approved.")]
    [InlineData("AdminAllRoles", true, VersionStatus.Approved, "This version is approved, so it cannot be approved.")]
    public void Sign_by_role_authorship_and_state(string signerLabel, bool authored, VersionStatus status, string? refusal)
    {
        var document = Docs.InState(status);
        var version = document.Latest;
        var signer = Signer(signerLabel);
        if (authored)
        {
            // Someone who edited the version (and may since have lost the editor role): history as stored.
            Tamper.List<VersionAuthor>(version, "_authors").Add(new VersionAuthor(signer.UserId, signer.DisplayName));
        }

        var approvalsBefore = version.Approvals.Count;
        var revisionBefore = version.Revision;
        var approvedByBefore = version.ApprovedByName;

        if (refusal is null)
        {
            var completed = document.Sign(version, new SignRequest(signer, version.Revision, ReviewKind.Full, Clock.At(30)) { PasswordVerified = true });

            Assert.True(completed);
            Assert.Equal(VersionStatus.Approved, version.Status);
            var approval = Assert.Single(version.Approvals);
            Assert.Equal(signer.UserId, approval.SignerId);
            Assert.Equal("Sid Signer", version.ApprovedByName);
            Assert.Equal(Clock.At(30), version.ApprovedAt);
            Assert.Equal(Clock.At(30), version.LastReviewed);
            Assert.Equal(VersionStatus.Approved, version.Transitions[^1].To);
            Assert.Equal(signer.UserId, version.Transitions[^1].ByUserId);
        }
        else
        {
            var refused = Assert.Throws<RefusedException>(
                () => document.Sign(version, new SignRequest(signer, version.Revision, ReviewKind.Full, Clock.At(30)) { PasswordVerified = true }));

            Assert.Contains(refusal, refused.Message);
            Assert.Equal(status, version.Status);
            Assert.Equal(approvalsBefore, version.Approvals.Count);
            Assert.Equal(revisionBefore, version.Revision);
            Assert.Equal(approvedByBefore, version.ApprovedByName);
            Assert.DoesNotContain(version.Approvals, a => a.SignerId == signer.UserId);
        }
    }

    [Fact]
    public void Sign_refuses_a_version_of_another_document()
    {
        var document = Docs.InReview("lower-back-pain");
        var other = Docs.InReview("neck-pain");

        var refused = Assert.Throws<RefusedException>(() => document.Approve(other.Latest, Docs.SecondReviewer, Clock.At(5), null));

        Assert.Equal("That version belongs to another document.", refused.Message);
        Assert.Equal(VersionStatus.InReview, other.Latest.Status);
        Assert.Empty(other.Latest.Approvals);
    }

    // ---- 2. Required approvals ----------------------------------------------------------------

    [Theory]
    [InlineData(1, 1, VersionStatus.Approved)]
    [InlineData(2, 1, VersionStatus.InReview)]
    [InlineData(2, 2, VersionStatus.Approved)]
    [InlineData(3, 1, VersionStatus.InReview)]
    [InlineData(3, 2, VersionStatus.InReview)]
    [InlineData(3, 3, VersionStatus.Approved)]
    // A policy below one still needs one signature.
    [InlineData(0, 1, VersionStatus.Approved)]
    [InlineData(-1, 1, VersionStatus.Approved)]
    public void Status_after_k_signatures(int required, int signatures, VersionStatus expected)
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var policy = SignOff.Requiring(required);

        var results = Enumerable.Range(1, signatures)
            .Select(k => document.Sign(version, new SignRequest(SignOff.ReviewerNo(k), version.Revision, ReviewKind.Full, Clock.At(10 + k)) { Policy = policy, PasswordVerified = true }))
            .ToList();

        Assert.Equal(expected, version.Status);
        Assert.Equal(signatures, version.Approvals.Count);
        Assert.Equal(expected == VersionStatus.Approved, results[^1]);
        Assert.All(results.Take(signatures - 1), r => Assert.False(r));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Approval_completes_exactly_at_the_required_count(int required)
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var policy = SignOff.Requiring(required);
        var transitionsBefore = version.Transitions.Count;

        for (var k = 1; k < required; k++)
        {
            var revisionBefore = version.Revision;

            Assert.False(document.Sign(version, new SignRequest(SignOff.ReviewerNo(k), version.Revision, ReviewKind.Full, Clock.At(10 + k)) { Policy = policy, PasswordVerified = true, Comment = $"Signature {k}" }));

            Assert.Equal(VersionStatus.InReview, version.Status);
            Assert.Equal(revisionBefore + 1, version.Revision); // reviewers' open forms are now stale
            Assert.Null(version.ApprovedAt);
            Assert.Null(version.ApprovedByName);
            Assert.Null(version.ReviewKind);
            Assert.Null(version.LastReviewed);
            Assert.Null(version.ReviewDue);
            Assert.Equal(transitionsBefore, version.Transitions.Count); // a partial signature is no workflow step
            Assert.Null(document.LatestApproved);
        }

        Assert.True(document.Sign(version, new SignRequest(SignOff.ReviewerNo(required), version.Revision, ReviewKind.Full, Clock.At(10 + required)) { Policy = policy, PasswordVerified = true }));

        Assert.Equal(VersionStatus.Approved, version.Status);
        Assert.Equal(Clock.At(10 + required), version.ApprovedAt);
        Assert.Equal(
            string.Join(", ", Enumerable.Range(1, required).Select(k => $"Reviewer A{k}")),
            version.ApprovedByName);
        Assert.Equal(Enumerable.Range(1, required).Select(k => $"reviewer-a{k}"), version.Approvals.Select(a => a.SignerId));
        Assert.Equal(transitionsBefore + 1, version.Transitions.Count);
        Assert.Equal($"reviewer-a{required}", version.Transitions[^1].ByUserId);
        Assert.Same(version, document.LatestApproved);

        var late = Assert.Throws<RefusedException>(
            () => document.Sign(version, new SignRequest(SignOff.ReviewerNo(99), version.Revision, ReviewKind.Full, Clock.At(50)) { Policy = policy, PasswordVerified = true }));
        Assert.Contains("This version is approved, so it cannot be approved.", late.Message);
        Assert.Equal(required, version.Approvals.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void The_same_reviewer_cannot_sign_twice(int required)
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var policy = SignOff.Requiring(required);
        document.Sign(version, new SignRequest(SignOff.ReviewerNo(1), version.Revision, ReviewKind.Full, Clock.At(10)) { Policy = policy, PasswordVerified = true });
        var revision = version.Revision;

        var refused = Assert.Throws<RefusedException>(
            () => document.Sign(version, new SignRequest(SignOff.ReviewerNo(1), version.Revision, ReviewKind.Full, Clock.At(11)) { Policy = policy, PasswordVerified = true }));

        Assert.Equal("You have already signed this version. Another reviewer must add the next signature.", refused.Message);
        Assert.Single(version.Approvals);
        Assert.Equal(VersionStatus.InReview, version.Status);
        Assert.Equal(revision, version.Revision);
    }

    [Fact]
    public void The_same_reviewer_signing_again_after_approval_is_refused_as_already_approved()
    {
        var document = Docs.Approved();

        var refused = Assert.Throws<RefusedException>(() => document.Approve(document.Latest, Docs.SecondReviewer, Clock.At(5), null));

        Assert.Contains("This version is approved, so it cannot be approved.", refused.Message);
        Assert.Single(document.Latest.Approvals);
    }

    [Theory]
    [InlineData("creator")]
    [InlineData("later editor")]
    public void A_second_signature_by_an_author_is_refused(string who)
    {
        var laterEditor = People.EditorReviewer("editor-2", "Ed Second");
        var document = Docs.NewArticle();
        var version = document.Latest;
        document.Edit(version, Contents.Article(title: "Back pain"), null, version.Revision, laterEditor, Clock.At(1));
        document.Submit(version, "Reworded", Docs.Author, Clock.At(2));
        var policy = SignOff.Requiring(2);
        Assert.False(document.Sign(version, new SignRequest(SignOff.ReviewerNo(1), version.Revision, ReviewKind.Full, Clock.At(3)) { Policy = policy, PasswordVerified = true }));
        var author = who == "creator" ? Docs.Author : laterEditor;

        var refused = Assert.Throws<RefusedException>(() => document.Sign(version, new SignRequest(author, version.Revision, ReviewKind.Full, Clock.At(4)) { Policy = policy, PasswordVerified = true }));

        Assert.Contains(AuthorRefusal, refused.Message);
        Assert.Equal(VersionStatus.InReview, version.Status);
        Assert.Equal(["reviewer-a1"], version.Approvals.Select(a => a.SignerId));
    }

    [Theory]
    [InlineData("Full", ReviewKind.Full)]
    [InlineData("Minor", ReviewKind.Minor)]
    [InlineData("Full,Full", ReviewKind.Full)]
    [InlineData("Full,Minor", ReviewKind.Full)]
    [InlineData("Minor,Full", ReviewKind.Full)]
    [InlineData("Minor,Minor", ReviewKind.Minor)]
    [InlineData("Minor,Minor,Minor", ReviewKind.Minor)]
    [InlineData("Minor,Full,Minor", ReviewKind.Full)]
    [InlineData("Minor,Minor,Full", ReviewKind.Full)]
    public void ReviewKind_is_full_if_any_signature_is_full_and_minor_only_if_all_are(string kinds, ReviewKind expected)
    {
        var document = SignOff.WithSecondVersionInReview(out var v2);
        var signatures = kinds.Split(',').Select(Enum.Parse<ReviewKind>).ToList();
        var policy = SignOff.Requiring(signatures.Count);

        for (var k = 0; k < signatures.Count; k++)
        {
            document.Sign(v2, new SignRequest(SignOff.ReviewerNo(k + 1), v2.Revision, signatures[k], Clock.At(20 + k)) { Policy = policy, PasswordVerified = true });
        }

        Assert.Equal(VersionStatus.Approved, v2.Status);
        Assert.Equal(expected, v2.ReviewKind);
        Assert.Equal(signatures, v2.Approvals.Select(a => a.Kind));
        Assert.Equal(signatures.Select(Approval.MeaningOf), v2.Approvals.Select(a => a.Meaning));
    }

    [Theory]
    [InlineData(ReviewKind.Full, Approval.FullMeaning)]
    [InlineData(ReviewKind.Minor, Approval.MinorMeaning)]
    public void A_signature_records_signer_role_time_meaning_and_the_content_hash(ReviewKind kind, string meaning)
    {
        var document = SignOff.WithSecondVersionInReview(out var v2);
        var admin = People.Admin("admin-9", "Ava Admin");

        document.Sign(v2, new SignRequest(admin, v2.Revision, kind, Clock.At(40)) { PasswordVerified = true, Comment = "  Checked against NICE CG88.  " });

        var approval = Assert.Single(v2.Approvals);
        Assert.Equal("admin-9", approval.SignerId);
        Assert.Equal("Ava Admin", approval.SignerName);
        Assert.Equal(Roles.Reviewer, approval.SignerRole); // signs in the reviewer capacity, whatever else they hold
        Assert.Equal(Clock.At(40), approval.SignedAt);
        Assert.Equal(meaning, approval.Meaning);
        Assert.Equal(kind, approval.Kind);
        Assert.Equal("Checked against NICE CG88.", approval.Comment);
        Assert.Equal(v2.ContentHash, approval.ContentHash);
        Assert.Equal(v2.ComputeHash(), approval.ContentHash);
        Assert.StartsWith("sha256:", approval.ContentHash);
        Assert.Equal("Checked against NICE CG88.", v2.Transitions[^1].Comment);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_signing_comment_is_stored_as_none(string? comment)
    {
        var document = Docs.InReview();

        document.Approve(document.Latest, Docs.SecondReviewer, Clock.At(5), comment);

        Assert.Null(Assert.Single(document.Latest.Approvals).Comment);
        Assert.Null(document.Latest.Transitions[^1].Comment);
    }

    // ---- 5. Signatures after a content change -------------------------------------------------

    [Fact]
    public void Untampered_signatures_verify()
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var policy = SignOff.Requiring(2);
        document.Sign(version, new SignRequest(SignOff.ReviewerNo(1), version.Revision, ReviewKind.Full, Clock.At(5)) { Policy = policy, PasswordVerified = true });
        document.Sign(version, new SignRequest(SignOff.ReviewerNo(2), version.Revision, ReviewKind.Full, Clock.At(6)) { Policy = policy, PasswordVerified = true });

        Assert.All(version.Approvals, a => Assert.True(a.Verifies(version)));
        Assert.True(version.SignaturesVerify());
        Assert.All(version.Approvals, a => Assert.Equal(version.ContentHash, a.ContentHash));
    }

    [Theory]
    [InlineData(nameof(DocumentVersion.Title), "Lower back pain (tampered)")]
    [InlineData(nameof(DocumentVersion.Summary), "Rest in bed for two weeks.")]
    [InlineData(nameof(DocumentVersion.BodyMarkdown), "# Lower back pain\n\nStay in bed.")]
    [InlineData(nameof(DocumentVersion.Kind), DocumentKind.RedFlagList)]
    public void Changing_signed_article_content_breaks_its_signatures(string property, object value)
    {
        var document = Docs.Approved();
        var version = document.Latest;
        var approval = Assert.Single(version.Approvals);
        Assert.True(approval.Verifies(version));

        Tamper.Set(version, property, value);

        Assert.False(approval.Verifies(version));
        Assert.False(version.SignaturesVerify());
        Assert.NotEqual(approval.ContentHash, version.ComputeHash());
    }

    [Theory]
    [InlineData(nameof(RedFlag.Symptom), "Mild stiffness")]
    [InlineData(nameof(RedFlag.Advice), "Rest and wait.")]
    [InlineData(nameof(RedFlag.Urgency), Urgency.Routine)]
    [InlineData(nameof(RedFlag.Position), 5)]
    public void Changing_a_signed_red_flag_breaks_its_signatures(string property, object value)
    {
        var document = Docs.NewRedFlagList(
            "back-pain-red-flags",
            Contents.Flag(),
            Contents.Flag("Loss of bladder control", "Call 999 now.", "emergency"));
        var version = document.Latest;
        document.Submit(version, "First list", Docs.Author, Clock.At(1));
        document.Approve(version, Docs.SecondReviewer, Clock.At(2), null);
        Assert.True(version.SignaturesVerify());

        Tamper.Set(version.Flags[0], property, value);

        Assert.False(Assert.Single(version.Approvals).Verifies(version));
        Assert.False(version.SignaturesVerify());
    }

    [Fact]
    public void Removing_a_signed_red_flag_breaks_its_signatures()
    {
        var document = Docs.NewRedFlagList("back-pain-red-flags", Contents.Flag(), Contents.Flag("Loss of bladder control"));
        var version = document.Latest;
        document.Submit(version, "First list", Docs.Author, Clock.At(1));
        document.Approve(version, Docs.SecondReviewer, Clock.At(2), null);

        Tamper.List<RedFlag>(version, "_flags").RemoveAt(1);

        Assert.False(version.SignaturesVerify());
    }

    [Theory]
    [InlineData(nameof(DocumentVersion.ChangeNote), "Edited note")]
    [InlineData(nameof(DocumentVersion.UpdatedByName), "Someone else")]
    [InlineData(nameof(DocumentVersion.CreatedByName), "Someone else")]
    public void Fields_outside_the_signed_content_do_not_affect_signatures(string property, object value)
    {
        var document = Docs.Approved();
        var version = document.Latest;

        Tamper.Set(version, property, value);

        Assert.True(version.SignaturesVerify());
    }

    [Fact]
    public void Only_the_signatures_made_before_a_change_stop_verifying_and_the_next_signer_is_refused()
    {
        var document = Docs.InReview();
        var version = document.Latest;
        var policy = SignOff.Requiring(2);
        document.Sign(version, new SignRequest(SignOff.ReviewerNo(1), version.Revision, ReviewKind.Full, Clock.At(5)) { Policy = policy, PasswordVerified = true });
        var signedHash = version.ContentHash;

        Tamper.Set(version, nameof(DocumentVersion.BodyMarkdown), "Changed after the first signature.");

        Assert.False(version.SignaturesVerify());
        var refused = Assert.Throws<RefusedException>(
            () => document.Sign(version, new SignRequest(SignOff.ReviewerNo(2), version.Revision, ReviewKind.Full, Clock.At(6)) { Policy = policy, PasswordVerified = true }));
        Assert.Contains("no longer matches what was submitted", refused.Message);
        Assert.Single(version.Approvals);
        Assert.Equal(VersionStatus.InReview, version.Status);
        Assert.Equal(signedHash, version.Approvals[0].ContentHash);
    }

    [Fact]
    public void Restoring_the_signed_content_makes_the_signature_verify_again()
    {
        var document = Docs.Approved();
        var version = document.Latest;
        var original = version.Title;

        Tamper.Set(version, nameof(DocumentVersion.Title), "Tampered");
        Assert.False(version.SignaturesVerify());
        Tamper.Set(version, nameof(DocumentVersion.Title), original);

        Assert.True(version.SignaturesVerify());
    }

    /// <summary>
    /// SignaturesVerify is documented as "false if anything in the version changed", but it only checks
    /// the approvals, and All() over no approvals is true: an imported version (approved with no
    /// signature) or any version nobody signed yet reports "verifies" after its content was altered,
    /// although its frozen ContentHash no longer matches.
    /// </summary>
    [Fact]
    public void SignaturesVerify_is_false_for_an_imported_version_whose_content_changed()
    {
        var document = Document.Import(DocumentKind.Article, "lower-back-pain", Contents.Article(), Actor.SeedImport, Clock.At(0), "seed.json");
        var version = document.Latest;
        Assert.True(version.SignaturesVerify());

        Tamper.Set(version, nameof(DocumentVersion.Title), "Tampered after import");

        Assert.NotEqual(version.ContentHash, version.ComputeHash());
        Assert.False(version.SignaturesVerify());
    }

    // ---- The signing request ------------------------------------------------------------------

    [Theory]
    // Without the password re-entered nothing is signed, and the message goes by the Password field.
    [InlineData(false, "Reviewer", VersionStatus.InReview, "Enter your password to sign.")]
    [InlineData(true, "Reviewer", VersionStatus.InReview, null)]
    // A request that could not be signed anyway is refused for that first (the page asks no password then).
    [InlineData(false, "Reviewer", VersionStatus.Approved, "This version is approved, so it cannot be approved.")]
    [InlineData(false, "EditorOnly", VersionStatus.InReview, RoleRefusal)]
    public void Signing_needs_the_password_reentered(bool passwordVerified, string signerLabel, VersionStatus status, string? refusal)
    {
        var document = Docs.InState(status);
        var version = document.Latest;
        var request = new SignRequest(Signer(signerLabel), version.Revision, ReviewKind.Full, Clock.At(30)) { PasswordVerified = passwordVerified };

        if (refusal is null)
        {
            Assert.True(document.Sign(version, request));
            Assert.Equal(VersionStatus.Approved, version.Status);
            return;
        }

        var approvals = version.Approvals.Count;
        var thrown = Assert.ThrowsAny<RefusedException>(() => document.Sign(version, request));
        var message = thrown is InvalidContentException invalid ? invalid.Errors["Password"] : thrown.Message;
        Assert.StartsWith(refusal, message);
        Assert.Equal(status, version.Status);
        Assert.Equal(approvals, version.Approvals.Count);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("   ", null)]
    [InlineData("  Checked against NICE NG59.  ", "Checked against NICE NG59.")]
    public void The_request_carries_the_signers_note_onto_the_signature(string? comment, string? recorded)
    {
        var document = Docs.InReview();
        var version = document.Latest;

        document.Sign(version, new SignRequest(Docs.SecondReviewer, version.Revision, ReviewKind.Full, Clock.At(30)) { PasswordVerified = true, Comment = comment });

        var signature = Assert.Single(version.Approvals);
        Assert.Equal(recorded, signature.Comment);
        Assert.Equal(Docs.SecondReviewer.UserId, signature.SignerId);
        Assert.Equal(Clock.At(30), signature.SignedAt);
        Assert.Equal(Approval.FullMeaning, signature.Meaning);
    }

}

/// <summary>Four eyes across accounts: an account may not sign the work of whoever created it or last changed its roles.</summary>
public class SeparationOfDutiesTests
{
    [Theory]
    // Sponsor id, what they did, refused?
    [InlineData("author-1", "created your account", true)]
    [InlineData("author-1", "last changed your roles", true)]
    [InlineData("admin-9", "created your account", false)]
    [InlineData(null, null, false)]
    public void An_account_cannot_sign_the_work_of_who_set_it_up(string? sponsorId, string? what, bool refused)
    {
        var document = Docs.InReview(); // authored by Docs.Author ("author-1")
        var signer = Docs.SecondReviewer with
        {
            Sponsors = sponsorId is null ? [] : [new Sponsor(sponsorId, "Alex Author", what!)],
        };

        if (refused)
        {
            var refusal = Assert.Throws<RefusedException>(() => document.Sign(document.Latest, new SignRequest(signer, document.Latest.Revision, ReviewKind.Full, Clock.At(30)) { PasswordVerified = true }));
            Assert.StartsWith($"Alex Author {what} and also edited this version, so you cannot sign it", refusal.Message);
            Assert.Empty(document.Latest.Approvals);
        }
        else
        {
            Assert.True(document.Sign(document.Latest, new SignRequest(signer, document.Latest.Revision, ReviewKind.Full, Clock.At(30)) { PasswordVerified = true }));
        }
    }
}

/// <summary>The separation-of-duties facts travel on the sign request, so Document.Sign itself refuses (not only the page).</summary>
public class SignRequestAdministrationTests
{
    [Theory]
    // administrator, account, action, password set by an administrator, expected refusal start (null: signed)
    [InlineData("reviewer-2", "author-1", AdministrationAction.Created, false, "You created the account of Alex Author")]
    [InlineData("reviewer-2", "author-1", AdministrationAction.ResetPassword, false, "You reset the password of Alex Author")]
    [InlineData("author-1", "reviewer-2", AdministrationAction.ChangedRoles, false, "Alex Author ")]
    [InlineData("author-1", "reviewer-2", AdministrationAction.ApprovedChange, false, "Alex Author ")]
    [InlineData("admin-9", "reviewer-2", AdministrationAction.Created, false, null)]
    [InlineData("admin-9", "reviewer-2", AdministrationAction.ResetPassword, true, "An administrator set your password")]
    [InlineData(null, null, null, false, null)]
    public void Document_Sign_refuses_across_an_administration(string? administrator, string? account, AdministrationAction? action, bool passwordSetByAdmin, string? refusal)
    {
        var document = Docs.InReview(); // authored by Docs.Author ("author-1"), signed by Docs.SecondReviewer ("reviewer-2")
        string Name(string id) => id switch { "author-1" => "Alex Author", "reviewer-2" => "Rob Reviewer", _ => "Ann Admin" };
        var request = new SignRequest(Docs.SecondReviewer, document.Latest.Revision, ReviewKind.Full, Clock.At(30))
        {
            PasswordVerified = true,
            PasswordSetByAdministrator = passwordSetByAdmin,
            Administrations = administrator is null
                ? []
                : [new AccountAdministration(administrator, Name(administrator), account!, Name(account!), action!.Value, Clock.At(1))],
        };

        if (refusal is null)
        {
            Assert.True(document.Sign(document.Latest, request));
            return;
        }

        var refused = Assert.Throws<RefusedException>(() => document.Sign(document.Latest, request));
        Assert.StartsWith(refusal, refused.Message);
        Assert.Empty(document.Latest.Approvals);
        Assert.Equal(VersionStatus.InReview, document.Latest.Status);
    }
}
