using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The Data Protection key ring lives in the database, so whoever can read the database (or a backup) could
/// mint a login cookie for anyone, unless the keys are encrypted at rest. DataProtection:CertificatePath (a
/// PKCS#12 file with its private key; DataProtection:CertificatePassword) encrypts them; PreviousCertificatePath
/// keeps keys made under the last certificate readable while it is rotated out (docs/deployment.md).
/// </summary>
public static class KeyRingProtection
{
    public const string CertificatePath = "DataProtection:CertificatePath";
    public const string CertificatePassword = "DataProtection:CertificatePassword";
    public const string PreviousCertificatePath = "DataProtection:PreviousCertificatePath";
    public const string PreviousCertificatePassword = "DataProtection:PreviousCertificatePassword";
    public const string AllowUnprotectedKeys = "DataProtection:AllowUnprotectedKeys";

    /// <summary>Protects the key ring as configured; throws <see cref="KeyRingConfigurationException"/> with a sentence naming the setting.</summary>
    public static void Configure(IDataProtectionBuilder dataProtection, IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[CertificatePath];
        if (string.IsNullOrWhiteSpace(path))
        {
            // Development (the README's run command) may keep clear keys; elsewhere only on purpose.
            if (!environment.IsDevelopment() && !configuration.GetValue(AllowUnprotectedKeys, false))
            {
                throw new KeyRingConfigurationException(
                    $"the Data Protection key ring (login cookies) is stored in the database unencrypted. Set {CertificatePath} (and {CertificatePassword}) " +
                    $"to a PKCS#12 certificate to encrypt it (docs/deployment.md), or set {AllowUnprotectedKeys}=true to run without on purpose.");
            }

            return;
        }

        dataProtection.ProtectKeysWithCertificate(Load(path, configuration[CertificatePassword], CertificatePath));
        if (configuration[PreviousCertificatePath] is { Length: > 0 } previous)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(Load(previous, configuration[PreviousCertificatePassword], PreviousCertificatePath));
        }
    }

    private static X509Certificate2 Load(string path, string? password, string setting)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new KeyRingConfigurationException($"{setting} ({path}) could not be read: {exception.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new KeyRingConfigurationException($"{setting} ({path}) has no private key; the key ring could not be decrypted with it.");
        }

        return certificate;
    }
}

public sealed class KeyRingConfigurationException(string message) : Exception(message);
