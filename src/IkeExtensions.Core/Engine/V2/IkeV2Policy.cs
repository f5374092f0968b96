using System;
using System.Collections.Generic;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Policy;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>PRF transforms (IANA IKEv2 transform type 2).</summary>
    public enum IkeV2Prf : ushort
    {
        HmacSha2_256 = 5,
        HmacSha2_384 = 6,
        HmacSha2_512 = 7,
    }

    /// <summary>One IKE SA proposal (RFC 7296 §3.3): ENCR, PRF, INTEG (none with AEAD) and D-H group.</summary>
    public sealed class IkeV2Proposal
    {
        public IkeV2Proposal(SkEncryption encryption, int keyBits, IkeV2Prf prf, SkIntegrity integrity, int dhGroup, int lifetimeSeconds = 14400)
        {
            if (keyBits != 128 && keyBits != 192 && keyBits != 256) throw new ArgumentOutOfRangeException(nameof(keyBits), "AES keys are 128, 192 or 256 bits.");
            if ((encryption == SkEncryption.AesGcm16) != (integrity == SkIntegrity.None))
                throw new ArgumentException("AES-GCM takes no integrity transform; AES-CBC needs one.", nameof(integrity));
            if (!DhGroups.TryGet(dhGroup, out _)) throw new ArgumentOutOfRangeException(nameof(dhGroup), $"D-H group {dhGroup} is not supported.");
            if (lifetimeSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(lifetimeSeconds));
            Encryption = encryption;
            KeyBits = keyBits;
            Prf = prf;
            Integrity = integrity;
            DhGroup = dhGroup;
            LifetimeSeconds = lifetimeSeconds;
        }

        public SkEncryption Encryption { get; }
        public int KeyBits { get; }
        public IkeV2Prf Prf { get; }
        public SkIntegrity Integrity { get; }
        public int DhGroup { get; }
        public int LifetimeSeconds { get; }

        /// <summary>strongSwan's notation: "aes256-sha256-modp2048", "aes128gcm16-prfsha256-ecp256".</summary>
        public static IkeV2Proposal Parse(string text) => IkeV2Names.ParseIke(text);

        public override string ToString() => IkeV2Names.Format(this);
    }

    /// <summary>One ESP proposal for a child SA (RFC 7296 §3.3): ENCR, INTEG (none with AEAD), ESN = no, optional PFS group.</summary>
    public sealed class ChildProposalV2
    {
        public ChildProposalV2(SkEncryption encryption, int keyBits, SkIntegrity integrity, int pfsGroup = 0, int lifetimeSeconds = 3600)
        {
            if (keyBits != 128 && keyBits != 192 && keyBits != 256) throw new ArgumentOutOfRangeException(nameof(keyBits), "AES keys are 128, 192 or 256 bits.");
            if ((encryption == SkEncryption.AesGcm16) != (integrity == SkIntegrity.None))
                throw new ArgumentException("AES-GCM takes no integrity transform; AES-CBC needs one.", nameof(integrity));
            if (pfsGroup != 0 && !DhGroups.TryGet(pfsGroup, out _)) throw new ArgumentOutOfRangeException(nameof(pfsGroup));
            Encryption = encryption;
            KeyBits = keyBits;
            Integrity = integrity;
            PfsGroup = pfsGroup;
            LifetimeSeconds = lifetimeSeconds;
        }

        public SkEncryption Encryption { get; }
        public int KeyBits { get; }
        public SkIntegrity Integrity { get; }
        /// <summary>D-H group for CREATE_CHILD_SA (RFC 7296 §1.3); the first child of IKE_AUTH never has one (§1.2).</summary>
        public int PfsGroup { get; }
        public int LifetimeSeconds { get; }

        /// <summary>Key material for one direction: the cipher key (with the GCM salt) plus the integrity key (RFC 7296 §2.17).</summary>
        public int KeyMaterialLength => SkProtection.EncryptionKeyLength(Encryption, KeyBits) + SkProtection.IntegrityKeyLength(Integrity);

        /// <summary>strongSwan's notation: "aes256-sha256", "aes128gcm16", "aes256-sha384-modp2048".</summary>
        public static ChildProposalV2 Parse(string text) => IkeV2Names.ParseChild(text);

        public override string ToString() => IkeV2Names.Format(this);
    }

    /// <summary>An address range, protocol and port range (RFC 7296 §3.13.1).</summary>
    public sealed class TrafficSelectorV2
    {
        public TrafficSelectorV2(System.Net.IPAddress start, System.Net.IPAddress end, byte protocol = 0, ushort startPort = 0, ushort endPort = 65535)
        {
            if (start.AddressFamily != end.AddressFamily) throw new ArgumentException("Both ends of a range are of one family.");
            Start = start;
            End = end;
            Protocol = protocol;
            StartPort = startPort;
            EndPort = endPort;
        }

        public System.Net.IPAddress Start { get; }
        public System.Net.IPAddress End { get; }
        public byte Protocol { get; }
        public ushort StartPort { get; }
        public ushort EndPort { get; }

        /// <summary>"10.0.0.0/24", "192.0.2.1", "2001:db8::/64".</summary>
        public static TrafficSelectorV2 Parse(string cidr)
        {
            var parts = cidr.Split('/');
            var address = System.Net.IPAddress.Parse(parts[0]);
            var bytes = address.GetAddressBytes();
            int prefix = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : bytes.Length * 8;
            if (prefix < 0 || prefix > bytes.Length * 8) throw new FormatException($"Bad prefix length in '{cidr}'.");
            var start = (byte[])bytes.Clone();
            var end = (byte[])bytes.Clone();
            for (int bit = prefix; bit < bytes.Length * 8; bit++)
            {
                start[bit / 8] = unchecked((byte)(start[bit / 8] & ~(0x80 >> (bit % 8))));
                end[bit / 8] = unchecked((byte)(end[bit / 8] | (0x80 >> (bit % 8))));
            }
            return new TrafficSelectorV2(new System.Net.IPAddress(start), new System.Net.IPAddress(end));
        }

        public static TrafficSelectorV2 Host(System.Net.IPAddress address) => new TrafficSelectorV2(address, address);

        internal static TrafficSelectorV2 FromV1(Tables.TrafficSelector ts) =>
            new TrafficSelectorV2(ts.Start, ts.End, ts.Protocol, ts.Port, ts.Port == 0 ? (ushort)65535 : ts.Port);

        internal Tables.TrafficSelector ToV1() =>
            new Tables.TrafficSelector(Start, End, Protocol, StartPort == EndPort ? StartPort : (ushort)0);

        internal TrafficSelector ToWire() => new TrafficSelector(
            Start.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? TrafficSelectorType.Ipv4AddressRange : TrafficSelectorType.Ipv6AddressRange,
            Protocol, StartPort, EndPort, Start, End);

        internal static TrafficSelectorV2 FromWire(TrafficSelector ts) => new TrafficSelectorV2(ts.StartAddress, ts.EndAddress, ts.IpProtocol, ts.StartPort, ts.EndPort);

        /// <summary>The intersection of two selectors (RFC 7296 §2.9 narrowing), or null when they do not overlap.</summary>
        public TrafficSelectorV2? Intersect(TrafficSelectorV2 other)
        {
            if (Start.AddressFamily != other.Start.AddressFamily) return null;
            if (Protocol != 0 && other.Protocol != 0 && Protocol != other.Protocol) return null;
            byte protocol = Protocol != 0 ? Protocol : other.Protocol;
            ushort sp = Math.Max(StartPort, other.StartPort), ep = Math.Min(EndPort, other.EndPort);
            if (sp > ep) return null;
            var s = Max(Start, other.Start);
            var e = Min(End, other.End);
            if (Compare(s, e) > 0) return null;
            return new TrafficSelectorV2(s, e, protocol, sp, ep);
        }

        private static int Compare(System.Net.IPAddress a, System.Net.IPAddress b)
        {
            var x = a.GetAddressBytes();
            var y = b.GetAddressBytes();
            for (int i = 0; i < x.Length; i++) if (x[i] != y[i]) return x[i].CompareTo(y[i]);
            return 0;
        }

        private static System.Net.IPAddress Max(System.Net.IPAddress a, System.Net.IPAddress b) => Compare(a, b) >= 0 ? a : b;
        private static System.Net.IPAddress Min(System.Net.IPAddress a, System.Net.IPAddress b) => Compare(a, b) <= 0 ? a : b;

        public override bool Equals(object? obj) => obj is TrafficSelectorV2 t && t.Start.Equals(Start) && t.End.Equals(End) &&
                                                   t.Protocol == Protocol && t.StartPort == StartPort && t.EndPort == EndPort;
        public override int GetHashCode() => Start.GetHashCode() ^ End.GetHashCode() * 31 ^ Protocol;

        public override string ToString() => (Start.Equals(End) ? Start.ToString() : $"{Start}-{End}") +
            (Protocol == 0 ? "" : $" proto {Protocol}") + (StartPort == 0 && EndPort == 65535 ? "" : $" ports {StartPort}-{EndPort}");
    }

    /// <summary>What the IKEv2 engine offers and accepts.</summary>
    public sealed class IkeV2Policy
    {
        public IkeV2Policy(IReadOnlyList<IkeV2Proposal> ike, IReadOnlyList<ChildProposalV2> child, bool allowTransport = true, bool allowTunnel = true)
        {
            if (ike == null || ike.Count == 0) throw new ArgumentException("At least one IKE proposal.", nameof(ike));
            if (child == null || child.Count == 0) throw new ArgumentException("At least one child proposal.", nameof(child));
            Ike = ike;
            Child = child;
            AllowTransport = allowTransport;
            AllowTunnel = allowTunnel;
        }

        /// <summary>IKE SA proposals in order of preference; the initiator's KE is for the first one's group.</summary>
        public IReadOnlyList<IkeV2Proposal> Ike { get; }
        public IReadOnlyList<ChildProposalV2> Child { get; }
        public bool AllowTransport { get; }
        public bool AllowTunnel { get; }

        /// <summary>
        /// As responder, the selectors our side may have (TSr is narrowed to them) and the peer's side may have (TSi is
        /// narrowed to them) (RFC 7296 §2.9). Null: whatever the initiator asks for.
        /// </summary>
        public IReadOnlyList<TrafficSelectorV2>? LocalTrafficSelectors { get; set; }
        public IReadOnlyList<TrafficSelectorV2>? RemoteTrafficSelectors { get; set; }

        public static IkeV2Policy Default { get; } = new IkeV2Policy(
            new[]
            {
                IkeV2Proposal.Parse("aes256-sha256-modp2048"),
                IkeV2Proposal.Parse("aes128gcm16-prfsha256-ecp256"),
                IkeV2Proposal.Parse("aes256gcm16-prfsha384-ecp384"),
                IkeV2Proposal.Parse("aes128-sha256-ecp256"),
                IkeV2Proposal.Parse("aes256-sha384-ecp384"),
            },
            new[]
            {
                ChildProposalV2.Parse("aes256-sha256"),
                ChildProposalV2.Parse("aes128gcm16"),
                ChildProposalV2.Parse("aes256gcm16"),
                ChildProposalV2.Parse("aes128-sha256"),
            });

        /// <summary>
        /// The IKEv2 counterpart of an IKEv1 policy: Main Mode AES + SHA-2 transforms become AES-CBC / HMAC-SHA2 / PRF-HMAC-SHA2
        /// proposals, Quick Mode AES(-GCM) + SHA-2 transforms ESP proposals; what IKEv2 here cannot do (3DES, SHA-1, MD5) is
        /// left out, and an empty side falls back to <see cref="Default"/>'s.
        /// </summary>
        public static IkeV2Policy FromV1(IkeV1Policy v1)
        {
            var ike = new List<IkeV2Proposal>();
            foreach (var m in v1.MainMode)
            {
                if (m.Encryption != Wire.V1.IkeEncryptionAlgorithm.AesCbc || !DhGroups.TryGet(m.DhGroup, out _)) continue;
                var (prf, integ) = m.Hash switch
                {
                    Wire.V1.IkeHashAlgorithm.Sha2_256 => (IkeV2Prf.HmacSha2_256, SkIntegrity.HmacSha2_256_128),
                    Wire.V1.IkeHashAlgorithm.Sha2_384 => (IkeV2Prf.HmacSha2_384, SkIntegrity.HmacSha2_384_192),
                    Wire.V1.IkeHashAlgorithm.Sha2_512 => (IkeV2Prf.HmacSha2_512, SkIntegrity.HmacSha2_512_256),
                    _ => ((IkeV2Prf)0, SkIntegrity.None),
                };
                if (integ == SkIntegrity.None) continue;
                ike.Add(new IkeV2Proposal(SkEncryption.AesCbc, m.KeyBits == 0 ? 128 : m.KeyBits, prf, integ, m.DhGroup, m.LifetimeSeconds)); // the policy's lifetimes too (RFC 7296 §2.8 rekeys at them)
            }
            var child = new List<ChildProposalV2>();
            foreach (var q in v1.QuickMode)
            {
                int bits = q.KeyBits == 0 ? 128 : q.KeyBits;
                if (q.PfsGroup != 0 && !DhGroups.TryGet(q.PfsGroup, out _)) continue;
                // The Quick Mode PFS group is the child's D-H group in CREATE_CHILD_SA (RFC 7296 §1.3.1, §1.3.3: [KEi]).
                if (q.Encryption == Wire.V1.EspTransformId.AesGcm16) { child.Add(new ChildProposalV2(SkEncryption.AesGcm16, bits, SkIntegrity.None, q.PfsGroup, q.LifetimeSeconds)); continue; }
                if (q.Encryption != Wire.V1.EspTransformId.Aes) continue;
                var integ = q.Integrity switch
                {
                    Wire.V1.IpsecAuthenticationAlgorithm.HmacSha2_256 => SkIntegrity.HmacSha2_256_128,
                    Wire.V1.IpsecAuthenticationAlgorithm.HmacSha2_384 => SkIntegrity.HmacSha2_384_192,
                    Wire.V1.IpsecAuthenticationAlgorithm.HmacSha2_512 => SkIntegrity.HmacSha2_512_256,
                    _ => SkIntegrity.None,
                };
                if (integ != SkIntegrity.None) child.Add(new ChildProposalV2(SkEncryption.AesCbc, bits, integ, q.PfsGroup, q.LifetimeSeconds));
            }
            return new IkeV2Policy(ike.Count > 0 ? ike : Default.Ike, child.Count > 0 ? child : Default.Child, v1.AllowTransport, v1.AllowTunnel);
        }

        public override string ToString() => $"IKE [{string.Join(", ", Ike)}] ESP [{string.Join(", ", Child)}]";
    }

    /// <summary>strongSwan-style algorithm names and the IKEv2 transforms they stand for.</summary>
    internal static class IkeV2Names
    {
        public static IkeV2Proposal ParseIke(string text)
        {
            var parts = (text ?? throw new ArgumentNullException(nameof(text))).ToLowerInvariant().Split('-');
            if (parts.Length != 3) throw new FormatException($"'{text}': expected ENCR-INTEG-GROUP or ENCRgcm16-prfHASH-GROUP.");
            var (enc, bits) = Cipher(parts[0], text);
            int group = Group(parts[2], text);
            if (enc == SkEncryption.AesGcm16)
            {
                if (!parts[1].StartsWith("prf", StringComparison.Ordinal)) throw new FormatException($"'{text}': AES-GCM needs a prf (prfsha256).");
                return new IkeV2Proposal(enc, bits, Prf(parts[1].Substring(3), text), SkIntegrity.None, group);
            }
            var integ = Integrity(parts[1], text);
            return new IkeV2Proposal(enc, bits, Prf(parts[1], text), integ, group);
        }

        public static ChildProposalV2 ParseChild(string text)
        {
            var parts = (text ?? throw new ArgumentNullException(nameof(text))).ToLowerInvariant().Split('-');
            var (enc, bits) = Cipher(parts[0], text);
            int i = 1;
            var integ = SkIntegrity.None;
            if (enc == SkEncryption.AesCbc)
            {
                if (parts.Length < 2) throw new FormatException($"'{text}': AES-CBC needs an integrity algorithm.");
                integ = Integrity(parts[1], text);
                i = 2;
            }
            int pfs = parts.Length > i ? Group(parts[i], text) : 0;
            if (parts.Length > i + 1) throw new FormatException($"'{text}': too many parts.");
            return new ChildProposalV2(enc, bits, integ, pfs);
        }

        private static (SkEncryption, int) Cipher(string s, string text)
        {
            bool gcm = s.EndsWith("gcm16", StringComparison.Ordinal);
            string b = gcm ? s.Substring(0, s.Length - 5) : s;
            return b switch
            {
                "aes128" => (gcm ? SkEncryption.AesGcm16 : SkEncryption.AesCbc, 128),
                "aes192" => (gcm ? SkEncryption.AesGcm16 : SkEncryption.AesCbc, 192),
                "aes256" => (gcm ? SkEncryption.AesGcm16 : SkEncryption.AesCbc, 256),
                "aes" => (gcm ? SkEncryption.AesGcm16 : SkEncryption.AesCbc, 128),
                _ => throw new FormatException($"'{text}': unknown cipher '{s}' (aes128, aes256, aes128gcm16, aes256gcm16)."),
            };
        }

        private static SkIntegrity Integrity(string s, string text) => s switch
        {
            "sha256" => SkIntegrity.HmacSha2_256_128,
            "sha384" => SkIntegrity.HmacSha2_384_192,
            "sha512" => SkIntegrity.HmacSha2_512_256,
            _ => throw new FormatException($"'{text}': unknown integrity algorithm '{s}' (sha256, sha384, sha512)."),
        };

        private static IkeV2Prf Prf(string s, string text) => s switch
        {
            "sha256" => IkeV2Prf.HmacSha2_256,
            "sha384" => IkeV2Prf.HmacSha2_384,
            "sha512" => IkeV2Prf.HmacSha2_512,
            _ => throw new FormatException($"'{text}': unknown PRF '{s}'."),
        };

        private static int Group(string s, string text) => s switch
        {
            "modp2048" => 14,
            "modp2048s256" => 24,
            "ecp256" => 19,
            "ecp384" => 20,
            _ => throw new FormatException($"'{text}': unknown D-H group '{s}' (modp2048, ecp256, ecp384)."),
        };

        public static string Format(IkeV2Proposal p) =>
            p.Encryption == SkEncryption.AesGcm16
                ? $"aes{p.KeyBits}gcm16-prf{Hash(p.Prf)}-{GroupName(p.DhGroup)}"
                : $"aes{p.KeyBits}-{Hash(p.Integrity)}-{GroupName(p.DhGroup)}";

        public static string Format(ChildProposalV2 p) =>
            (p.Encryption == SkEncryption.AesGcm16 ? $"aes{p.KeyBits}gcm16" : $"aes{p.KeyBits}-{Hash(p.Integrity)}") +
            (p.PfsGroup == 0 ? "" : "-" + GroupName(p.PfsGroup));

        public static string Hash(IkeV2Prf prf) => prf switch { IkeV2Prf.HmacSha2_384 => "sha384", IkeV2Prf.HmacSha2_512 => "sha512", _ => "sha256" };
        public static string Hash(SkIntegrity i) => i switch
        {
            SkIntegrity.HmacSha2_384_192 => "sha384",
            SkIntegrity.HmacSha2_512_256 => "sha512",
            SkIntegrity.HmacSha2_256_128 => "sha256",
            _ => "none",
        };

        public static string GroupName(int group) => group switch
        {
            14 => "modp2048", 24 => "modp2048s256", 19 => "ecp256", 20 => "ecp384", 2 => "modp1024", _ => "group" + group,
        };

        public static IPrf PrfOf(IkeV2Prf prf) => prf switch
        {
            IkeV2Prf.HmacSha2_384 => PrfAlgorithms.HmacSha2_384,
            IkeV2Prf.HmacSha2_512 => PrfAlgorithms.HmacSha2_512,
            _ => PrfAlgorithms.HmacSha2_256,
        };

        /// <summary>NetSecurity-like names for the SA rows.</summary>
        public static string CipherName(SkEncryption e, int bits) => e == SkEncryption.AesGcm16 ? $"AES-GCM-{bits}" : $"AES-CBC-{bits}";
        public static string IntegrityName(SkIntegrity i) => i switch
        {
            SkIntegrity.HmacSha2_256_128 => "HMAC-SHA2-256-128",
            SkIntegrity.HmacSha2_384_192 => "HMAC-SHA2-384-192",
            SkIntegrity.HmacSha2_512_256 => "HMAC-SHA2-512-256",
            _ => "none (AEAD)",
        };
        public static string PrfName(IkeV2Prf p) => p switch
        {
            IkeV2Prf.HmacSha2_384 => "PRF-HMAC-SHA2-384",
            IkeV2Prf.HmacSha2_512 => "PRF-HMAC-SHA2-512",
            _ => "PRF-HMAC-SHA2-256",
        };
    }
}
