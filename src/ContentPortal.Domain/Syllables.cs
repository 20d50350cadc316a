using System.Text.RegularExpressions;

namespace ContentPortal.Domain;

/// <summary>
/// English syllables by rule: count the vowel groups, then correct for the spellings where a group is
/// silent (make, walked, types) or where one group is two syllables (area, being, radio). A short table
/// holds common words the rules still get wrong. It is a heuristic, as every readability tool's is; a
/// word off by one moves a grade by a little, not a lot.
/// </summary>
public static partial class Syllables
{
    /// <summary>Words the rules below miscount, with their dictionary count. Lower case, apostrophes removed.</summary>
    private static readonly Dictionary<string, int> Exceptions = new()
    {
        ["area"] = 3,
        ["idea"] = 3,
        ["create"] = 2,
        ["created"] = 3,
        ["creating"] = 3,
        ["creation"] = 3,
        ["react"] = 2,
        ["reaction"] = 3,
        ["pancreas"] = 3,
        ["science"] = 2,
        ["scientist"] = 3,
        ["scientific"] = 4,
        ["diabetes"] = 4,
        ["diarrhoea"] = 4,
        ["diarrhea"] = 4,
        ["herpes"] = 2,
        ["argue"] = 2,
        ["fluid"] = 2,
        ["influenza"] = 4,
        ["maybe"] = 2,
        ["recipe"] = 3,
        ["acne"] = 2,
        ["business"] = 2,
        ["aches"] = 1,
        ["headaches"] = 2,
        ["backaches"] = 2,
        ["rhythm"] = 2,
        ["arent"] = 1,
        ["werent"] = 1,

        // Compounds whose first part ends in a silent e: the rules take that e as a vowel.
        ["sometimes"] = 2,
        ["something"] = 2,
        ["someone"] = 2,
        ["somebody"] = 3,
        ["somewhere"] = 2,
        ["elsewhere"] = 2,
        ["lifestyle"] = 2,
        ["likewise"] = 2,
        ["whereas"] = 2,
    };

    /// <summary>The number of syllables in one word (at least 1). Hyphenated words add up their parts; a number counts as one.</summary>
    public static int Count(string word)
    {
        if (Counted.TryGetValue(word, out var counted))
        {
            return counted;
        }

        var count = ByRules(word);
        if (word.Length <= MemoWordLength && Volatile.Read(ref memoized) < MemoLimit && Counted.TryAdd(word, count))
        {
            Interlocked.Increment(ref memoized);
        }

        return count;
    }

    // Clinical text repeats its words, and the rules cost about a microsecond a word: a third of rendering an
    // article's feed item was its reading age (issue 28). Each word's count is kept once, for the first 50,000
    // distinct words (a few MB); words after that are counted each time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Counted = new(StringComparer.Ordinal);
    private const int MemoLimit = 50_000;
    private const int MemoWordLength = 40;
    private static int memoized;

    private static int ByRules(string word)
    {
        var lower = word.ToLowerInvariant().Replace('’', '\'');
        var parts = lower.Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1)
        {
            return parts.Sum(Count);
        }

        // Numbers and symbols: how "2.5" or "1,000" is read aloud varies; one syllable keeps them from
        // dominating a sentence's score.
        if (!lower.Any(char.IsLetter))
        {
            return 1;
        }

        // didn't, isn't, shouldn't: the n before the apostrophe is a syllable of its own. don't, can't: it is not.
        var syllabicN = lower.EndsWith("n't", StringComparison.Ordinal) && lower.Length > 3 && !IsVowelLetter(lower[^4]) ? 1 : 0;
        if (lower.EndsWith("'s", StringComparison.Ordinal))
        {
            lower = lower[..^2];
        }

        var letters = new string(lower.Where(char.IsLetter).ToArray());
        if (letters.Length == 0)
        {
            return 1;
        }

        if (Exceptions.TryGetValue(letters, out var known))
        {
            return known + syllabicN;
        }

        // ideas, areas, recipes: the plural of an exception has the same count.
        if (letters.EndsWith('s') && Exceptions.TryGetValue(letters[..^1], out known))
        {
            return known;
        }

        return Math.Max(1, ByRule(letters)) + syllabicN;
    }

    private static int ByRule(string w)
    {
        var vowel = VowelMap(w);
        var count = 0;
        for (var i = 0; i < w.Length; i++)
        {
            if (vowel[i] && (i == 0 || !vowel[i - 1]))
            {
                count++;
            }
        }

        count -= SilentEnding(w, vowel);
        count -= SilentEBeforeSuffix(w);
        count += TwoSyllableVowelGroups(w);
        return count;
    }

    /// <summary>
    /// a e i o u are vowels. y is a consonant at the start of a word (yes, year) and between two vowels
    /// (beyond, player); elsewhere it sounds as a vowel (body, they, dying).
    /// </summary>
    private static bool[] VowelMap(string w)
    {
        var map = new bool[w.Length];
        for (var i = 0; i < w.Length; i++)
        {
            map[i] = w[i] == 'y'
                ? i > 0 && !(IsVowelLetter(w[i - 1]) && i + 1 < w.Length && IsVowelLetter(w[i + 1]))
                : IsVowelLetter(w[i]);
        }

        return map;
    }

    // An accented vowel (café, crêpe) is a vowel too; the silent-e rules look for a plain e only, since é is spoken.
    private static bool IsVowelLetter(char c) =>
        c is 'a' or 'e' or 'i' or 'o' or 'u' || (c > 'z' && char.IsLetter(c) && "aeiou".Contains(c.ToString().Normalize(System.Text.NormalizationForm.FormD)[0]));

    /// <summary>1 when the last vowel group is not pronounced: the e of make, makes, walked; the ue of fatigue.</summary>
    private static int SilentEnding(string w, bool[] vowel)
    {
        var n = w.Length;

        // fatigue, tongue, technique: the final "ue" after g or q is silent.
        if (n >= 4 && (w.EndsWith("gue", StringComparison.Ordinal) || w.EndsWith("que", StringComparison.Ordinal)))
        {
            return 1;
        }

        // A final e after a consonant is silent (make, the), except the spoken "-le" and "-re" after a
        // consonant (table, people, centre).
        if (n >= 2 && w[n - 1] == 'e' && !vowel[n - 2])
        {
            return SyllabicLOrR(w, vowel, n - 2) ? 0 : 1;
        }

        // -es: silent in makes, types, tastes; spoken after a hissing sound (horses, boxes, changes,
        // places, watches) and in tables, centres.
        if (n >= 3 && w.EndsWith("es", StringComparison.Ordinal) && !vowel[n - 3])
        {
            var before = w[n - 3];
            var hissing = before is 's' or 'x' or 'z' or 'c' or 'g' || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal);
            return hissing || SyllabicLOrR(w, vowel, n - 3) ? 0 : 1;
        }

        // -ed: silent in walked, used, called; spoken after t or d (wanted, needed) and in troubled, hundred.
        if (n >= 3 && w.EndsWith("ed", StringComparison.Ordinal) && !vowel[n - 3])
        {
            var before = w[n - 3];
            return before is 't' or 'd' || SyllabicLOrR(w, vowel, n - 3) ? 0 : 1;
        }

        return 0;
    }

    /// <summary>An l or r after another consonant (but not ll, rr) carries a syllable of its own: ta-ble, cen-tre, trou-bled.</summary>
    private static bool SyllabicLOrR(string w, bool[] vowel, int i) =>
        w[i] is 'l' or 'r' && i > 0 && !vowel[i - 1] && w[i - 1] is not ('l' or 'r');

    /// <summary>
    /// likely, completely, movement, enforcement, useful, awareness, homeless: the stem's silent final e
    /// stays silent in front of the suffix. Not after a syllabic l or r (supplement, settlement), and only
    /// for stems of four letters or more before -ment, so element keeps its middle syllable.
    /// </summary>
    private static int SilentEBeforeSuffix(string w)
    {
        // The plural (movements) has the same stem; -ness and -less end in s themselves, so both are tried.
        foreach (var word in w.EndsWith('s') ? new[] { w, w[..^1] } : [w])
        {
            foreach (var (suffix, minStem) in new[] { ("ly", 3), ("ment", 4), ("ful", 3), ("ness", 3), ("less", 3) })
            {
                if (!word.EndsWith(suffix, StringComparison.Ordinal) || word.Length - suffix.Length < minStem)
                {
                    continue;
                }

                var stem = word[..^suffix.Length];
                var vowel = VowelMap(stem);
                var n = stem.Length;
                if (stem[n - 1] == 'e' && !vowel[n - 2] && vowel.Take(n - 2).Any(v => v) && !SyllabicLOrR(stem, vowel, n - 2))
                {
                    return 1;
                }
            }
        }

        return 0;
    }

    /// <summary>Vowel pairs that the group count takes as one syllable but are two.</summary>
    private static int TwoSyllableVowelGroups(string w)
    {
        var extra = 0;
        extra += SplitIa().Count(w); // di-ag-no-sis, pneu-mo-ni-a, tri-al; not so-cial, spe-cial
        extra += SplitIo().Count(w); // ra-di-o, pe-ri-od, se-ri-ous; not in-fec-tion, an-xious, mil-lion, be-hav-iour
        extra += SplitIu().Count(w); // cal-ci-um, so-di-um
        extra += SplitEo().Count(w); // vi-de-o, the-o-ry; not peo-ple, sur-geon, gor-geous
        extra += SplitUa().Count(w); // u-su-al, grad-u-al; not qual-i-ty, lan-guage
        extra += SplitIeT().Count(w); // di-et, qui-et, anx-i-e-ty, eas-i-est
        extra += SplitIeNt().Count(w); // cli-ent, ex-pe-ri-ence; not pa-tient, ef-fi-cient
        if (w.Length > 5 && w.EndsWith("ier", StringComparison.Ordinal))
        {
            extra++; // eas-i-er, heav-i-er
        }

        if (w.Length > 4 && w.EndsWith("ing", StringComparison.Ordinal) && VowelMap(w)[^4])
        {
            extra++; // be-ing, go-ing, see-ing, dy-ing; not say-ing, where y is a consonant
        }

        if (w.EndsWith("ism", StringComparison.Ordinal))
        {
            extra++; // au-tis-m: the m is a syllable
        }

        return extra;
    }

    [GeneratedRegex("(?<![ctgs])ia")]
    private static partial Regex SplitIa();

    [GeneratedRegex("(?<![ctsgxh])io(?!ns?$|ur)")]
    private static partial Regex SplitIo();

    [GeneratedRegex("iu")]
    private static partial Regex SplitIu();

    [GeneratedRegex("(?<![pgc])eo|(?<=[gc])eo(?!n|us)")]
    private static partial Regex SplitEo();

    [GeneratedRegex("(?<![qg])ua")]
    private static partial Regex SplitUa();

    [GeneratedRegex("ie(?=t)")]
    private static partial Regex SplitIeT();

    [GeneratedRegex("(?<![tcs])ie(?=n[tc])")]
    private static partial Regex SplitIeNt();
}
