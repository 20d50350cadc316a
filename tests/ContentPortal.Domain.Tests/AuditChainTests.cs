namespace ContentPortal.Domain.Tests;

public class AuditChainTests
{
    private static AuditRecord Record(int i) =>
        new(Clock.At(i), $"user-{i}", $"User {i}", "version.approved", $"version:{i}", $"Step {i}: InReview → Approved");

    internal static List<AuditEntry> Chain(int count) => [.. AuditChain.Append(null, Enumerable.Range(1, count).Select(Record))];

    private static int Index(string where, int count) => where switch
    {
        "first" => 0,
        "middle" => count / 2,
        "last" => count - 1,
        _ => throw new ArgumentOutOfRangeException(nameof(where)),
    };

    // ---- Building -----------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    public void A_chain_of_N_entries_verifies(int count)
    {
        var chain = Chain(count);

        Assert.Equal(count, chain.Count);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.Null(AuditChain.Verify(chain));
    }

    [Fact]
    public void The_first_entry_follows_the_genesis_hash_and_each_next_one_its_predecessor()
    {
        var chain = Chain(4);

        Assert.Equal(AuditEntry.GenesisHash, chain[0].PreviousHash);
        Assert.Matches("^sha256:0{64}$", AuditEntry.GenesisHash);
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Hash, chain[i].PreviousHash);
        }

        Assert.All(chain, e => Assert.Matches("^sha256:[0-9a-f]{64}$", e.Hash));
        Assert.All(chain, e => Assert.Equal(e.ComputeHash(), e.Hash));
        Assert.Equal(chain.Count, chain.Select(e => e.Hash).Distinct().Count());
    }

    [Fact]
    public void Next_copies_every_field()
    {
        var entry = AuditEntry.Next(null, Clock.At(1), "user-1", "Una User", "user.created", "user:1", "Una User: created");

        Assert.Equal(1, entry.Sequence);
        Assert.Equal(Clock.At(1), entry.At);
        Assert.Equal("user-1", entry.ActorId);
        Assert.Equal("Una User", entry.ActorName);
        Assert.Equal("user.created", entry.Action);
        Assert.Equal("user:1", entry.Subject);
        Assert.Equal("Una User: created", entry.Details);
    }

    [Fact]
    public void Append_continues_from_a_previous_chain()
    {
        var first = Chain(3);

        var more = AuditChain.Append(first[^1], Enumerable.Range(4, 3).Select(Record));

        Assert.Equal([4L, 5L, 6L], more.Select(e => e.Sequence));
        Assert.Equal(first[^1].Hash, more[0].PreviousHash);
        Assert.Null(AuditChain.Verify(first.Concat(more)));
        Assert.Equal(Chain(6).Select(e => e.Hash), first.Concat(more).Select(e => e.Hash)); // same as chaining in one go
    }

    [Fact]
    public void Append_of_nothing_adds_nothing()
    {
        Assert.Empty(AuditChain.Append(Chain(2)[^1], []));
    }

    [Fact]
    public void Appending_after_the_wrong_entry_is_detected_where_the_batches_meet()
    {
        var first = Chain(3);
        var more = AuditChain.Append(first[1], [Record(4)]); // chained after entry 2, not 3

        var broken = AuditChain.Verify(first.Concat(more));

        Assert.NotNull(broken);
        Assert.Equal(3, broken.Sequence); // the batch restarts at 3: entry 3 appears a second time
        Assert.Contains("Entry 3 appears again after entry 3", broken.Reason);
    }

    // ---- Tampering ----------------------------------------------------------------------------

    [Theory]
    [InlineData(nameof(AuditEntry.Details), "first")]
    [InlineData(nameof(AuditEntry.Details), "middle")]
    [InlineData(nameof(AuditEntry.Details), "last")]
    [InlineData(nameof(AuditEntry.Action), "first")]
    [InlineData(nameof(AuditEntry.Action), "middle")]
    [InlineData(nameof(AuditEntry.Action), "last")]
    [InlineData(nameof(AuditEntry.At), "first")]
    [InlineData(nameof(AuditEntry.At), "middle")]
    [InlineData(nameof(AuditEntry.At), "last")]
    [InlineData(nameof(AuditEntry.ActorName), "first")]
    [InlineData(nameof(AuditEntry.ActorName), "middle")]
    [InlineData(nameof(AuditEntry.ActorName), "last")]
    [InlineData(nameof(AuditEntry.ActorId), "middle")]
    [InlineData(nameof(AuditEntry.Subject), "middle")]
    public void An_edited_entry_is_named_by_its_sequence(string field, string where)
    {
        const int count = 7;
        var chain = Chain(count);
        var target = chain[Index(where, count)];
        object value = field == nameof(AuditEntry.At) ? target.At.AddSeconds(1) : "tampered";

        Tamper.Set(target, field, value);

        var broken = AuditChain.Verify(chain);
        Assert.NotNull(broken);
        Assert.Equal(target.Sequence, broken.Sequence);
        Assert.Equal($"Entry {target.Sequence} was altered after it was written: its content no longer matches its hash.", broken.Reason);
    }

    [Fact]
    public void Text_cannot_move_between_fields_without_breaking_the_hash()
    {
        var chain = Chain(3);
        var target = chain[1];
        Tamper.Set(target, nameof(AuditEntry.Action), "version.approved\",\"version:2");
        Tamper.Set(target, nameof(AuditEntry.Subject), "");

        Assert.Equal(2, AuditChain.Verify(chain)?.Sequence);
    }

    [Theory]
    [InlineData("first")]
    [InlineData("middle")]
    [InlineData("last")]
    public void A_changed_previous_hash_is_named(string where)
    {
        const int count = 5;
        var chain = Chain(count);
        var target = chain[Index(where, count)];

        Tamper.Set(target, nameof(AuditEntry.PreviousHash), "sha256:" + new string('f', 64));

        var broken = AuditChain.Verify(chain);
        Assert.NotNull(broken);
        Assert.Equal(target.Sequence, broken.Sequence);
        Assert.Contains("does not follow", broken.Reason);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 6)]
    public void A_removed_entry_is_named_as_a_gap(int removed, long named)
    {
        var chain = Chain(6);
        chain.RemoveAt(removed - 1);

        var broken = AuditChain.Verify(chain);

        Assert.NotNull(broken);
        Assert.Equal(named, broken.Sequence);
        Assert.Equal($"Entry {removed} is missing: the chain jumps from {removed - 1} to {named}.", broken.Reason);
    }

    [Fact]
    public void A_removed_entry_renumbered_to_close_the_gap_is_named_where_the_hashes_stop_matching()
    {
        var chain = Chain(5);
        chain.RemoveAt(2); // entry 3
        Tamper.Set(chain[2], nameof(AuditEntry.Sequence), 3L); // old 4 → 3
        Tamper.Set(chain[3], nameof(AuditEntry.Sequence), 4L); // old 5 → 4

        var broken = AuditChain.Verify(chain);

        Assert.NotNull(broken);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("does not follow entry 2", broken.Reason);
    }

    [Fact]
    public void An_inserted_entry_is_named()
    {
        var chain = Chain(4);
        var forged = AuditEntry.Next(chain[1], Clock.At(2), "mallory", "Mallory", "version.approved", "version:9", "Forged");
        chain.Insert(2, forged); // 1, 2, forged 3, old 3, old 4

        var broken = AuditChain.Verify(chain);

        Assert.NotNull(broken);
        // The forged entry itself fits (it was chained properly after 2); the genuine entry 3 that now
        // sits where 4 should be is named as a duplicate.
        Assert.Equal(3, broken.Sequence);
        Assert.Equal("Entry 3 appears again after entry 3: an entry was inserted or the order changed.", broken.Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_reordered_pair_with_swapped_sequence_numbers_is_named_at_the_first_of_the_pair(int first)
    {
        var chain = Chain(6);
        var a = chain[first - 1];
        var b = chain[first];
        Tamper.Set(a, nameof(AuditEntry.Sequence), (long)(first + 1));
        Tamper.Set(b, nameof(AuditEntry.Sequence), (long)first);
        var asStored = chain.OrderBy(e => e.Sequence).ToList(); // callers read the trail in sequence order

        var broken = AuditChain.Verify(asStored);

        Assert.NotNull(broken);
        Assert.Equal(first, broken.Sequence);
        Assert.Contains("does not follow", broken.Reason);
    }

    [Fact]
    public void A_reordered_pair_passed_out_of_order_is_named_where_the_order_breaks()
    {
        var chain = Chain(5);
        (chain[2], chain[3]) = (chain[3], chain[2]); // 1, 2, 4, 3, 5

        var broken = AuditChain.Verify(chain);

        Assert.NotNull(broken);
        Assert.Equal(4, broken.Sequence);
        Assert.Contains("Entry 3 is missing", broken.Reason);
    }

    /// <summary>
    /// Shows the limit of the chain: whoever edits an entry and recomputes its own hash makes that entry
    /// look intact; the break is reported at the NEXT entry, whose previous-hash no longer matches.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void An_entry_altered_and_rehashed_passes_itself_and_the_next_entry_is_named(int altered)
    {
        var chain = Chain(6);
        var target = chain[altered - 1];
        Tamper.Set(target, nameof(AuditEntry.Details), "Rewritten history");
        Tamper.Set(target, nameof(AuditEntry.Hash), target.ComputeHash());

        var broken = AuditChain.Verify(chain);

        Assert.NotNull(broken);
        Assert.Equal(altered + 1, broken.Sequence);
        Assert.Equal($"Entry {altered + 1} does not follow entry {altered}: its previous-hash does not match.", broken.Reason);
    }

    /// <summary>
    /// Limitation, not a defect of Verify: with nothing after it, an altered-and-rehashed last entry, or a
    /// chain cut short, is indistinguishable from a genuine chain. Detecting it needs the last hash or the
    /// count kept somewhere else.
    /// </summary>
    [Fact]
    public void The_tail_is_only_as_safe_as_the_last_hash_kept_elsewhere()
    {
        var chain = Chain(5);
        var lastHash = chain[^1].Hash;
        Tamper.Set(chain[^1], nameof(AuditEntry.Details), "Rewritten history");
        Tamper.Set(chain[^1], nameof(AuditEntry.Hash), chain[^1].ComputeHash());

        Assert.Null(AuditChain.Verify(chain));
        Assert.Null(AuditChain.Verify(chain.Take(3)));
        Assert.NotEqual(lastHash, chain[^1].Hash); // what an external anchor would catch
    }

    [Fact]
    public void A_chain_that_does_not_start_at_genesis_is_named_at_entry_1()
    {
        var chain = Chain(3);
        var foreign = AuditEntry.Next(Chain(1)[0], Clock.At(1), "user-x", "X", "a", "s", "d"); // sequence 2
        Tamper.Set(foreign, nameof(AuditEntry.Sequence), 1L);
        Tamper.Set(foreign, nameof(AuditEntry.Hash), foreign.ComputeHash());

        var broken = AuditChain.Verify([foreign, .. chain.Skip(1)]);

        Assert.NotNull(broken);
        Assert.Equal(1, broken.Sequence);
        Assert.Contains("does not follow", broken.Reason);
    }

    [Fact]
    public void A_chain_starting_after_entry_1_is_named_as_a_gap()
    {
        var broken = AuditChain.Verify(Chain(4).Skip(2));

        Assert.NotNull(broken);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("Entry 1 is missing", broken.Reason);
    }

    [Theory]
    [InlineData("head kept", 3, false, null)]
    [InlineData("genesis head", 0, false, null)]
    [InlineData("cut before the head", 3, true, "the trail has no entry 3: entries were deleted.")]
    [InlineData("head rehashed", 2, false, "told its consumers that entry 2 had hash")]
    public void A_snapshot_s_chain_head_must_still_be_in_the_trail(string change, long headSequence, bool cut, string? finding)
    {
        var chain = Chain(5);
        var head = headSequence == 0 ? AuditEntry.GenesisHash : chain[(int)headSequence - 1].Hash;
        var stored = cut ? chain.Take((int)headSequence - 1).ToList() : chain;
        if (change == "head rehashed")
        {
            head = "sha256:" + new string('a', 64);
        }

        var findings = AuditAnchors.CheckSnapshotHeads(stored, [new SnapshotHead(7, headSequence, head, null, null, null)], AuditSignedAnchorTests.FakeVerify);

        if (finding is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            var found = Assert.Single(findings);
            Assert.Contains("Snapshot 7", found.Problem);
            Assert.Contains(finding, found.Problem);
        }
}

/// <summary>Issue 25: signed heads, the checkpoint chain and the key line, with a stand-in for ES256 (a "signature" is "sig:" + the message).</summary>
public class AuditSignedAnchorTests
{
    private static readonly DateTime At = new(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc);

    public static bool FakeVerify(string message, string? keyId, string? jws) => keyId == "k1" && jws == "sig:" + message;

    private static string Sign(string message) => "sig:" + message;

    [Theory]
    [InlineData("signed and held", null)]
    [InlineData("no head", "has no recorded chain head")]
    [InlineData("signature altered", "does not carry a valid signature")]
    [InlineData("unknown key", "does not carry a valid signature")]
    [InlineData("hash changed under the signature", "does not carry a valid signature")]
    public void A_snapshot_head_is_recorded_signed_and_held(string change, string? finding)
    {
        var chain = AuditChainTests.Chain(5);
        var message = AuditHead.Message(3, chain[2].Hash, At);
        var head = change switch
        {
            "no head" => new SnapshotHead(7, null, null, null, null, null),
            "signature altered" => new SnapshotHead(7, 3, chain[2].Hash, At, "k1", Sign(message) + "x"),
            "unknown key" => new SnapshotHead(7, 3, chain[2].Hash, At, "k2", Sign(message)),
            "hash changed under the signature" => new SnapshotHead(7, 3, chain[1].Hash, At, "k1", Sign(message)),
            _ => new SnapshotHead(7, 3, chain[2].Hash, At, "k1", Sign(message)),
        };

        var findings = AuditAnchors.CheckSnapshotHeads(chain, [head], FakeVerify);

        if (finding is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            Assert.Contains(finding, Assert.Single(findings).Problem);
        }
    }

    [Theory]
    [InlineData("linked", null)]
    [InlineData("middle one deleted", "follows a checkpoint for entry 2 that is missing")]
    [InlineData("forged", "is not authentic")]
    public void Each_checkpoint_is_signed_and_follows_the_one_before(string change, string? finding)
    {
        var chain = AuditChainTests.Chain(5);
        var first = AuditCheckpoint.Signed(2, chain[1].Hash, At, "periodic", null, "k1", Sign);
        var second = AuditCheckpoint.Signed(4, chain[3].Hash, At.AddHours(1), "periodic", first, "k1", Sign);
        var forged = AuditCheckpoint.Signed(4, chain[3].Hash, At.AddHours(1), "periodic", first, "k2", Sign);
        IReadOnlyList<AuditCheckpoint> stored = change switch
        {
            "middle one deleted" => [second],
            "forged" => [first, forged],
            _ => [first, second],
        };

        var findings = AuditAnchors.Check(chain, stored, FakeVerify);

        if (finding is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            Assert.Contains(finding, Assert.Single(findings).Problem);
        }
    }

    [Theory]
    [InlineData("endorsed", null, false)]
    [InlineData("lost", "recorded as lost", true)]
    [InlineData("slipped in", "is not endorsed by the key before it", false)]
    public void Each_key_follows_the_one_before(string change, string? finding, bool notice)
    {
        var first = AuditSigningKey.First("k1", "x1", "y1", At);
        var second = change switch
        {
            "lost" => AuditSigningKey.After(first, "k2", "x2", "y2", At, null),
            "slipped in" => AuditSigningKey.After(first, "k2", "x2", "y2", At, m => "sig:forged"),
            _ => AuditSigningKey.After(first, "k2", "x2", "y2", At, Sign),
        };

        var findings = AuditAnchors.CheckKeys([first, second], FakeVerify);

        if (finding is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            var found = Assert.Single(findings);
            Assert.Contains(finding, found.Problem);
            Assert.Equal(notice, found.Notice);
        }
    }
}

[CollectionDefinition(nameof(LocalTimeZone), DisableParallelization = true)]
public class LocalTimeZone
{
}

/// <summary>Runs alone: it switches the process's local time zone.</summary>
[Collection(nameof(LocalTimeZone))]
public class AuditChainTimeZoneTests
{
    /// <summary>
    /// AuditEntry.ComputeHash hashes At.ToUniversalTime(): a DateTime of kind Unspecified, which is how
    /// SQLite/EF hand the stored UTC time back, is taken as LOCAL time. On a host whose time zone is not
    /// UTC every reloaded entry then hashes differently and Verify reports entry 1 as altered although
    /// nothing changed (on a UTC host the bug is invisible).
    /// </summary>
    [Fact]
    public void A_reloaded_chain_verifies_whatever_the_hosts_time_zone()
    {
        var oldTz = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", "Europe/Berlin");
        TimeZoneInfo.ClearCachedData();
        try
        {
            Assert.NotEqual(TimeSpan.Zero, TimeZoneInfo.Local.GetUtcOffset(Clock.T0));
            var chain = AuditChain.Append(null, [new AuditRecord(Clock.At(1), "u", "U", "a", "s", "d"), new AuditRecord(Clock.At(2), "u", "U", "a", "s", "d")]);
            foreach (var entry in chain)
            {
                // What the database gives back: the same wall-clock UTC value, kind Unspecified.
                Tamper.Set(entry, nameof(AuditEntry.At), DateTime.SpecifyKind(entry.At, DateTimeKind.Unspecified));
            }

            Assert.Null(AuditChain.Verify(chain));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", oldTz);
            TimeZoneInfo.ClearCachedData();
        }
    }
}

public sealed class AuditRecordBoundsTests
{
    [Theory]
    [InlineData(10, 10)]
    [InlineData(AuditRecord.MaxTextLength, AuditRecord.MaxTextLength)]
    [InlineData(1_000_000, AuditRecord.MaxTextLength)]
    public void Recorded_texts_are_bounded(int typed, int stored)
    {
        var text = new string('x', typed);
        var record = new AuditRecord(DateTime.UtcNow, text, text, "user.login-failed", text, text);

        Assert.Equal(Math.Min(stored, AuditRecord.MaxSubjectLength), record.Subject.Length);
        Assert.Equal(stored, record.Details.Length);
        Assert.Equal(stored, record.ActorName.Length);
        Assert.Equal(stored, record.ActorId.Length);
    }

    }
}
