using System;

namespace IkeExtensions.Wire
{
    /// <summary>Certificate payload: IKEv1 type 6 (RFC 2408 §3.9) or IKEv2 type 37 (RFC 7296 §3.6): encoding octet plus data.</summary>
    public sealed class CertificatePayload : IkePayload
    {
        public CertificatePayload(byte encoding, ReadOnlyMemory<byte> data, int majorVersion = 1)
            : base(majorVersion == 2 ? PayloadType.CertificateV2 : PayloadType.Certificate)
        {
            if (data.Length > OpaquePayload.MaxBody - 1) throw new ArgumentException("Certificate data too long for one payload.", nameof(data));
            Encoding = encoding;
            Data = data;
        }

        /// <summary>Certificate encoding; 4 = X.509 certificate - signature in both versions.</summary>
        public byte Encoding { get; }
        public ReadOnlyMemory<byte> Data { get; }

        public override int BodyLength => 1 + Data.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, int majorVersion, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            if (body.Length < 1)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, majorVersion == 2 ? PayloadType.CertificateV2 : PayloadType.Certificate, "missing encoding octet");
                return false;
            }
            payload = new CertificatePayload(body.Span[0], body.Slice(1), majorVersion);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte(Encoding);
            w.WriteBytes(Data.Span);
        }

        public override string ToString() => $"CERT encoding={Encoding} {Data.Length} bytes";
    }

    /// <summary>Certificate Request payload: IKEv1 type 7 (RFC 2408 §3.10) or IKEv2 type 38 (RFC 7296 §3.7).</summary>
    public sealed class CertificateRequestPayload : IkePayload
    {
        public CertificateRequestPayload(byte encoding, ReadOnlyMemory<byte> authority, int majorVersion = 1)
            : base(majorVersion == 2 ? PayloadType.CertificateRequestV2 : PayloadType.CertificateRequest)
        {
            if (authority.Length > OpaquePayload.MaxBody - 1) throw new ArgumentException("Certification authority data too long for one payload.", nameof(authority));
            Encoding = encoding;
            Authority = authority;
        }

        public byte Encoding { get; }
        /// <summary>IKEv1: a DER distinguished name of an acceptable CA (may be empty); IKEv2: concatenated SHA-1 hashes of CA public keys.</summary>
        public ReadOnlyMemory<byte> Authority { get; }

        public override int BodyLength => 1 + Authority.Length;

        internal static bool TryRead(ReadOnlyMemory<byte> body, int offset, int majorVersion, out IkePayload payload, out ParseError error)
        {
            payload = null!;
            if (body.Length < 1)
            {
                error = new ParseError(ParseErrorCode.Truncated, offset, majorVersion == 2 ? PayloadType.CertificateRequestV2 : PayloadType.CertificateRequest, "missing encoding octet");
                return false;
            }
            payload = new CertificateRequestPayload(body.Span[0], body.Slice(1), majorVersion);
            error = default;
            return true;
        }

        internal override void WriteBody(ref WireWriter w)
        {
            w.WriteByte(Encoding);
            w.WriteBytes(Authority.Span);
        }

        public override string ToString() => $"CR encoding={Encoding} {Authority.Length} bytes";
    }
}
