using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;

namespace IkeExtensions.Wire.VendorIds
{
    /// <summary>A vendor ID payload's data recognised against the registry.</summary>
    public readonly struct VendorIdMatch
    {
        internal VendorIdMatch(VendorIdDefinition definition, uint? number, int trailingLength)
        {
            Definition = definition;
            Number = number;
            TrailingLength = trailingLength;
        }

        public VendorIdDefinition Definition { get; }
        public VendorIdKind Kind => Definition.Kind;
        public string Name => Definition.Name;
        /// <summary>The 4-byte value after the hash (Windows version, keying module, DH group, Xbox type, fragmentation flags), if present.</summary>
        public uint? Number { get; }
        /// <summary>Bytes after the hash that are data rather than a number (Security Realm ID).</summary>
        public int TrailingLength { get; }

        /// <summary>"MS NT5 ISAKMPOAKLEY (Windows 8 and later)", "FRAGMENTATION (flags 0x80000000)", …</summary>
        public string Description
        {
            get
            {
                if (Number is uint n)
                {
                    string detail = Definition.DescribeNumber?.Invoke(n) ?? "0x" + n.ToString("x8", CultureInfo.InvariantCulture);
                    return $"{Name} ({detail})";
                }
                return TrailingLength > 0 ? $"{Name} (+{TrailingLength} bytes)" : Name;
            }
        }

        public override string ToString() => Description;
    }

    /// <summary>
    /// Every vendor ID of MS-IKEE's product-behaviour table (footnote 6, section 1.7), computed from its string (three taken verbatim, see below), plus the
    /// common non-Microsoft ones a dissector meets. Matching never allocates and never throws.
    /// </summary>
    public static class VendorIdRegistry
    {
        private static readonly Dictionary<ulong, List<VendorIdDefinition>> ByFirstEightBytes = new Dictionary<ulong, List<VendorIdDefinition>>();
        private static readonly Dictionary<VendorIdKind, VendorIdDefinition> ByKind = new Dictionary<VendorIdKind, VendorIdDefinition>();
        private static readonly List<VendorIdDefinition> AllDefinitions = new List<VendorIdDefinition>();

        static VendorIdRegistry()
        {
            Add(VendorIdKind.MicrosoftImplementation, "MS NT5 ISAKMPOAKLEY", VendorIdSuffix.OptionalNumber, true, WindowsRelease);
            // KEY_MODS, AUTHIP_INIT_KE_DH_GROUP and "Xbox IKEv2 Negotiation": the bytes MS-IKEE prints are not the MD5 of the
            // ASCII string as printed (checked: nor of its UTF-16 or NUL-terminated forms), so the table's bytes are taken as written.
            Add(VendorIdKind.KeyModules, "KEY_MODS", HexFormat.Parse("01528bbbc00696121849ab9a1c5b2a51"), VendorIdSuffix.Number, true, KeyModule);
            Add(VendorIdKind.AuthIpInitiatorDhGroup, "AUTHIP_INIT_KE_DH_GROUP", HexFormat.Parse("7bb93867d76c8d80df0f40fae8fc3b19"), VendorIdSuffix.Number, true, IkeextDhGroup);
            Add(VendorIdKind.GssApi, "GSSAPI", VendorIdSuffix.None, true);
            Add(VendorIdKind.VidInitialContact, "Vid-Initial-Contact", VendorIdSuffix.None, true);
            Add(VendorIdKind.NlbsPresent, "NLBS_PRESENT", VendorIdSuffix.None, true);
            Add(VendorIdKind.Fragmentation, "FRAGMENTATION", VendorIdSuffix.OptionalFlags, true, n => "flags 0x" + n.ToString("x8", CultureInfo.InvariantCulture));
            Add(VendorIdKind.NatTraversalDraft02, "draft-ietf-ipsec-nat-t-ike-02\n", VendorIdSuffix.None, true);
            Add(VendorIdKind.NatTraversalRfc3947, "RFC 3947", VendorIdSuffix.None, true);
            Add(VendorIdKind.MsMamieExists, "MS-MamieExists", VendorIdSuffix.None, true);
            Add(VendorIdKind.IkeCgaVersion1, "IKE CGA version 1", VendorIdSuffix.None, true);
            Add(VendorIdKind.NegotiationDiscoveryCapable, "MS-Negotiation Discovery Capable", VendorIdSuffix.None, true);
            Add(VendorIdKind.XboxOne2013, "Microsoft Xbox One 2013", VendorIdSuffix.None, true);
            Add(VendorIdKind.XboxIkev2Negotiation, "Xbox IKEv2 Negotiation", HexFormat.Parse("660822b3a73a244149578d62e0eb46a0"), VendorIdSuffix.OptionalNumber, true,
                n => "type " + n.ToString(CultureInfo.InvariantCulture));
            Add(VendorIdKind.SecurityRealmId, "MSFT IPsec Security Realm Id", VendorIdSuffix.Data, true);

            // RFC 3706 §4: fixed bytes, the last two are the version (1.0).
            Add(VendorIdKind.DeadPeerDetection, "RFC 3706 DPD", HexFormat.Parse("afcad71368a1f1c96b8696fc77570100"), VendorIdSuffix.None, false, null);
            Add(VendorIdKind.NatTraversalDraft02NoNewline, "draft-ietf-ipsec-nat-t-ike-02", VendorIdSuffix.None, false);
            Add(VendorIdKind.NatTraversalDraft03, "draft-ietf-ipsec-nat-t-ike-03", VendorIdSuffix.None, false);
            Add(VendorIdKind.XAuth, "draft-ietf-ipsra-isakmp-xauth-06.txt", HexFormat.Parse("09002689dfd6b712"), VendorIdSuffix.None, false, null);
            Add(VendorIdKind.CiscoUnity, "Cisco Unity", HexFormat.Parse("12f5f28c457168a9702d9fe274cc0100"), VendorIdSuffix.None, false, null);
            Add(VendorIdKind.StrongSwan, "strongSwan", VendorIdSuffix.None, false);
        }

        public static IReadOnlyList<VendorIdDefinition> All => AllDefinitions;

        public static VendorIdDefinition Get(VendorIdKind kind) =>
            ByKind.TryGetValue(kind, out var d) ? d : throw new ArgumentOutOfRangeException(nameof(kind), kind, "No such vendor ID.");

        /// <summary>Recognises vendor ID data; false for anything not in the registry or of a length its definition forbids.</summary>
        public static bool TryIdentify(ReadOnlySpan<byte> data, out VendorIdMatch match)
        {
            match = default;
            if (data.Length < 8 || !ByFirstEightBytes.TryGetValue(BinaryPrimitives.ReadUInt64BigEndian(data), out var candidates)) return false;
            foreach (var d in candidates)
            {
                ReadOnlySpan<byte> prefix = d.Prefix;
                if (data.Length < prefix.Length || !data.Slice(0, prefix.Length).SequenceEqual(prefix)) continue;
                int extra = data.Length - prefix.Length;
                switch (d.Suffix)
                {
                    case VendorIdSuffix.None when extra == 0:
                        match = new VendorIdMatch(d, null, 0);
                        return true;
                    case VendorIdSuffix.Number when extra == 4:
                    case VendorIdSuffix.OptionalNumber when extra == 4:
                    case VendorIdSuffix.OptionalFlags when extra == 4:
                        match = new VendorIdMatch(d, BinaryPrimitives.ReadUInt32BigEndian(data.Slice(prefix.Length)), 0);
                        return true;
                    case VendorIdSuffix.OptionalNumber when extra == 0:
                    case VendorIdSuffix.OptionalFlags when extra == 0:
                        match = new VendorIdMatch(d, null, 0);
                        return true;
                    case VendorIdSuffix.Data:
                        match = new VendorIdMatch(d, null, extra);
                        return true;
                }
            }
            return false;
        }

        /// <summary>Windows release named by the MS NT5 ISAKMPOAKLEY version (MS-IKEE 1.7 note 6).</summary>
        public static string WindowsRelease(uint version) => version switch
        {
            2 => "Windows 2000",
            3 => "Windows XP",
            4 => "Windows Server 2003",
            5 => "Windows Vista",
            6 => "Windows Server 2008",
            7 => "Windows 7",
            8 => "Windows Server 2008 R2",
            9 => "Windows 8 and later",
            _ => "unknown Windows version " + version.ToString(CultureInfo.InvariantCulture),
        };

        private static string KeyModule(uint module) => module switch
        {
            0 => "IKE",
            1 => "AuthIP",
            2 => "IKEv2",
            _ => "keying module " + module.ToString(CultureInfo.InvariantCulture),
        };

        private static string IkeextDhGroup(uint group) => group switch
        {
            0 => "IKEEXT_DH_GROUP_NONE",
            1 => "IKEEXT_DH_GROUP_1",
            2 => "IKEEXT_DH_GROUP_2",
            3 => "IKEEXT_DH_GROUP_14",
            4 => "IKEEXT_DH_ECP_256",
            5 => "IKEEXT_DH_ECP_384",
            6 => "IKEEXT_DH_GROUP_24",
            7 => "IKEEXT_DH_GROUP_MAX",
            _ => "DH group " + group.ToString(CultureInfo.InvariantCulture),
        };

        private static void Add(VendorIdKind kind, string text, VendorIdSuffix suffix, bool microsoft, Func<uint, string>? describe = null) =>
            Add(kind, text, VendorIdDefinition.Md5(text), suffix, microsoft, describe);

        private static void Add(VendorIdKind kind, string name, byte[] prefix, VendorIdSuffix suffix, bool microsoft, Func<uint, string>? describe)
        {
            var d = new VendorIdDefinition(kind, name, prefix, suffix, microsoft, describe);
            ulong key = BinaryPrimitives.ReadUInt64BigEndian(prefix);
            if (!ByFirstEightBytes.TryGetValue(key, out var list)) ByFirstEightBytes[key] = list = new List<VendorIdDefinition>();
            list.Add(d);
            ByKind[kind] = d;
            AllDefinitions.Add(d);
        }
    }
}
