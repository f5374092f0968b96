using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Tables;

namespace IkeExtensions.Policy.Model
{
    /// <summary>One authentication proposal (New-NetIPsecAuthProposal; WFP IKEEXT_AUTHENTICATION_METHOD).</summary>
    public abstract class AuthProposal
    {
        private protected AuthProposal() { }

        /// <summary>The JSON "method" value: PreSharedKey, Certificate, Cga or Kerberos.</summary>
        public abstract string Method { get; }

        /// <summary>Whether a keying module can use this method (IKEv2 has no Kerberos/PSK/NTLM; AuthIP has no PSK; CGA is IKEv1/AuthIP).</summary>
        public abstract bool UsableWith(KeyingModule module);
    }

    /// <summary>
    /// A pre-shared key held as a secret (<see cref="PreSharedKey"/> never shows its bytes). <see cref="Key"/> is null when
    /// the policy file left the key out (written without --include-secrets and without a protector): the method is then
    /// named but the key must come from elsewhere (e.g. ikex responder --psk-file).
    /// </summary>
    public sealed class PreSharedKeyAuthProposal : AuthProposal
    {
        public PreSharedKeyAuthProposal(PreSharedKey? key, ProtectedSecret? protectedKey = null)
        {
            Key = key;
            ProtectedKey = protectedKey;
        }

        public PreSharedKey? Key { get; }
        /// <summary>The key as a protector wrote it (e.g. DPAPI on Windows), kept when this system cannot unprotect it so re-export preserves it.</summary>
        public ProtectedSecret? ProtectedKey { get; }
        public override string Method => "PreSharedKey";
        public override bool UsableWith(KeyingModule module) => module == KeyingModule.IKEv1;
        public override string ToString() => Key == null ? "PreSharedKey (key not in policy)" : $"PreSharedKey ({Key.Length} bytes, hidden)";
    }

    /// <summary>A secret as an <c>IPolicySecretProtector</c> wrote it: the protector's scheme name and its opaque text.</summary>
    public sealed class ProtectedSecret
    {
        public ProtectedSecret(string scheme, string data)
        {
            Scheme = scheme ?? throw new ArgumentNullException(nameof(scheme));
            Data = data ?? throw new ArgumentNullException(nameof(data));
        }

        public string Scheme { get; }
        public string Data { get; }
        public override string ToString() => $"protected secret ({Scheme})";
    }

    /// <summary>A certificate proposal: the peer's certificate must chain to <see cref="Authority"/> (a subject DN) or have <see cref="Thumbprint"/>.</summary>
    public sealed class CertificateAuthProposal : AuthProposal
    {
        public CertificateAuthProposal(string? authority, CertificateAuthorityType authorityType = CertificateAuthorityType.Root,
            string? thumbprint = null, CertificateSigning signing = CertificateSigning.RSA)
        {
            Authority = string.IsNullOrWhiteSpace(authority) ? null : authority!.Trim();
            AuthorityType = authorityType;
            Thumbprint = string.IsNullOrWhiteSpace(thumbprint) ? null : thumbprint!.Replace(" ", "").Replace(":", "").ToUpperInvariant();
            Signing = signing;
        }

        public string? Authority { get; }
        public CertificateAuthorityType AuthorityType { get; }
        /// <summary>SHA-1 thumbprint, 40 upper-case hex digits.</summary>
        public string? Thumbprint { get; }
        public CertificateSigning Signing { get; }
        public override string Method => "Certificate";
        public override bool UsableWith(KeyingModule module) => true;
        public override string ToString() => $"Certificate ({Authority ?? Thumbprint}, {Signing})";
    }

    /// <summary>CGA authentication (MS-IKEE 3.4: IPv6 cryptographically generated addresses).</summary>
    public sealed class CgaAuthProposal : AuthProposal
    {
        public override string Method => "Cga";
        public override bool UsableWith(KeyingModule module) => module != KeyingModule.IKEv2;
        public override string ToString() => "Cga";
    }

    /// <summary>Kerberos V5 (machine or user). Named for WFP only: the engine does not implement it.</summary>
    public sealed class KerberosAuthProposal : AuthProposal
    {
        public KerberosAuthProposal(KerberosPrincipal principal = KerberosPrincipal.Machine, string? proxy = null)
        {
            Principal = principal;
            Proxy = string.IsNullOrWhiteSpace(proxy) ? null : proxy;
        }

        public KerberosPrincipal Principal { get; }
        public string? Proxy { get; }
        public override string Method => "Kerberos";
        public override bool UsableWith(KeyingModule module) => module != KeyingModule.IKEv2;
        public override string ToString() => $"Kerberos ({Principal})";
    }

    /// <summary>An ordered authentication set (New-NetIPsecPhase1AuthSet / Phase2AuthSet).</summary>
    public sealed class AuthSet
    {
        public AuthSet(string name, IEnumerable<AuthProposal> proposals)
        {
            Name = name ?? "";
            Proposals = (proposals ?? throw new ArgumentNullException(nameof(proposals))).ToList();
        }

        public string Name { get; }
        public IReadOnlyList<AuthProposal> Proposals { get; }
    }
}
