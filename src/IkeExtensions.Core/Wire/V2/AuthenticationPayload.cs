using System;

namespace IkeExtensions.Wire.V2
{
    /// <summary>IKEv2 AUTH payload (RFC 7296 §3.8): method, 3 reserved bytes, authentication data.</summary>
    public sealed class AuthenticationPayload : IkePayload
    {
        public AuthenticationPayload(AuthMethod method, ReadOnlyMemory<byte> data) : base(PayloadType.Authentication)
        {
            if (data.Length > OpaquePayload.MaxBody - 4) throw new ArgumentException("Authentication data too long.", nameof(data));
            Method = method;
            Data = data;
        }

        public AuthMethod Method { get; }
        public ReadOnlyMemory<byte> Data { get; }
        public override int BodyLength => 4 + Data.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            if (body.Length < 4)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, PayloadType.Authentication, "AUTH needs a method and 3 reserved bytes");
                return false;
            }
            payload = new AuthenticationPayload((AuthMethod)body.Span[0], body.Slice(4));
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte((byte)Method);
            w.WriteZeros(3);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"AUTH {Method} {Data.Length} bytes";
    }
}
