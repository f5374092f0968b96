using System;
using IkeExtensions.Crypto;

namespace IkeExtensions.Engine.V2
{
    /// <summary>When the engine rekeys SAs by itself (RFC 7296 §2.8: before the lifetime runs out) and how long it waits for the peer.</summary>
    public sealed partial class IkeV2EngineOptions
    {
        /// <summary>Rekey SAs at their soft lifetime; false: they are deleted at their lifetime as before.</summary>
        public bool RekeyEnabled { get; set; } = true;
        /// <summary>Soft lifetime as a fraction of the negotiated lifetime (the hard lifetime deletes).</summary>
        public double RekeyFraction { get; set; } = 0.9;
        /// <summary>Up to this fraction of the lifetime is taken off the soft lifetime at random (from <see cref="Random"/>), so two peers with equal lifetimes seldom rekey at once (§2.8.1).</summary>
        public double RekeyJitterFraction { get; set; } = 0.05;
        /// <summary>A refused or failed rekey is tried again this much later (while the hard lifetime allows).</summary>
        public TimeSpan RekeyRetryInterval { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>
        /// How long an SA replaced by the peer's rekey (or a redundant one the peer should delete, §2.8.1) is kept waiting for
        /// the peer's Delete before this side removes it itself.
        /// </summary>
        public TimeSpan RekeyDeleteTimeout { get; set; } = TimeSpan.FromSeconds(30);
    }

    /// <summary>Our own IKE SA rekey in flight on the old IKE SA (RFC 7296 §1.3.2).</summary>
    internal sealed class IkeRekeyAttempt : IDisposable
    {
        public IkeRekeyAttempt(ulong spi, byte[] nonce, int group, IDhKeyPair dh)
        {
            Spi = spi;
            Nonce = nonce;
            Group = group;
            Dh = dh;
        }

        /// <summary>Our SPI for the new IKE SA: its SPIi, since the rekey initiator is the new SA's original initiator.</summary>
        public ulong Spi { get; }
        public byte[] Nonce { get; }
        public int Group { get; }
        public IDhKeyPair Dh { get; private set; }
        public int Retries;

        public void Dispose() => Dh.Dispose();
    }

    internal sealed partial class IkeV2Session
    {
        /// <summary>Our rekey of this IKE SA, sent or queued.</summary>
        public IkeRekeyAttempt? IkeRekey;
        /// <summary>The new IKE SA the peer made by rekeying this one while our own rekey was in flight (§2.8.2), until the nonces decide.</summary>
        public IkeV2Session? CollidingRekey;
        /// <summary>The IKE SA that replaced this one and took its children.</summary>
        public IkeV2Session? Successor;
        /// <summary>Soft lifetime: when we rekey (computed once the SA is established).</summary>
        public DateTime? RekeyAt;
        /// <summary>A replaced or redundant IKE SA the peer is expected to delete; past this we remove it ourselves.</summary>
        public DateTime? AwaitDeleteUntil;
    }

    internal sealed partial class ChildSession
    {
        /// <summary>Our rekey of this child (the new child, in negotiation).</summary>
        public ChildSession? RekeyingBy;
        /// <summary>The child the peer made by rekeying this one while our rekey was in flight (§2.8.1), until the nonces decide.</summary>
        public ChildSession? CollidingRekey;
        /// <summary>The child that replaced this one (RFC 7296 §1.3.3); this one lives until deleted.</summary>
        public ChildSession? ReplacedBy;
        /// <summary>The old child this one rekeys.</summary>
        public ChildSession? Rekeys;
        public DateTime? RekeyAt;
        /// <summary>A replaced or redundant child the peer is expected to delete; past this we delete it ourselves.</summary>
        public DateTime? AwaitDeleteUntil;
        /// <summary>We asked the peer to delete this child (its Delete is sent or queued).</summary>
        public bool DeleteRequested;
    }
}
