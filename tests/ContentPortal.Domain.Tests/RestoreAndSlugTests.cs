namespace ContentPortal.Domain.Tests;

public class RestoreAndSlugTests
{
    private static Document WithApprovedVersion2()
    {
        var document = Docs.Approved();
        Docs.ApproveNewVersion(document, "Second title", 10);
        return document;
    }

    [Fact]
    public void Restore_without_an_open_draft_starts_a_new_draft_with_the_old_text()
    {
        var document = WithApprovedVersion2();

        var draft = document.RestoreAsDraft(1, null, People.Editor(), Clock.At(30));

        Assert.Equal(3, draft.Number);
        Assert.Equal(VersionStatus.Draft, draft.Status);
        Assert.Equal("Lower back pain", draft.Title);
        Assert.Equal("Restored from version 1", draft.ChangeNote);
        Assert.Equal("Restored from version 1", Assert.Single(draft.Transitions).Comment);
        Assert.Equal("Lower back pain", document.Version(1).Title); // the old version never changes
        Assert.Equal("Second title", document.Version(2).Title);
    }

    [Fact]
    public void Restore_into_an_open_draft_replaces_its_text_from_the_current_revision_only()
    {
        var document = WithApprovedVersion2();
        var draft = document.OpenDraft(People.Editor(), Clock.At(20), out _);
        var revision = draft.Revision;

        Assert.Throws<StaleDraftException>(() => document.RestoreAsDraft(1, revision - 1, People.Editor(), Clock.At(21)));
        Assert.Throws<StaleDraftException>(() => document.RestoreAsDraft(1, null, People.Editor(), Clock.At(21)));
        var restored = document.RestoreAsDraft(1, revision, People.Editor(), Clock.At(22));

        Assert.Same(draft, restored);
        Assert.Equal("Lower back pain", restored.Title);
        Assert.Equal(3, document.Versions.Count);
    }

    [Theory]
    [InlineData(VersionStatus.InReview, "is in review")]
    [InlineData(VersionStatus.Draft, "is the open draft already")]
    public void Restore_is_refused_while(VersionStatus openStatus, string message)
    {
        var document = Docs.InState(openStatus);

        var refused = Assert.Throws<RefusedException>(() => document.RestoreAsDraft(1, document.Latest.Revision, People.Editor(), Clock.At(5)));

        Assert.Contains(message, refused.Message);
    }

    [Theory]
    [InlineData("Reviewer")]
    [InlineData("Publisher")]
    [InlineData("NoRole")]
    public void Restore_needs_an_editor(string role)
    {
        var document = WithApprovedVersion2();

        var refused = Assert.Throws<RefusedException>(() => document.RestoreAsDraft(1, null, People.ForRole(role), Clock.At(30)));

        Assert.Contains("restore a version", refused.Message);
    }

    [Fact]
    public void Restoring_text_nobody_approved_keeps_its_authors_out_of_approving_it()
    {
        var document = Docs.ChangesRequested();

        var draft = document.RestoreAsDraft(1, null, People.Editor("editor-9", "Ed Nine"), Clock.At(5));

        Assert.True(draft.IsAuthoredBy(Docs.Author.UserId));
        Assert.True(draft.IsAuthoredBy("editor-9"));
    }

    [Fact]
    public void Restore_of_a_missing_version_is_refused()
    {
        var refused = Assert.Throws<RefusedException>(() => WithApprovedVersion2().RestoreAsDraft(9, null, People.Editor(), Clock.At(30)));

        Assert.Equal("This document has no version 9.", refused.Message);
    }

    [Theory]
    [InlineData(false, "new-slug", null)]
    [InlineData(true, "new-slug", "This document has been published, so its slug is part of the feed and can no longer change.")]
    [InlineData(false, "New Slug", "Use lower-case letters, digits and single hyphens, like lower-back-pain.")]
    public void A_slug_changes_only_until_first_published(bool everPublished, string slug, string? refusal)
    {
        var document = Docs.NewArticle();

        var thrown = Record.Exception(() => document.ChangeSlug(slug, new SlugFacts(false, everPublished), People.Editor(), Clock.At(0)));

        if (refusal is null)
        {
            Assert.Null(thrown);
            Assert.Equal(slug, document.Slug);
        }
        else
        {
            var refused = Assert.IsAssignableFrom<RefusedException>(thrown);
            Assert.Contains(refusal, refused is InvalidContentException invalid ? invalid.Errors["Slug"] : refused.Message);
            Assert.Equal("lower-back-pain", document.Slug);
        }
    }
}
