using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Policy;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Engine
{
    /// <summary>Policy proposals to and from SA payloads (RFC 2409 Appendix A; RFC 2407 §4.5), and responder-side selection.</summary>
    internal static class ProposalCodec
    {
        // ---- Main Mode ----

        public static SecurityAssociationPayload MainModeOffer(IReadOnlyList<MainModeProposal> proposals)
        {
            var transforms = new List<Transform>(proposals.Count);
            for (int i = 0; i < proposals.Count; i++) transforms.Add(MainModeTransform((byte)(i + 1), proposals[i]));
            return new SecurityAssociationPayload(Doi.IpsecDoi, Doi.SituationIdentityOnly,
                new[] { new Proposal(1, ProtocolId.Isakmp, default, transforms) });
        }

        public static Transform MainModeTransform(byte number, MainModeProposal p)
        {
            var a = new List<DataAttribute> { DataAttribute.Basic((ushort)IkeAttributeType.EncryptionAlgorithm, (ushort)p.Encryption) };
            if (p.KeyBits > 0 && p.Encryption == IkeEncryptionAlgorithm.AesCbc) a.Add(DataAttribute.Basic((ushort)IkeAttributeType.KeyLength, (ushort)p.KeyBits));
            a.Add(DataAttribute.Basic((ushort)IkeAttributeType.HashAlgorithm, (ushort)p.Hash));
            a.Add(DataAttribute.Basic((ushort)IkeAttributeType.AuthenticationMethod, (ushort)p.Authentication));
            a.Add(DataAttribute.Basic((ushort)IkeAttributeType.GroupDescription, (ushort)p.DhGroup));
            a.Add(DataAttribute.Basic((ushort)IkeAttributeType.LifeType, (ushort)LifeType.Seconds));
            a.Add(DataAttribute.Integer((ushort)IkeAttributeType.LifeDuration, (ulong)p.LifetimeSeconds));
            return new Transform(number, 1 /* KEY_IKE */, a);
        }

        /// <summary>
        /// Reads a KEY_IKE transform. Unknown attributes are ignored rather than fatal (MS-IKEE 3.1.5); a transform that
        /// lacks a mandatory class or names an algorithm we do not implement yields null.
        /// </summary>
        public static MainModeProposal? ReadMainModeTransform(Transform t)
        {
            if (t.TransformId != 1) return null;
            if (!t.TryGetAttribute((ushort)IkeAttributeType.EncryptionAlgorithm, out ulong enc) ||
                !t.TryGetAttribute((ushort)IkeAttributeType.HashAlgorithm, out ulong hash) ||
                !t.TryGetAttribute((ushort)IkeAttributeType.AuthenticationMethod, out ulong auth) ||
                !t.TryGetAttribute((ushort)IkeAttributeType.GroupDescription, out ulong group))
                return null;
            t.TryGetAttribute((ushort)IkeAttributeType.KeyLength, out ulong keyBits);
            int lifetime = 28800;
            if (t.TryGetAttribute((ushort)IkeAttributeType.LifeType, out ulong lifeType) && lifeType == (ulong)LifeType.Seconds &&
                t.TryGetAttribute((ushort)IkeAttributeType.LifeDuration, out ulong seconds) && seconds > 0)
                lifetime = (int)Math.Min(seconds, int.MaxValue);
            if (enc > ushort.MaxValue || hash > ushort.MaxValue || auth > ushort.MaxValue || group > 64 || keyBits > 512) return null;
            return new MainModeProposal((IkeEncryptionAlgorithm)enc, (int)keyBits, (IkeHashAlgorithm)hash, (int)group, (IkeAuthenticationMethod)auth, lifetime);
        }

        /// <summary>The first of the peer's transforms that our policy contains (RFC 2409 §5: the responder picks one).</summary>
        public static (Transform Transform, MainModeProposal Proposal)? SelectMainMode(SecurityAssociationPayload offer, IReadOnlyList<MainModeProposal> ours)
        {
            if (offer.Doi != Doi.IpsecDoi) return null;
            foreach (var proposal in offer.Proposals.Where(p => p.ProtocolId == ProtocolId.Isakmp))
                foreach (var t in proposal.Transforms)
                {
                    var theirs = ReadMainModeTransform(t);
                    if (theirs == null) continue;
                    var match = ours.FirstOrDefault(o => Same(o, theirs));
                    if (match != null) return (t, theirs.WithAuthentication(match.Authentication));
                }
            return null;
        }

        public static bool Same(MainModeProposal a, MainModeProposal b) =>
            a.Encryption == b.Encryption && (a.Encryption != IkeEncryptionAlgorithm.AesCbc || a.KeyBits == b.KeyBits) &&
            a.Hash == b.Hash && a.DhGroup == b.DhGroup && a.Authentication == b.Authentication;

        // ---- Quick Mode ----

        public static SecurityAssociationPayload QuickModeOffer(IReadOnlyList<QuickModeProposal> proposals, uint spi, EncapsulationMode mode)
        {
            var transforms = new List<Transform>(proposals.Count);
            for (int i = 0; i < proposals.Count; i++) transforms.Add(QuickModeTransform((byte)(i + 1), proposals[i], mode));
            return new SecurityAssociationPayload(Doi.IpsecDoi, Doi.SituationIdentityOnly,
                new[] { new Proposal(1, ProtocolId.IpsecEsp, SpiBytes(spi), transforms) });
        }

        public static Transform QuickModeTransform(byte number, QuickModeProposal p, EncapsulationMode mode)
        {
            var a = new List<DataAttribute>
            {
                DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Seconds),
                DataAttribute.Integer((ushort)IpsecAttributeType.SaLifeDuration, (ulong)p.LifetimeSeconds),
            };
            if (p.LifetimeKilobytes > 0)
            {
                a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.SaLifeType, (ushort)LifeType.Kilobytes));
                a.Add(DataAttribute.Integer((ushort)IpsecAttributeType.SaLifeDuration, (ulong)p.LifetimeKilobytes));
            }
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, (ushort)mode));
            a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, (ushort)p.Integrity));
            if (p.KeyBits > 0 && p.Encryption == EspTransformId.Aes) a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, (ushort)p.KeyBits));
            if (p.PfsGroup > 0) a.Add(DataAttribute.Basic((ushort)IpsecAttributeType.GroupDescription, (ushort)p.PfsGroup));
            return new Transform(number, (byte)p.Encryption, a);
        }

        /// <summary>Reads an ESP transform (RFC 2407 §4.5); lifetimes come in type/duration pairs.</summary>
        public static (QuickModeProposal Proposal, EncapsulationMode Mode)? ReadQuickModeTransform(Transform t)
        {
            if (!t.TryGetAttribute((ushort)IpsecAttributeType.AuthenticationAlgorithm, out ulong integ) || integ > ushort.MaxValue) return null;
            t.TryGetAttribute((ushort)IpsecAttributeType.KeyLength, out ulong keyBits);
            t.TryGetAttribute((ushort)IpsecAttributeType.GroupDescription, out ulong group);
            ulong mode = (ulong)EncapsulationMode.Tunnel; // RFC 2407 §4.5: tunnel when unspecified
            t.TryGetAttribute((ushort)IpsecAttributeType.EncapsulationMode, out mode);
            if (mode == 0) mode = (ulong)EncapsulationMode.Tunnel;
            int seconds = 28800, kilobytes = 0;
            ulong lifeType = 0;
            foreach (var a in t.Attributes)
            {
                if (a.Type == (ushort)IpsecAttributeType.SaLifeType) a.TryGetInteger(out lifeType);
                else if (a.Type == (ushort)IpsecAttributeType.SaLifeDuration && a.TryGetInteger(out ulong v) && v > 0)
                {
                    if (lifeType == (ulong)LifeType.Kilobytes) kilobytes = (int)Math.Min(v, int.MaxValue);
                    else seconds = (int)Math.Min(v, int.MaxValue);
                }
            }
            if (keyBits > 512 || group > 64 || mode > ushort.MaxValue) return null;
            return (new QuickModeProposal((EspTransformId)t.TransformId, (int)keyBits, (IpsecAuthenticationAlgorithm)integ, (int)group, seconds, kilobytes),
                (EncapsulationMode)mode);
        }

        public static bool Same(QuickModeProposal a, QuickModeProposal b) =>
            a.Encryption == b.Encryption && (a.Encryption != EspTransformId.Aes || a.KeyBits == b.KeyBits) &&
            a.Integrity == b.Integrity && a.PfsGroup == b.PfsGroup;

        public static byte[] SpiBytes(uint spi) => new[] { (byte)(spi >> 24), unchecked((byte)(spi >> 16)), unchecked((byte)(spi >> 8)), unchecked((byte)spi) };

        public static uint ReadSpi(ReadOnlyMemory<byte> spi) =>
            spi.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(spi.Span) : 0;
    }
}
