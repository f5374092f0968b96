using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 SA payload (RFC 7296 §3.3): a list of proposals.</summary>
    public sealed class SecurityAssociationPayload : IkePayload
    {
        public SecurityAssociationPayload(IReadOnlyList<ProposalV2> proposals) : base(PayloadType.SecurityAssociationV2) =>
            Proposals = proposals ?? throw new ArgumentNullException(nameof(proposals));

        public IReadOnlyList<ProposalV2> Proposals { get; }
        public override int BodyLength => WireLengths.Total(Proposals, p => p.EncodedLength);

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            ReadOnlySpan<byte> s = body.Span;
            var proposals = new List<ProposalV2>();
            int pos = 0;
            bool more = s.Length > 0;
            while (more)
            {
                if (s.Length - pos < 4)
                {
                    error = new ParseError(ParseErrorCode.Truncated, offset + pos, PayloadType.SecurityAssociationV2, "proposal header missing");
                    return false;
                }
                byte last = s[pos];
                int len = BinaryPrimitives.ReadUInt16BigEndian(s.Slice(pos + 2));
                if (len < ProposalV2.FixedSize || len > s.Length - pos || (last != 0 && last != 2))
                {
                    error = new ParseError(ParseErrorCode.InvalidLength, offset + pos, PayloadType.SecurityAssociationV2, $"proposal (last={last}, length={len}) is malformed");
                    return false;
                }
                if (proposals.Count == 64)
                {
                    error = new ParseError(ParseErrorCode.TooManyItems, offset + pos, PayloadType.SecurityAssociationV2, "more than 64 proposals");
                    return false;
                }
                if (!ProposalV2.TryRead(body.Slice(pos, len), offset + pos, out var p, out error)) return false;
                proposals.Add(p);
                pos += len;
                more = last == 2;
            }
            if (pos != s.Length)
            {
                error = new ParseError(ParseErrorCode.TrailingData, offset + pos, PayloadType.SecurityAssociationV2, $"{s.Length - pos} bytes after the last proposal");
                return false;
            }
            payload = new SecurityAssociationPayload(proposals);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            for (int i = 0; i < Proposals.Count; i++) Proposals[i].Write(ref w, i == Proposals.Count - 1);
        }

        public override string ToString() => "SA " + string.Join(" | ", Proposals);
    }
}
