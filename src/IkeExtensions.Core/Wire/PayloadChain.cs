using System;
using System.Buffers.Binary;

namespace IkeExtensions.Wire
{
    /// <summary>One payload as it sits in the chain: its type, flags octet, body and where the body starts.</summary>
    public readonly ref struct RawPayload
    {
        public RawPayload(PayloadType type, PayloadType nextPayload, byte headerFlags, ReadOnlySpan<byte> body, int bodyOffset)
        {
            Type = type;
            NextPayload = nextPayload;
            HeaderFlags = headerFlags;
            Body = body;
            BodyOffset = bodyOffset;
        }

        public PayloadType Type { get; }
        /// <summary>The generic header's Next Payload field (for SK/SKF: the first inner payload's type).</summary>
        public PayloadType NextPayload { get; }
        public byte HeaderFlags { get; }
        public ReadOnlySpan<byte> Body { get; }
        /// <summary>Offset of the body from the start of the message, for error reports.</summary>
        public int BodyOffset { get; }
    }

    /// <summary>
    /// Walks a payload chain (RFC 2408 §3.2, RFC 7296 §3.2) without allocating. Each step is checked: a payload
    /// length below the 4-byte generic header or beyond the chain's end stops the walk with a typed error, so a chain can
    /// neither loop nor run off its buffer, and at most <see cref="MaxPayloads"/> payloads are visited.
    /// </summary>
    public ref struct PayloadChain
    {
        /// <summary>More payloads than any real IKE message carries (a certificate chain plus vendor IDs stays far below).</summary>
        public const int MaxPayloads = 128;

        private readonly ReadOnlySpan<byte> _data;
        private readonly int _baseOffset;
        private readonly bool _allowTrailing;
        private PayloadType _next;
        private int _position;
        private int _count;

        /// <param name="data">The bytes after the ISAKMP header (or a decrypted payload area).</param>
        /// <param name="first">The header's (or SK payload's) Next Payload.</param>
        /// <param name="baseOffset">Offset of <paramref name="data"/> within the message, for error reports.</param>
        /// <param name="allowTrailing">
        /// True for decrypted IKEv1 payload areas, which end in cipher padding (RFC 2408 §3.1: the padding is not part of any payload).
        /// </param>
        public PayloadChain(ReadOnlySpan<byte> data, PayloadType first, int baseOffset, bool allowTrailing)
        {
            _data = data;
            _next = first;
            _baseOffset = baseOffset;
            _allowTrailing = allowTrailing;
            _position = 0;
            _count = 0;
            Current = default;
            Error = default;
        }

        public RawPayload Current { get; private set; }
        public ParseError Error { get; private set; }
        /// <summary>Bytes consumed so far (the end of the last payload).</summary>
        public int Consumed => _position;

        public bool MoveNext()
        {
            if (Error.IsError) return false;
            if (_next == PayloadType.None)
            {
                if (_position != _data.Length && !_allowTrailing)
                    Error = new ParseError(ParseErrorCode.TrailingData, _baseOffset + _position, PayloadType.None,
                        $"{_data.Length - _position} bytes after the last payload");
                return false;
            }

            if (++_count > MaxPayloads)
                return Fail(ParseErrorCode.TooManyItems, _position, $"more than {MaxPayloads} payloads");

            int remaining = _data.Length - _position;
            if (remaining < IkePayload.GenericHeaderSize)
                return Fail(ParseErrorCode.Truncated, _position, $"{remaining} bytes left, the generic payload header needs 4");

            ReadOnlySpan<byte> at = _data.Slice(_position);
            var nextType = (PayloadType)at[0];
            byte flags = at[1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(at.Slice(2));
            if (length < IkePayload.GenericHeaderSize)
                return Fail(ParseErrorCode.InvalidLength, _position + 2, $"payload length {length} is smaller than the generic header");
            if (length > remaining)
                return Fail(ParseErrorCode.InvalidLength, _position + 2, $"payload length {length} exceeds the {remaining} bytes left");

            var type = _next;
            Current = new RawPayload(type, nextType, flags, at.Slice(IkePayload.GenericHeaderSize, length - IkePayload.GenericHeaderSize),
                _baseOffset + _position + IkePayload.GenericHeaderSize);
            _position += length;

            // SK and SKF must be the last payload; their Next Payload field describes the ciphertext (RFC 7296 §3.14, RFC 7383 §2.5).
            _next = type == PayloadType.Encrypted || type == PayloadType.EncryptedFragment ? PayloadType.None : nextType;
            return true;
        }

        private bool Fail(ParseErrorCode code, int relativeOffset, string detail)
        {
            Error = new ParseError(code, _baseOffset + relativeOffset, _next, detail);
            return false;
        }
    }
}
