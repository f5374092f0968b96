using System;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Policy.Model
{
    /// <summary>One main mode proposal (New-NetIPsecMainModeCryptoProposal; WFP IKEEXT_PROPOSAL0).</summary>
    public sealed class MainModeCryptoProposal
    {
        public MainModeCryptoProposal(Encryption encryption, Hash hash, DhGroup keyExchange)
        {
            Encryption = encryption;
            Hash = hash;
            KeyExchange = keyExchange;
        }

        public Encryption Encryption { get; }
        public Hash Hash { get; }
        public DhGroup KeyExchange { get; }

        public override string ToString() => $"{Encryption}-{Hash}-{KeyExchange}";
    }

    /// <summary>
    /// An ordered main mode crypto set (New-NetIPsecMainModeCryptoSet): proposals in preference order, the MM SA lifetime
    /// (WFP maxLifetimeSeconds; -MaxMinutes) and how many quick mode SAs one MM SA may key (quickModeLimit; -MaxSessions, 0 = unlimited).
    /// </summary>
    public sealed class MainModeCryptoSet
    {
        public const int DefaultLifetimeSeconds = 28800;

        public MainModeCryptoSet(string name, IEnumerable<MainModeCryptoProposal> proposals, int lifetimeSeconds = DefaultLifetimeSeconds, int maxQuickModeSas = 0)
        {
            Name = name ?? "";
            Proposals = (proposals ?? throw new ArgumentNullException(nameof(proposals))).ToList();
            LifetimeSeconds = lifetimeSeconds;
            MaxQuickModeSas = maxQuickModeSas;
        }

        public string Name { get; }
        public IReadOnlyList<MainModeCryptoProposal> Proposals { get; }
        public int LifetimeSeconds { get; }
        public int MaxQuickModeSas { get; }
    }

    /// <summary>
    /// One quick mode proposal (New-NetIPsecQuickModeCryptoProposal; WFP IPSEC_PROPOSAL0): encapsulation, the ESP cipher,
    /// the ESP and/or AH integrity and the lifetimes (NetSecurity defaults: 60 minutes, 100000 KB).
    /// </summary>
    public sealed class QuickModeCryptoProposal
    {
        public const int DefaultLifetimeSeconds = 3600;
        public const int DefaultLifetimeKilobytes = 100000;

        public QuickModeCryptoProposal(Encapsulation encapsulation, Encryption encryption, Hash espHash, Hash ahHash = Hash.None,
            int lifetimeSeconds = DefaultLifetimeSeconds, int lifetimeKilobytes = DefaultLifetimeKilobytes)
        {
            Encapsulation = encapsulation;
            Encryption = encryption;
            EspHash = espHash;
            AhHash = ahHash;
            LifetimeSeconds = lifetimeSeconds;
            LifetimeKilobytes = lifetimeKilobytes;
        }

        /// <summary>ESP with a cipher (and optionally integrity): the shorthand for the usual proposal.</summary>
        public static QuickModeCryptoProposal Esp(Encryption encryption, Hash espHash) => new QuickModeCryptoProposal(Encapsulation.ESP, encryption, espHash);

        public Encapsulation Encapsulation { get; }
        public Encryption Encryption { get; }
        public Hash EspHash { get; }
        public Hash AhHash { get; }
        public int LifetimeSeconds { get; }
        public int LifetimeKilobytes { get; }

        /// <summary>True when ESP carries a cipher (what Guarantee Encryption needs).</summary>
        public bool Encrypts => (Encapsulation & Encapsulation.ESP) != 0 && Encryption != Encryption.None;

        public override string ToString() =>
            string.Join("+", new[]
            {
                (Encapsulation & Encapsulation.AH) != 0 ? $"AH-{AhHash}" : null,
                (Encapsulation & Encapsulation.ESP) != 0 ? $"ESP-{Encryption}-{EspHash}" : null,
            }.Where(s => s != null));
    }

    /// <summary>An ordered quick mode crypto set (New-NetIPsecQuickModeCryptoSet) with its PFS group (-PerfectForwardSecrecyGroup).</summary>
    public sealed class QuickModeCryptoSet
    {
        public QuickModeCryptoSet(string name, IEnumerable<QuickModeCryptoProposal> proposals, DhGroup pfsGroup = DhGroup.None)
        {
            Name = name ?? "";
            Proposals = (proposals ?? throw new ArgumentNullException(nameof(proposals))).ToList();
            PfsGroup = pfsGroup;
        }

        public string Name { get; }
        public IReadOnlyList<QuickModeCryptoProposal> Proposals { get; }
        public DhGroup PfsGroup { get; }
    }
}
