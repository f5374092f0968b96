using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace IkeExtensions.Wire.V1
{
    /// <summary>ISAKMP SA payload (RFC 2408 §3.4) in the IPsec DOI (RFC 2407 §4.6.1): DOI, situation, proposals.</summary>
    public sealed class SecurityAssociationPayload : IkePayload
    {
        internal const int MaxProposals = 64;

        public SecurityAssociationPayload(uint doi, uint situation, IReadOnlyList<Proposal> proposals) : base(PayloadType.SecurityAssociation)
        {
            Doi = doi;
            Situation = situation;
            Proposals = proposals ?? throw new ArgumentNullException(nameof(proposals));
        }

        public uint Doi { get; }
        public uint Situation { get; }
        public IReadOnlyList<Proposal> Proposals { get; }

        public override int BodyLength => 8 + WireLengths.Total(Proposals, p => p.EncodedLength);

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            ReadOnlySpan<byte> s = body.Span;
            payload = null!;
            if (s.Length < 8)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.SecurityAssociation, "SA payload needs DOI and situation");
                return false;
            }
            uint doi = BinaryPrimitives.ReadUInt32BigEndian(s);
            uint situation = BinaryPrimitives.ReadUInt32BigEndian(s.Slice(4));
            // RFC 2407 §4.2: SIT_SECRECY/SIT_INTEGRITY add labelled-domain fields no IKE implementation in use sends.
            if (doi == V1.Doi.IpsecDoi && (situation & 0x6) != 0)
            {
                error = new ParseError(ParseErrorCode.InvalidField, offset + 4, PayloadType.SecurityAssociation, $"situation 0x{situation:x} (secrecy/integrity labels) is not supported");
                return false;
            }

            var proposals = new List<Proposal>();
            int pos = 8;
            PayloadType next = s.Length > pos ? PayloadType.Proposal : PayloadType.None;
            while (next == PayloadType.Proposal)
            {
                if (s.Length - pos < 4)
                {
                    error = new ParseError(ParseErrorCode.Truncated, offset + pos, PayloadType.Proposal, "proposal header missing");
                    return false;
                }
                byte nextByte = s[pos];
                int len = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 2));
                if (len < Proposal.FixedSize || len > s.Length - pos)
                {
                    error = new ParseError(ParseErrorCode.InvalidLength, offset + pos + 2, PayloadType.Proposal, $"proposal length {len}");
                    return false;
                }
                if (nextByte != 0 && nextByte != (byte)PayloadType.Proposal)
                {
                    error = new ParseError(ParseErrorCode.InvalidField, offset + pos, PayloadType.Proposal, $"proposal next payload {nextByte} is neither 0 nor 2");
                    return false;
                }
                if (proposals.Count == MaxProposals)
                {
                    error = new ParseError(ParseErrorCode.TooManyItems, offset + pos, PayloadType.Proposal, $"more than {MaxProposals} proposals");
                    return false;
                }
                if (!Proposal.TryRead(body.Slice(pos, len), offset + pos, out var p, out error)) return false;
                proposals.Add(p);
                pos += len;
                next = (PayloadType)nextByte;
            }
            if (pos != s.Length)
            {
                error = new ParseError(ParseErrorCode.TrailingData, offset + pos, PayloadType.SecurityAssociation, $"{s.Length - pos} bytes after the last proposal");
                return false;
            }
            payload = new SecurityAssociationPayload(doi, situation, proposals);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteUInt32(Doi);
            w.WriteUInt32(Situation);
            for (int i = 0; i < Proposals.Count; i++) Proposals[i].Write(ref w, i == Proposals.Count - 1);
        }

        public override string ToString() => $"SA doi={Doi} sit={Situation} {string.Join(" | ", Proposals.Select(p => p.ToString()))}";
    }
}
