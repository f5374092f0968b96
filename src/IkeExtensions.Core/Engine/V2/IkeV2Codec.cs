using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Proposals, identities and NAT detection hashes as IKEv2 payloads (RFC 7296 §3.3, §3.5, §2.23).</summary>
    internal static class IkeV2Codec
    {
        private const ushort KeyLengthAttribute = 14;

        private static TransformV2 Encr(SkEncryption e, int bits) =>
            new TransformV2(TransformType.Encryption, (ushort)e, new[] { DataAttribute.Basic(KeyLengthAttribute, (ushort)bits) });

        public static ProposalV2 Ike(byte number, IkeV2Proposal p, ReadOnlyMemory<byte> spi = default)
        {
            var t = new List<TransformV2> { Encr(p.Encryption, p.KeyBits), new TransformV2(TransformType.PseudoRandomFunction, (ushort)p.Prf) };
            if (p.Integrity != SkIntegrity.None) t.Add(new TransformV2(TransformType.Integrity, (ushort)p.Integrity));
            t.Add(new TransformV2(TransformType.DiffieHellmanGroup, (ushort)p.DhGroup));
            return new ProposalV2(number, ProtocolIdV2.Ike, spi, t);
        }

        public static ProposalV2 Child(byte number, ChildProposalV2 p, uint spi, bool withDh)
        {
            var t = new List<TransformV2> { Encr(p.Encryption, p.KeyBits) };
            if (p.Integrity != SkIntegrity.None) t.Add(new TransformV2(TransformType.Integrity, (ushort)p.Integrity));
            if (withDh && p.PfsGroup != 0) t.Add(new TransformV2(TransformType.DiffieHellmanGroup, (ushort)p.PfsGroup));
            t.Add(new TransformV2(TransformType.ExtendedSequenceNumbers, 0));
            return new ProposalV2(number, ProtocolIdV2.Esp, SpiBytes(spi), t);
        }

        private static bool HasEncr(ProposalV2 p, SkEncryption e, int bits) =>
            p.Transforms.Any(t => t.TransformType == TransformType.Encryption && t.TransformId == (ushort)e && t.KeyLength == bits);

        private static bool Has(ProposalV2 p, TransformType type, ushort id) => p.Transforms.Any(t => t.TransformType == type && t.TransformId == id);

        /// <summary>An optional transform type is satisfied by "none": absent or listing id 0.</summary>
        private static bool NoneOk(ProposalV2 p, TransformType type) => !p.Transforms.Any(t => t.TransformType == type) || Has(p, type, 0);

        private static bool KnownAttributesOnly(ProposalV2 p) =>
            p.Transforms.All(t => t.Attributes.All(a => a.Type == KeyLengthAttribute && a.IsBasic));

        /// <summary>Which of <paramref name="ours"/> (in our order) the peer's IKE proposal contains, or null.</summary>
        public static IkeV2Proposal? MatchIke(ProposalV2 peer, IEnumerable<IkeV2Proposal> ours)
        {
            if (peer.ProtocolId != ProtocolIdV2.Ike || !KnownAttributesOnly(peer)) return null;
            return ours.FirstOrDefault(o =>
                HasEncr(peer, o.Encryption, o.KeyBits) && Has(peer, TransformType.PseudoRandomFunction, (ushort)o.Prf) &&
                (o.Integrity == SkIntegrity.None ? NoneOk(peer, TransformType.Integrity) : Has(peer, TransformType.Integrity, (ushort)o.Integrity)) &&
                Has(peer, TransformType.DiffieHellmanGroup, (ushort)o.DhGroup));
        }

        /// <summary>
        /// Which of <paramref name="ours"/> the peer's ESP proposal contains, or null. In IKE_AUTH no D-H group is
        /// negotiated (RFC 7296 §1.2), so groups are ignored there; in CREATE_CHILD_SA the group must match (none = none).
        /// </summary>
        public static ChildProposalV2? MatchChild(ProposalV2 peer, IEnumerable<ChildProposalV2> ours, bool inIkeAuth)
        {
            if (peer.ProtocolId != ProtocolIdV2.Esp || peer.Spi.Length != 4 || !KnownAttributesOnly(peer)) return null;
            if (!NoneOk(peer, TransformType.ExtendedSequenceNumbers)) return null;
            return ours.FirstOrDefault(o =>
                HasEncr(peer, o.Encryption, o.KeyBits) &&
                (o.Integrity == SkIntegrity.None ? NoneOk(peer, TransformType.Integrity) : Has(peer, TransformType.Integrity, (ushort)o.Integrity)) &&
                (inIkeAuth || (o.PfsGroup == 0 ? NoneOk(peer, TransformType.DiffieHellmanGroup) : Has(peer, TransformType.DiffieHellmanGroup, (ushort)o.PfsGroup))));
        }

        public static byte[] SpiBytes(uint spi)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, spi);
            return b;
        }

        public static uint ReadSpi(ReadOnlyMemory<byte> spi) => spi.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(spi.Span) : 0;

        /// <summary>Our identity (RFC 7296 §3.5): ID_FQDN when configured, else our address.</summary>
        public static (byte Type, byte[] Data) LocalId(string? fqdn, IPAddress local)
        {
            if (!string.IsNullOrEmpty(fqdn)) return (2, System.Text.Encoding.ASCII.GetBytes(fqdn));
            var a = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
            return (a.AddressFamily == AddressFamily.InterNetwork ? (byte)1 : (byte)5, a.GetAddressBytes());
        }

        /// <summary>IDx' (RFC 7296 §2.15): the ID payload body without its generic header — type, three reserved octets, data.</summary>
        public static byte[] IdBody(byte type, ReadOnlySpan<byte> data)
        {
            var b = new byte[4 + data.Length];
            b[0] = type;
            data.CopyTo(b.AsSpan(4));
            return b;
        }

        /// <summary>NAT_DETECTION_*_IP data (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP address | port).</summary>
        public static byte[] NatHash(ulong spiI, ulong spiR, IPEndPoint ep)
        {
            var address = (ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address).GetAddressBytes();
            var input = new byte[16 + address.Length + 2];
            BinaryPrimitives.WriteUInt64BigEndian(input, spiI);
            BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(8), spiR);
            address.CopyTo(input, 16);
            BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(16 + address.Length), unchecked((ushort)ep.Port));
            return HashAlgorithms.Sha1.Compute(input);
        }

        public static byte[] Group16(int group)
        {
            var b = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(b, unchecked((ushort)group));
            return b;
        }

        /// <summary>The first selector of <paramref name="peer"/> that overlaps one of <paramref name="ours"/>, narrowed to the overlap (RFC 7296 §2.9).</summary>
        public static TrafficSelectorV2? Narrow(IReadOnlyList<TrafficSelector> peer, IReadOnlyList<TrafficSelectorV2>? ours)
        {
            foreach (var p in peer)
            {
                var x = TrafficSelectorV2.FromWire(p);
                if (ours == null) return x;
                foreach (var o in ours)
                {
                    var n = x.Intersect(o);
                    if (n != null) return n;
                }
            }
            return null;
        }

        /// <summary>True when <paramref name="inner"/> lies within one of <paramref name="outer"/> (a responder may only narrow).</summary>
        public static bool Within(TrafficSelectorV2 inner, IEnumerable<TrafficSelectorV2> outer) =>
            outer.Any(o => inner.Intersect(o) is TrafficSelectorV2 x && x.Equals(inner));

        public static TrafficSelectorPayload Ts(bool initiator, TrafficSelectorV2 ts) => new TrafficSelectorPayload(initiator, new[] { ts.ToWire() });
        public static TrafficSelectorPayload Ts(bool initiator, IEnumerable<TrafficSelectorV2> ts) => new TrafficSelectorPayload(initiator, ts.Select(t => t.ToWire()).ToArray());
    }
}
