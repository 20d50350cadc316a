using System.Net;
using System.Net.Sockets;

namespace ContentPortal.Web.Webhooks;

/// <summary>
/// Where webhooks may go (server-side request forgery). A subscriber must be a public address: loopback,
/// private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved
/// ranges are refused, and so are names that only mean something inside a network (localhost, single
/// labels, .local, .internal, …). Checked when an admin subscribes and again at every delivery, after
/// the name is resolved, on every address it resolves to (so a name that later points inside is still
/// refused: DNS rebinding). <c>Webhooks:AllowedHosts</c> (comma-separated host names or addresses)
/// lets an operator subscribe an internal consumer on purpose.
/// </summary>
public sealed class WebhookTargets
{
    public const string Refused = "Refused: the address is not a public one (an operator can allow it with Webhooks:AllowedHosts).";

    private static readonly string[] InternalSuffixes = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".corp", ".home.arpa", ".localdomain"];

    private readonly HashSet<string> allowed;

    public WebhookTargets(IConfiguration configuration)
    {
        allowed = new HashSet<string>(
            (configuration["Webhooks:AllowedHosts"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Normalise),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Why <paramref name="url"/> may not be subscribed, or null. Resolves the name if it can; a name that does not resolve now is checked again at delivery.</summary>
    public async Task<string?> ProblemAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null; // the domain names the shape problem
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Leave user names and passwords out of the address; the signature proves who sends.";
        }

        var host = Normalise(uri.IdnHost);
        if (IsAllowed(host))
        {
            return null;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return IsPublic(address) ? null : Refused;
        }

        if (!host.Contains('.') || host == "localhost" || InternalSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal)))
        {
            return Refused;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            return addresses.All(IsPublic) ? null : Refused;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public bool IsAllowed(string host) => allowed.Contains(Normalise(host));

    /// <summary>
    /// The handler webhooks are sent with: never follows a redirect (it would carry the signature
    /// elsewhere), no proxy, no cookies, and connects only to an address it has just checked.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = Normalise(context.DnsEndPoint.Host);
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!IsAllowed(host) && (addresses.Length == 0 || !addresses.All(IsPublic)))
        {
            throw new TargetRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Connect to the addresses that were checked, not to the name again.
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True for an address on the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var v6 = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6None)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (v6[0] & 0xfe) == 0xfc // unique local fc00::/7
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8)) // documentation
        {
            return false;
        }

        // IPv4-compatible (::a.b.c.d, deprecated but still routed to the IPv4 host by some stacks) and
        // IPv4-translated (::ffff:0:a.b.c.d) carry an IPv4 address: judge that one (:: and ::1 fall in 0.0.0.0/8).
        if (v6[..12].All(b => b == 0) || (v6[..8].All(b => b == 0) && v6[8] == 0xff && v6[9] == 0xff && v6[10] == 0 && v6[11] == 0))
        {
            return IsPublic(new IPAddress(v6[12..16]));
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judge that one.
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)
        {
            return IsPublic(new IPAddress(v6[12..16]));
        }

        if (v6[0] == 0x20 && v6[1] == 0x02)
        {
            return IsPublic(new IPAddress(v6[2..6]));
        }

        return true;
    }

    private static string Normalise(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    /// <summary>Thrown at connect time when the resolved address is not allowed; the attempt records <see cref="Refused"/>.</summary>
    public sealed class TargetRefusedException() : IOException(Refused);
}
