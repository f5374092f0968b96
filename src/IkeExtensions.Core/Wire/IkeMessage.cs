using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire.V1;

namespace IkeExtensions.Wire
{
    /// <summary>
    /// An IKEv1 or IKEv2 message: the header and its payloads, or (IKEv1 with the E flag) the header and the still
    /// encrypted body. Decoding never throws on untrusted input; decoded payloads reference the input memory, so the
    /// caller must not reuse that buffer while the message is alive.
    /// </summary>
    public sealed class IkeMessage
    {
        /// <summary>UDP's limit; nothing longer is an IKE message.</summary>
        public const int MaxLength = ushort.MaxValue;

        public IkeMessage(IsakmpHeader header, IReadOnlyList<IkePayload> payloads)
        {
            Header = header;
            Payloads = payloads ?? throw new ArgumentNullException(nameof(payloads));
        }

        private IkeMessage(IsakmpHeader header, ReadOnlyMemory<byte> encryptedBody)
        {
            Header = header;
            Payloads = Array.Empty<IkePayload>();
            EncryptedBody = encryptedBody;
        }

        /// <summary>An IKEv1 message whose payloads are encrypted (E flag, RFC 2408 §3.1); the header keeps the first inner payload type.</summary>
        public static IkeMessage WithEncryptedBody(IsakmpHeader header, ReadOnlyMemory<byte> encryptedBody) =>
            new IkeMessage(header.With(flags: header.Flags | HeaderFlags.Encryption), encryptedBody);

        public IsakmpHeader Header { get; }
        public IReadOnlyList<IkePayload> Payloads { get; }
        /// <summary>IKEv1 ciphertext (with padding) when the E flag is set; empty otherwise.</summary>
        public ReadOnlyMemory<byte> EncryptedBody { get; }
        public bool HasEncryptedBody => Header.IsEncrypted;
        public int MajorVersion => Header.MajorVersion;

        public T? Find<T>() where T : IkePayload => Payloads.OfType<T>().FirstOrDefault();
        public IEnumerable<T> FindAll<T>() where T : IkePayload => Payloads.OfType<T>();

        /// <summary>
        /// Decodes a whole datagram (without the non-ESP marker). <paramref name="natRevision"/> is the SA's selected NAT-T
        /// revision: it decides whether 0x14/0x15 or 0x82/0x83 are NAT-D/NAT-OA (MS-IKEE 2.2.1); with None both are.
        /// </summary>
        public static bool TryDecode(ReadOnlyMemory<byte> datagram, out IkeMessage message, out ParseError error,
            NatTraversalRevision natRevision = NatTraversalRevision.None)
        {
            message = null!;
            if (datagram.Length > MaxLength)
            {
                error = new ParseError(ParseErrorCode.Oversized, 0, PayloadType.None, $"{datagram.Length} bytes");
                return false;
            }
            if (!IsakmpHeader.TryRead(datagram.Span, out var header, out error)) return false;
            // RFC 2408 §5.1 (UNEQUAL-PAYLOAD-LENGTHS) / RFC 7296 §3.1: the header's length is the datagram's.
            if (header.Length != (uint)datagram.Length)
            {
                error = new ParseError(ParseErrorCode.HeaderLengthMismatch, 24, PayloadType.None, $"header says {header.Length} bytes, datagram has {datagram.Length}");
                return false;
            }

            ReadOnlyMemory<byte> body = datagram.Slice(IsakmpHeader.Size);
            if (header.IsEncrypted)
            {
                message = new IkeMessage(header, body);
                return true;
            }
            if (!PayloadDecoder.TryDecodeChain(body, IsakmpHeader.Size, header.NextPayload, header.MajorVersion, false, natRevision, out var payloads, out error))
                return false;
            message = new IkeMessage(header, payloads);
            return true;
        }

        /// <summary>
        /// Decodes the payloads of a decrypted IKEv1 body or IKEv2 SK payload. IKEv1 plaintext ends in cipher padding, so
        /// bytes after the last payload are allowed for version 1 (RFC 2408 §3.1).
        /// </summary>
        public static bool TryDecodePayloads(ReadOnlyMemory<byte> plaintext, PayloadType firstPayload, int majorVersion, out IReadOnlyList<IkePayload> payloads,
            out ParseError error, NatTraversalRevision natRevision = NatTraversalRevision.None, int baseOffset = IsakmpHeader.Size)
        {
            bool ok = PayloadDecoder.TryDecodeChain(plaintext, baseOffset, firstPayload, majorVersion, majorVersion == 1, natRevision, out var list, out error);
            payloads = list;
            return ok;
        }

        /// <summary>Length of the payload area (what IKEv1 encrypts) for these payloads.</summary>
        public static int GetPayloadsLength(IReadOnlyList<IkePayload> payloads)
        {
            int n = 0;
            for (int i = 0; i < payloads.Count; i++)
            {
                var p = payloads[i];
                if (p.EncodedLength > ushort.MaxValue)
                    throw new InvalidOperationException($"{p.Type} payload would be {p.EncodedLength} bytes; the length field holds at most 65535.");
                n += p.EncodedLength;
            }
            return n;
        }

        /// <summary>Writes the payload chain alone (next-payload fields derived from the list order).</summary>
        public static int EncodePayloads(IReadOnlyList<IkePayload> payloads, Span<byte> destination)
        {
            var w = new WireWriter(destination);
            WriteChain(payloads, ref w);
            return w.Position;
        }

        public int GetEncodedLength() => IsakmpHeader.Size + (HasEncryptedBody ? EncryptedBody.Length : GetPayloadsLength(Payloads));

        public byte[] Encode()
        {
            var bytes = new byte[GetEncodedLength()];
            Encode(bytes);
            return bytes;
        }

        /// <summary>Encodes into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> bytes; returns the length.</summary>
        public int Encode(Span<byte> destination)
        {
            int length = GetEncodedLength();
            if (length > MaxLength) throw new InvalidOperationException($"The message would be {length} bytes; an IKE message is at most {MaxLength}.");
            if (destination.Length < length) throw new ArgumentException($"Destination holds {destination.Length} bytes, the message needs {length}.", nameof(destination));

            PayloadType first = HasEncryptedBody || Payloads.Count == 0 ? (HasEncryptedBody ? Header.NextPayload : PayloadType.None) : Payloads[0].Type;
            Header.With(nextPayload: first, length: (uint)length).Write(destination);
            var w = new WireWriter(destination.Slice(IsakmpHeader.Size));
            if (HasEncryptedBody) w.WriteBytes(EncryptedBody.Span);
            else WriteChain(Payloads, ref w);
            return length;
        }

        private static void WriteChain(IReadOnlyList<IkePayload> payloads, ref WireWriter w)
        {
            for (int i = 0; i < payloads.Count; i++)
            {
                IkePayload p = payloads[i];
                PayloadType next = p.NextPayloadOverride ?? (i + 1 < payloads.Count ? payloads[i + 1].Type : PayloadType.None);
                int start = w.Position;
                w.WriteByte((byte)next);
                w.WriteByte(p.HeaderFlags);
                w.WriteUInt16((ushort)p.EncodedLength);
                p.WriteBody(ref w);
                if (w.Position - start != p.EncodedLength)
                    throw new InvalidOperationException($"{p.Type} wrote {w.Position - start} bytes but announced {p.EncodedLength}.");
            }
        }

        public override string ToString() =>
            Header + (HasEncryptedBody ? $" [encrypted {EncryptedBody.Length} bytes]" : " [ " + string.Join(" ", Payloads.Select(p => PayloadTypes.ShortName(p.Type))) + " ]");
    }
}
