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

/// <summary>
/// Content:OverdueAction (Flag, the default, or Withdraw) and Content:OverdueGraceDays (default 30), read and
/// checked once at start-up: a value the portal cannot act on stops it with a message naming the setting.
/// </summary>
public static class OverduePolicySettings
{
    public static OverduePolicy Read(IConfiguration configuration)
    {
        var policy = OverduePolicy.Parse(configuration["Content:OverdueAction"], configuration["Content:OverdueGraceDays"], out var problems);
        return problems.Count == 0 ? policy : throw new OverduePolicyConfigurationException(string.Join(" ", problems.Values));
    }
}

public sealed class OverduePolicyConfigurationException(string message) : Exception(message);
