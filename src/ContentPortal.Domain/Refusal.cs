namespace ContentPortal.Domain;

/// <summary>
/// Thrown when a rule refuses an action. The message is written for the person who tried it,
/// so pages and the API can show it as it is.
/// </summary>
public class RefusedException(string message) : Exception(message);

/// <summary>The form was based on an older copy of the draft than the one stored now.</summary>
public sealed class StaleDraftException(int expectedRevision, int actualRevision)
    : RefusedException("Someone saved this draft after you opened it. Your text is kept below; reload the draft to see their changes before saving again.")
{
    public int ExpectedRevision { get; } = expectedRevision;
    public int ActualRevision { get; } = actualRevision;
}

/// <summary>Content that breaks a field rule; <see cref="Errors"/> maps field names to messages.</summary>
public sealed class InvalidContentException(IReadOnlyDictionary<string, string> errors)
    : RefusedException("Some fields need attention: " + string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}
