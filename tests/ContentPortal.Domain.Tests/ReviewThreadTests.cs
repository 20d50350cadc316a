namespace ContentPortal.Domain.Tests;

public class ReviewThreadTests
{
    private static readonly Actor Reviewer = People.Reviewer();
    private static readonly Actor Editor = People.Editor();

    private static DocumentVersion Version() => Docs.InReview().Latest;

    private static ReviewThread Started(Actor? by = null) =>
        ReviewThread.Start(Version(), "p3", "Keep moving.", "Is this still NICE advice?", by ?? Reviewer, Clock.At(5));

    // ---- Starting -----------------------------------------------------------------------------

    [Theory]
    [InlineData("p3", "Keep moving.", "p3", "Keep moving.")]
    [InlineData("  flag2  ", "Numbness", "flag2", "Numbness")]
    [InlineData(null, "ignored", null, null)]
    [InlineData("", "ignored", null, null)]
    [InlineData("   ", "ignored", null, null)]
    [InlineData("p1", null, "p1", null)]
    public void Start_with_or_without_an_anchor(string? anchor, string? anchorText, string? expectedAnchor, string? expectedAnchorText)
    {
        var version = Version();

        var thread = ReviewThread.Start(version, anchor, anchorText, "  Is this still NICE advice?  ", Reviewer, Clock.At(5));

        Assert.NotEqual(Guid.Empty, thread.Id);
        Assert.Equal(version.DocumentId, thread.DocumentId);
        Assert.Equal(version.Id, thread.VersionId);
        Assert.Equal(version.Number, thread.VersionNumber);
        Assert.Equal(expectedAnchor, thread.Anchor);
        Assert.Equal(expectedAnchorText, thread.AnchorText);
        Assert.False(thread.IsResolved);
        Assert.Null(thread.ResolvedAt);
        Assert.Null(thread.ResolvedByName);
        var message = Assert.Single(thread.Messages);
        Assert.Equal("Is this still NICE advice?", message.Text);
        Assert.Equal(Reviewer.UserId, message.AuthorId);
        Assert.Equal(Reviewer.DisplayName, message.AuthorName);
        Assert.Equal(Clock.At(5), message.At);
    }

    [Fact]
    public void Each_thread_gets_its_own_id()
    {
        Assert.NotEqual(Started().Id, Started().Id);
    }

    // ---- Text rules ---------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public void An_empty_comment_is_refused(string? text)
    {
        var refused = Assert.Throws<InvalidContentException>(() => ReviewThread.Start(Version(), null, null, text, Reviewer, Clock.At(5)));
        Assert.Equal("Write a comment.", refused.Errors["Text"]);

        var thread = Started();
        var onReply = Assert.Throws<InvalidContentException>(() => thread.Reply(text, Editor, Clock.At(6)));
        Assert.Equal("Write a comment.", onReply.Errors["Text"]);
        Assert.Single(thread.Messages);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(ReviewThread.MaxTextLength, 0, true)]
    [InlineData(ReviewThread.MaxTextLength, 5, true)] // surrounding spaces do not count
    [InlineData(ReviewThread.MaxTextLength + 1, 0, false)]
    [InlineData(ReviewThread.MaxTextLength * 2, 0, false)]
    public void A_comment_can_be_at_most_4000_characters(int length, int padding, bool accepted)
    {
        var pad = new string(' ', padding);
        var text = pad + new string('x', length) + pad;
        var thread = Started();

        if (accepted)
        {
            var started = ReviewThread.Start(Version(), null, null, text, Reviewer, Clock.At(5));
            thread.Reply(text, Editor, Clock.At(6));
            Assert.Equal(length, started.Messages[0].Text.Length);
            Assert.Equal(length, thread.Messages[^1].Text.Length);
        }
        else
        {
            var onStart = Assert.Throws<InvalidContentException>(() => ReviewThread.Start(Version(), null, null, text, Reviewer, Clock.At(5)));
            var onReply = Assert.Throws<InvalidContentException>(() => thread.Reply(text, Editor, Clock.At(6)));
            Assert.Equal("A comment can be at most 4000 characters.", onStart.Errors["Text"]);
            Assert.Equal("A comment can be at most 4000 characters.", onReply.Errors["Text"]);
            Assert.Single(thread.Messages);
        }
    }

    // ---- Reply, resolve, reopen ---------------------------------------------------------------

    [Fact]
    public void Replies_are_kept_in_order()
    {
        var thread = Started();

        thread.Reply("Yes, NG59.", Editor, Clock.At(6));
        thread.Reply("  Thanks.  ", Reviewer, Clock.At(7));

        Assert.Equal(["Is this still NICE advice?", "Yes, NG59.", "Thanks."], thread.Messages.Select(m => m.Text));
        Assert.Equal([Reviewer.UserId, Editor.UserId, Reviewer.UserId], thread.Messages.Select(m => m.AuthorId));
        Assert.Equal([Clock.At(5), Clock.At(6), Clock.At(7)], thread.Messages.Select(m => m.At));
    }

    [Fact]
    public void Resolve_records_who_and_when()
    {
        var thread = Started();

        thread.Resolve(Editor, Clock.At(8));

        Assert.True(thread.IsResolved);
        Assert.Equal(Clock.At(8), thread.ResolvedAt);
        Assert.Equal("Edna Editor", thread.ResolvedByName);
    }

    [Fact]
    public void A_reply_on_a_resolved_thread_is_refused()
    {
        var thread = Started();
        thread.Resolve(Editor, Clock.At(8));

        var refused = Assert.Throws<RefusedException>(() => thread.Reply("One more thing", Reviewer, Clock.At(9)));

        Assert.Equal("This thread is resolved. Reopen it to reply.", refused.Message);
        Assert.Single(thread.Messages);
    }

    [Fact]
    public void Resolving_twice_is_refused_naming_who_resolved_it()
    {
        var thread = Started();
        thread.Resolve(Editor, Clock.At(8));

        var refused = Assert.Throws<RefusedException>(() => thread.Resolve(Reviewer, Clock.At(9)));

        Assert.Equal("This thread was already resolved by Edna Editor.", refused.Message);
        Assert.Equal(Clock.At(8), thread.ResolvedAt);
        Assert.Equal("Edna Editor", thread.ResolvedByName);
    }

    [Fact]
    public void Reopen_clears_the_resolution_and_allows_replies_again()
    {
        var thread = Started();
        thread.Resolve(Editor, Clock.At(8));

        thread.Reopen(Reviewer, Clock.At(0));

        Assert.False(thread.IsResolved);
        Assert.Null(thread.ResolvedAt);
        Assert.Null(thread.ResolvedByName);
        thread.Reply("Not fixed yet.", Reviewer, Clock.At(10));
        Assert.Equal(2, thread.Messages.Count);
        thread.Resolve(Reviewer, Clock.At(11));
        Assert.Equal("Rita Reviewer", thread.ResolvedByName);
    }

    [Fact]
    public void Reopening_an_open_thread_is_refused()
    {
        var thread = Started();

        var refused = Assert.Throws<RefusedException>(() => thread.Reopen(Reviewer, Clock.At(0)));

        Assert.Equal("This thread is open already.", refused.Message);
        Assert.False(thread.IsResolved);
    }

    // ---- Who takes part -----------------------------------------------------------------------

    [Theory]
    [InlineData("Editor", true)]
    [InlineData("Reviewer", true)]
    [InlineData("AdminAllRoles", true)]
    [InlineData("Publisher", false)]
    [InlineData("AdminRoleOnly", false)]
    [InlineData("NoRole", false)]
    public void Only_editors_and_reviewers_take_part(string role, bool allowed)
    {
        var actor = People.ForRole(role);
        const string refusal = "Only editors and reviewers take part in review comments.";
        var open = Started();
        var resolved = Started();
        resolved.Resolve(Reviewer, Clock.At(8));

        if (allowed)
        {
            var thread = ReviewThread.Start(Version(), null, null, "Comment", actor, Clock.At(5));
            open.Reply("Reply", actor, Clock.At(6));
            open.Resolve(actor, Clock.At(7));
            resolved.Reopen(actor, Clock.At(0));
            Assert.Equal(actor.UserId, thread.Messages[0].AuthorId);
            Assert.Equal(actor.UserId, open.Messages[^1].AuthorId);
            Assert.Equal(actor.DisplayName, open.ResolvedByName);
            Assert.False(resolved.IsResolved);
        }
        else
        {
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => ReviewThread.Start(Version(), null, null, "Comment", actor, Clock.At(5))).Message);
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => open.Reply("Reply", actor, Clock.At(6))).Message);
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => open.Resolve(actor, Clock.At(7))).Message);
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => resolved.Reopen(actor, Clock.At(0))).Message);
            Assert.Single(open.Messages);
            Assert.False(open.IsResolved);
            Assert.True(resolved.IsResolved);
        }
    }

    [Fact]
    public void The_role_check_comes_before_the_text_check()
    {
        var refused = Assert.Throws<RefusedException>(() => ReviewThread.Start(Version(), null, null, "", People.Publisher(), Clock.At(5)));

        Assert.IsNotType<InvalidContentException>(refused);
        Assert.Equal("Only editors and reviewers take part in review comments.", refused.Message);
    }
}
