using System;

namespace IkeExtensions.Wire
{
    /// <summary>Why a datagram could not be decoded. Untrusted input never throws out of the codec: it yields one of these.</summary>
    public enum ParseErrorCode
    {
        None = 0,
        /// <summary>The input ends before a field or payload it announces.</summary>
        Truncated,
        /// <summary>A length field is smaller than its own header or larger than its container.</summary>
        InvalidLength,
        /// <summary>The ISAKMP header length disagrees with the datagram (RFC 2408 §3.1).</summary>
        HeaderLengthMismatch,
        /// <summary>Version other than 1.0 or 2.0 (RFC 2408 §3.1, RFC 7296 §3.1).</summary>
        UnsupportedVersion,
        /// <summary>A data attribute is malformed (RFC 2408 §3.3).</summary>
        BadAttribute,
        /// <summary>A field holds a value the format forbids (e.g. a proposal's transform count disagrees with its transforms).</summary>
        InvalidField,
        /// <summary>More payloads, proposals, transforms or attributes than the codec's bounds allow.</summary>
        TooManyItems,
        /// <summary>Bytes after the last payload of a chain that should end exactly.</summary>
        TrailingData,
        /// <summary>A payload appears where the exchange's message rules do not allow it, or a required one is missing.</summary>
        RuleViolation,
        /// <summary>The datagram is larger than an IKE message can be.</summary>
        Oversized,
    }

    /// <summary>A typed parse failure: what went wrong, where (offset from the start of the message) and in which payload.</summary>
    public readonly struct ParseError : IEquatable<ParseError>
    {
        public ParseError(ParseErrorCode code, int offset, PayloadType payloadType, string detail)
        {
            Code = code;
            Offset = offset;
            PayloadType = payloadType;
            Detail = detail;
        }

        public ParseErrorCode Code { get; }
        public int Offset { get; }
        /// <summary>The payload being parsed, or <see cref="Wire.PayloadType.None"/> for the header.</summary>
        public PayloadType PayloadType { get; }
        public string Detail { get; }

        public bool IsError => Code != ParseErrorCode.None;

        public override string ToString() =>
            $"{Code} at offset {Offset}" + (PayloadType == PayloadType.None ? "" : $" in {PayloadType}") + (string.IsNullOrEmpty(Detail) ? "" : ": " + Detail);

        public bool Equals(ParseError other) => Code == other.Code && Offset == other.Offset && PayloadType == other.PayloadType;
        public override bool Equals(object? obj) => obj is ParseError e && Equals(e);
        public override int GetHashCode() => ((int)Code * 397) ^ Offset ^ ((int)PayloadType << 20);
    }

    /// <summary>Thrown only by callers that ask for exceptions (e.g. the management façade on administrator input), never by the decoder itself.</summary>
    public sealed class IkeParseException : Exception
    {
        public IkeParseException(ParseError error) : base(error.ToString()) => Error = error;
        public ParseError Error { get; }
    }
}
