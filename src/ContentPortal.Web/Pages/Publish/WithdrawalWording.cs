namespace ContentPortal.Web.Pages.Publish;

/// <summary>How long until a withdrawal runs, in words for the document page, the Publish page and the dashboard.</summary>
public static class WithdrawalWording
{
    public static string In(DateTime dueAt, DateTime now)
    {
        var left = dueAt - now;
        return left <= TimeSpan.Zero ? "withdrawing now"
            : left < TimeSpan.FromHours(1) ? "withdrawing within the hour"
            : left < TimeSpan.FromDays(1) ? $"withdrawing in {(int)left.TotalHours} {Plural((int)left.TotalHours, "hour")}"
            : $"withdrawing in {(int)left.TotalDays} {Plural((int)left.TotalDays, "day")}";
    }

    private static string Plural(int n, string word) => n == 1 ? word : word + "s";
}
