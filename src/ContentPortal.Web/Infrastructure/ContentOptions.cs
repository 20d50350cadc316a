using ContentPortal.Domain;

namespace ContentPortal.Web.Infrastructure;

/// <summary>Configuration section "Content": the clinical-quality settings of issue 12.</summary>
public sealed class ContentOptions
{
    /// <summary>Signing a version whose reading age (SMOG + 5) is above this needs a reason (default 12).</summary>
    public int ReadingAgeTarget { get; set; } = SignOffPolicy.DefaultReadingAgeTarget;

    /// <summary>Medical terms → plain words for the plain-English check; empty: the starter list.</summary>
    public Dictionary<string, string> Jargon { get; set; } = [];

    /// <summary>The list the checks use: the configured one, or the starter list when none is configured.</summary>
    public IReadOnlyDictionary<string, string> JargonList =>
        Jargon.Count == 0 ? PlainEnglish.DefaultJargon : new Dictionary<string, string>(Jargon, StringComparer.OrdinalIgnoreCase);
}
